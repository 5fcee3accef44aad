"""Webhooks (reference 3.5) plus cairn's delivery history.

A URL is checked against the private-address guard before it is stored, on create and on
update; the dispatcher checks it again at every delivery. Field handling follows MLflow's
handlers: on update an empty ``name``/``url`` or empty ``events`` list means "unchanged",
while a present ``description`` or ``secret`` (even empty) replaces the stored one.
"""

from __future__ import annotations

from typing import Any

from cairn.entities.webhook import WebhookEvent, WebhookStatus
from cairn.errors import InvalidParameterValue
from cairn.server.handlers._shared import page_response
from cairn.server.params import Params
from cairn.server.state import ServerState
from cairn.server.webhooks import webhook_service
from cairn.server.webhooks.wire import (
    decode_event,
    decode_status,
    encode_delivery,
    encode_test_result,
    encode_webhook,
)
from cairn.store.registry.webhooks import (
    LIST_DELIVERIES_DEFAULT,
    LIST_WEBHOOKS_DEFAULT,
    validate_name,
)

JsonDict = dict[str, Any]


def _events(params: Params) -> list[WebhookEvent]:
    return [decode_event(item, f"events[{i}]") for i, item in enumerate(params.values("events"))]


def _page_size(params: Params, default: int) -> int:
    """MLflow reads 0 (the proto default) as "not given"."""
    return params.integer("max_results") or default


def create(state: ServerState, params: Params) -> JsonDict:
    """Create Webhook"""
    service = webhook_service(state)
    name = validate_name(params.required("name"))
    url = params.required("url")
    events = _events(params)
    if not events:
        raise InvalidParameterValue("Missing value for required parameter 'events'.")
    status = decode_status(params.raw("status")) if params.has("status") else None
    service.guard.check(url)
    webhook = service.store.create_webhook(
        name=name,
        url=url,
        events=events,
        description=params.text("description") or None,
        secret=params.text("secret") or None,
        status=status or WebhookStatus.ACTIVE,
    )
    return {"webhook": encode_webhook(webhook)}


def list_webhooks(state: ServerState, params: Params) -> JsonDict:
    """List Webhooks"""
    page = webhook_service(state).store.list_webhooks(
        max_results=_page_size(params, LIST_WEBHOOKS_DEFAULT),
        page_token=params.text("page_token") or None,
    )
    return page_response(page, "webhooks", encode_webhook)


def get(state: ServerState, params: Params) -> JsonDict:
    """Get Webhook"""
    webhook = webhook_service(state).store.get_webhook(params.required("webhook_id"))
    return {"webhook": encode_webhook(webhook)}


def update(state: ServerState, params: Params) -> JsonDict:
    """Update Webhook"""
    service = webhook_service(state)
    webhook_id = params.required("webhook_id")
    url = params.text("url") or None
    if url is not None:
        service.guard.check(url)
    webhook = service.store.update_webhook(
        webhook_id,
        name=params.text("name") or None,
        description=params.text("description") if params.has("description") else None,
        url=url,
        events=_events(params) or None,
        secret=params.text("secret") if params.has("secret") else None,
        status=decode_status(params.raw("status")) if params.has("status") else None,
    )
    return {"webhook": encode_webhook(webhook)}


def delete(state: ServerState, params: Params) -> JsonDict:
    """Delete Webhook"""
    webhook_service(state).store.delete_webhook(params.required("webhook_id"))
    return {}


def test(state: ServerState, params: Params) -> JsonDict:
    """Test Webhook: send one example event now and report what the receiver answered."""
    event = params.raw("event")
    chosen = decode_event(event, "event") if event not in (None, {}) else None
    result = webhook_service(state).send_test(params.required("webhook_id"), chosen)
    return {"result": encode_test_result(result)}


def deliveries(state: ServerState, params: Params) -> JsonDict:
    """List a webhook's delivery attempts, newest first (cairn-native)."""
    page = webhook_service(state).store.list_deliveries(
        params.required("webhook_id"),
        max_results=_page_size(params, LIST_DELIVERIES_DEFAULT),
        page_token=params.text("page_token") or None,
    )
    return page_response(page, "deliveries", encode_delivery)
