"""Webhook entities to and from MLflow's JSON (the ``webhooks.proto`` messages).

Enums travel as their proto names (``REGISTERED_MODEL``, ``CREATED``, ``ACTIVE``); requests
may also use the proto numbers or any letter case, as MLflow's parser accepts.
"""

from __future__ import annotations

import enum
from typing import Any, TypeVar

from cairn.entities.webhook import (
    Webhook,
    WebhookAction,
    WebhookDelivery,
    WebhookEntity,
    WebhookEvent,
    WebhookStatus,
    WebhookTestResult,
)
from cairn.errors import InvalidParameterValue

JsonDict = dict[str, Any]
_T = TypeVar("_T", bound=enum.Enum)


def _by_number(enum_type: type[_T], value: object) -> object:
    """Proto enum numbers count from 1 in declaration order for all three webhook enums."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value)
    if number is None:
        return value
    members = list(enum_type)
    if not 1 <= number <= len(members):
        raise InvalidParameterValue(f"Invalid webhook enum value {value!r}.")
    return members[number - 1]


def decode_event(item: Any, path: str) -> WebhookEvent:
    if not isinstance(item, dict):
        raise InvalidParameterValue(f"{path} must be an object with 'entity' and 'action'.")
    entity, action = item.get("entity"), item.get("action")
    if entity in (None, "") or action in (None, ""):
        raise InvalidParameterValue(f"{path} needs both 'entity' and 'action'.")
    return WebhookEvent.parse(_by_number(WebhookEntity, entity), _by_number(WebhookAction, action))


def decode_status(value: Any) -> WebhookStatus:
    return WebhookStatus.parse(_by_number(WebhookStatus, value))


def encode_event(event: WebhookEvent) -> JsonDict:
    return {"entity": event.entity.name, "action": event.action.name}


def encode_webhook(webhook: Webhook) -> JsonDict:
    """MLflow's Webhook message; the secret is not part of it (nor of the entity)."""
    out: JsonDict = {
        "webhook_id": webhook.webhook_id,
        "name": webhook.name,
        "url": webhook.url,
        "events": [encode_event(e) for e in webhook.events],
        "status": webhook.status.name,
        "creation_timestamp": webhook.creation_timestamp,
        "last_updated_timestamp": webhook.last_updated_timestamp,
    }
    if webhook.description:
        out["description"] = webhook.description
    return out


def encode_test_result(result: WebhookTestResult) -> JsonDict:
    out: JsonDict = {"success": result.success}
    if result.response_status is not None:
        out["response_status"] = result.response_status
    if result.response_body is not None:
        out["response_body"] = result.response_body
    if result.error_message is not None:
        out["error_message"] = result.error_message
    return out


def encode_delivery(delivery: WebhookDelivery) -> JsonDict:
    """cairn's own shape (MLflow keeps no delivery records)."""
    out: JsonDict = {
        "delivery_id": delivery.delivery_id,
        "webhook_id": delivery.webhook_id,
        "entity": delivery.entity,
        "action": delivery.action,
        "attempt": delivery.attempt,
        "status": delivery.status.value,
        "timestamp": delivery.timestamp,
        "duration_ms": delivery.duration_ms,
    }
    if delivery.response_status is not None:
        out["response_status"] = delivery.response_status
    if delivery.error_message is not None:
        out["error_message"] = delivery.error_message
    return out
