"""Webhooks (reference section 3.5) and cairn's delivery history.

Enums travel as their proto names (``REGISTERED_MODEL``, ``CREATED``, ``ACTIVE``); the secret
is write-only and never comes back.
"""

from __future__ import annotations

from typing import Literal

from cairn.server.schemas._base import WireModel

WebhookEntityName = Literal[
    "REGISTERED_MODEL",
    "MODEL_VERSION",
    "MODEL_VERSION_TAG",
    "MODEL_VERSION_ALIAS",
    "PROMPT",
    "PROMPT_VERSION",
    "PROMPT_TAG",
    "PROMPT_VERSION_TAG",
    "PROMPT_ALIAS",
    "BUDGET_POLICY",
]
WebhookActionName = Literal["CREATED", "UPDATED", "DELETED", "SET", "EXCEEDED"]
WebhookStatusName = Literal["ACTIVE", "DISABLED"]


class WebhookEvent(WireModel):
    entity: WebhookEntityName
    action: WebhookActionName


class Webhook(WireModel):
    webhook_id: str
    name: str
    description: str | None = None
    url: str
    events: list[WebhookEvent]
    status: WebhookStatusName
    creation_timestamp: int
    last_updated_timestamp: int


class WebhookResponse(WireModel):
    webhook: Webhook


class CreateWebhookRequest(WireModel):
    name: str
    url: str
    events: list[WebhookEvent]
    description: str | None = None
    secret: str | None = None
    status: WebhookStatusName | None = None


class UpdateWebhookRequest(WireModel):
    """Absent (or empty name/url/events) means unchanged; a present description or secret
    replaces the stored one, even when empty."""

    name: str | None = None
    description: str | None = None
    url: str | None = None
    events: list[WebhookEvent] | None = None
    secret: str | None = None
    status: WebhookStatusName | None = None


class PageRequest(WireModel):
    max_results: int | None = None
    page_token: str | None = None


class ListWebhooksResponse(WireModel):
    webhooks: list[Webhook] | None = None
    next_page_token: str | None = None


class WebhookTestRequest(WireModel):
    event: WebhookEvent | None = None


class WebhookTestResult(WireModel):
    success: bool
    response_status: int | None = None
    response_body: str | None = None
    error_message: str | None = None


class WebhookTestResponse(WireModel):
    result: WebhookTestResult


class WebhookDelivery(WireModel):
    """One delivery attempt (cairn-native); ``entity``/``action`` in lower case."""

    delivery_id: str
    webhook_id: str
    entity: str
    action: str
    attempt: int
    status: Literal["SUCCEEDED", "RETRYING", "FAILED"]
    timestamp: int
    duration_ms: int
    response_status: int | None = None
    error_message: str | None = None


class ListDeliveriesResponse(WireModel):
    deliveries: list[WebhookDelivery] | None = None
    next_page_token: str | None = None
