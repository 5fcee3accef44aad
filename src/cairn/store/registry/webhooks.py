"""The webhook store interface, and the checks every implementation applies (reference 3.5).

Kept apart from :class:`~cairn.store.registry.base.RegistryStore` because webhooks are an
optional capability: a registry without them needs no stubs. Only syntax is checked here; where
a URL may *point* (the private-address guard) is the server's decision, made with DNS.
"""

from __future__ import annotations

import abc
import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field

from cairn.entities import Page
from cairn.entities.webhook import Webhook, WebhookDelivery, WebhookEvent, WebhookStatus
from cairn.errors import InvalidParameterValue

#: MLflow's page size for webhook listings: default 100, at most 1000.
LIST_WEBHOOKS_DEFAULT = 100
LIST_WEBHOOKS_CAP = 1000
LIST_DELIVERIES_DEFAULT = 100
LIST_DELIVERIES_CAP = 1000

MAX_URL_LENGTH = 2048
MAX_SECRET_LENGTH = 1024
MAX_DESCRIPTION_LENGTH = 5000

_NAME = re.compile(r"(?=.{1,63}\Z)[a-z0-9]([a-z0-9._-]*[a-z0-9])?\Z", re.IGNORECASE)


@dataclass(frozen=True)
class WebhookTarget:
    """A webhook together with its secret: what a delivery needs, and nothing else gets."""

    webhook: Webhook
    secret: str | None = field(repr=False)  # never in a log line


def validate_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise InvalidParameterValue(
            f"Webhook name {name!r} is invalid: use 1 to 63 letters, digits, '.', '_' or '-', "
            "starting and ending with a letter or digit."
        )
    return name


def split_url(url: str) -> urllib.parse.SplitResult:
    """Parse a webhook URL: http(s), a host, no credentials; anything else is a 400."""
    if not isinstance(url, str) or not url.strip():
        raise InvalidParameterValue("Webhook URL is required.")
    if len(url) > MAX_URL_LENGTH:
        raise InvalidParameterValue(f"Webhook URL is longer than {MAX_URL_LENGTH} characters.")
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
        raise InvalidParameterValue("Webhook URL must not contain spaces or control characters.")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as exc:
        raise InvalidParameterValue(f"Invalid webhook URL {url!r}: {exc}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidParameterValue(
            f"Invalid webhook URL scheme {parts.scheme!r}; only http and https are allowed."
        )
    if not parts.hostname:
        raise InvalidParameterValue(f"Webhook URL must include a host: {url!r}.")
    if parts.username is not None or parts.password is not None:
        raise InvalidParameterValue(
            "Webhook URL must not embed credentials; sign deliveries with a secret instead."
        )
    return parts


def validate_events(events: Sequence[WebhookEvent]) -> tuple[WebhookEvent, ...]:
    """At least one event; duplicates collapse (their order is kept)."""
    unique = tuple(dict.fromkeys(events))
    if not unique:
        raise InvalidParameterValue("A webhook needs at least one event.")
    return unique


def validate_text(name: str, value: str | None, limit: int) -> str | None:
    if value is not None and len(value) > limit:
        raise InvalidParameterValue(f"Webhook {name} is longer than {limit} characters.")
    return value


class WebhookStore(abc.ABC):
    """Webhook subscriptions and the record of what was sent to them."""

    @abc.abstractmethod
    def create_webhook(
        self,
        name: str,
        url: str,
        events: Sequence[WebhookEvent],
        description: str | None = None,
        secret: str | None = None,
        status: WebhookStatus = WebhookStatus.ACTIVE,
    ) -> Webhook: ...

    @abc.abstractmethod
    def get_webhook(self, webhook_id: str) -> Webhook: ...

    @abc.abstractmethod
    def list_webhooks(
        self, max_results: int = LIST_WEBHOOKS_DEFAULT, page_token: str | None = None
    ) -> Page[Webhook]:
        """Newest first, as MLflow lists them."""

    @abc.abstractmethod
    def update_webhook(
        self,
        webhook_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        url: str | None = None,
        events: Sequence[WebhookEvent] | None = None,
        secret: str | None = None,
        status: WebhookStatus | None = None,
    ) -> Webhook:
        """Change the fields given (None leaves one alone; an empty secret stops signing)."""

    @abc.abstractmethod
    def delete_webhook(self, webhook_id: str) -> None: ...

    @abc.abstractmethod
    def get_target(self, webhook_id: str) -> WebhookTarget:
        """The webhook with its secret, for signing a delivery."""

    @abc.abstractmethod
    def subscribers(self, event: WebhookEvent) -> list[WebhookTarget]:
        """Every ACTIVE webhook subscribed to ``event``, with its secret."""

    @abc.abstractmethod
    def record_delivery(self, delivery: WebhookDelivery) -> None: ...

    @abc.abstractmethod
    def list_deliveries(
        self,
        webhook_id: str,
        max_results: int = LIST_DELIVERIES_DEFAULT,
        page_token: str | None = None,
    ) -> Page[WebhookDelivery]:
        """Newest attempt first."""
