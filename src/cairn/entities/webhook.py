"""Webhooks on Model Registry events: subscriptions, delivery attempts, test results.

A webhook's signing secret is deliberately absent from :class:`Webhook`: it never leaves the
store except to sign a request, so no entity that could reach a response or a log carries it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TypeVar

from cairn.errors import InvalidParameterValue


class WebhookEntity(enum.Enum):
    """What changed; the values are MLflow's lowercase wire names (the payload's ``entity``)."""

    REGISTERED_MODEL = "registered_model"
    MODEL_VERSION = "model_version"
    MODEL_VERSION_TAG = "model_version_tag"
    MODEL_VERSION_ALIAS = "model_version_alias"
    PROMPT = "prompt"
    PROMPT_VERSION = "prompt_version"
    PROMPT_TAG = "prompt_tag"
    PROMPT_VERSION_TAG = "prompt_version_tag"
    PROMPT_ALIAS = "prompt_alias"
    BUDGET_POLICY = "budget_policy"


class WebhookAction(enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
    SET = "set"
    EXCEEDED = "exceeded"


_E, _A = WebhookEntity, WebhookAction
#: The combinations MLflow accepts; anything else is refused at subscription time.
VALID_EVENTS: dict[WebhookEntity, frozenset[WebhookAction]] = {
    _E.REGISTERED_MODEL: frozenset({_A.CREATED}),
    _E.MODEL_VERSION: frozenset({_A.CREATED}),
    _E.MODEL_VERSION_TAG: frozenset({_A.SET, _A.DELETED}),
    _E.MODEL_VERSION_ALIAS: frozenset({_A.CREATED, _A.DELETED}),
    _E.PROMPT: frozenset({_A.CREATED}),
    _E.PROMPT_VERSION: frozenset({_A.CREATED}),
    _E.PROMPT_TAG: frozenset({_A.SET, _A.DELETED}),
    _E.PROMPT_VERSION_TAG: frozenset({_A.SET, _A.DELETED}),
    _E.PROMPT_ALIAS: frozenset({_A.CREATED, _A.DELETED}),
    _E.BUDGET_POLICY: frozenset({_A.EXCEEDED}),
}


_T = TypeVar("_T", bound=enum.Enum)


def _member(enum_type: type[_T], value: object, what: str) -> _T:
    """Match by value or name, case-insensitively (clients send ``REGISTERED_MODEL``)."""
    if isinstance(value, enum_type):
        return value
    text = str(value).strip().lower()
    for member in enum_type:
        if text in (str(member.value).lower(), member.name.lower()):
            return member
    names = ", ".join(m.name for m in enum_type)
    raise InvalidParameterValue(f"Invalid webhook {what} {value!r}; expected one of {names}.")


@dataclass(frozen=True)
class WebhookEvent:
    """One (entity, action) pair a webhook subscribes to, e.g. ``model_version.created``."""

    entity: WebhookEntity
    action: WebhookAction

    @classmethod
    def parse(cls, entity: object, action: object) -> WebhookEvent:
        """Build a valid event from names; an unknown or impossible pair is a 400."""
        ent = _member(WebhookEntity, entity, "entity")
        act = _member(WebhookAction, action, "action")
        if act not in VALID_EVENTS[ent]:
            allowed = ", ".join(sorted(a.name for a in VALID_EVENTS[ent]))
            raise InvalidParameterValue(
                f"Invalid action {act.name} for webhook entity {ent.name}; valid: {allowed}."
            )
        return cls(ent, act)

    def __str__(self) -> str:
        return f"{self.entity.value}.{self.action.value}"


class WebhookStatus(enum.Enum):
    ACTIVE = "ACTIVE"
    DISABLED = "DISABLED"

    @classmethod
    def parse(cls, value: object) -> WebhookStatus:
        return _member(cls, value, "status")


@dataclass(frozen=True)
class Webhook:
    webhook_id: str
    name: str
    url: str
    events: tuple[WebhookEvent, ...]
    status: WebhookStatus
    creation_timestamp: int
    last_updated_timestamp: int
    description: str | None = None
    #: Whether deliveries are signed; the secret itself stays in the store.
    has_secret: bool = False

    @property
    def active(self) -> bool:
        return self.status is WebhookStatus.ACTIVE


class DeliveryStatus(enum.Enum):
    """The outcome of one attempt: delivered, failed for good, or failed with a retry due."""

    SUCCEEDED = "SUCCEEDED"
    RETRYING = "RETRYING"
    FAILED = "FAILED"


@dataclass(frozen=True)
class WebhookDelivery:
    """One HTTP attempt. Retries of one event share ``delivery_id`` (receivers deduplicate on
    it) and differ in ``attempt``, starting at 1."""

    delivery_id: str
    webhook_id: str
    entity: str
    action: str
    attempt: int
    status: DeliveryStatus
    timestamp: int
    duration_ms: int = 0
    response_status: int | None = None
    error_message: str | None = None


@dataclass(frozen=True)
class WebhookTestResult:
    success: bool
    response_status: int | None = None
    response_body: str | None = None
    error_message: str | None = None
