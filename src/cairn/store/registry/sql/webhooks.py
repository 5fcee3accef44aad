"""Webhooks in SQL, on the registry's database (MLflow keeps them in the registry store too).

Deletion is soft, as in MLflow: the row stays (with its secret wiped) so delivery records keep
their foreign key, and every read filters on ``deleted_timestamp IS NULL``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa

from cairn.entities import Page
from cairn.entities.webhook import (
    DeliveryStatus,
    Webhook,
    WebhookAction,
    WebhookDelivery,
    WebhookEntity,
    WebhookEvent,
    WebhookStatus,
)
from cairn.errors import ResourceDoesNotExist
from cairn.store.db import tables as t
from cairn.store.registry import webhooks as w
from cairn.store.registry.sql.common import check_page_size, now_ms
from cairn.store.search import decode_page_token, encode_page_token

_MAX_ERROR = 1000


def _not_found(webhook_id: str) -> ResourceDoesNotExist:
    return ResourceDoesNotExist(f"Webhook with ID {webhook_id} not found.")


class SqlWebhookStore(w.WebhookStore):
    """Borrows an engine (the registry store's); never disposes it."""

    def __init__(self, engine: sa.Engine, clock: Callable[[], int] = now_ms) -> None:
        self.engine = engine
        self.clock = clock

    # --- subscriptions --------------------------------------------------------------------
    def create_webhook(
        self,
        name: str,
        url: str,
        events: Sequence[WebhookEvent],
        description: str | None = None,
        secret: str | None = None,
        status: WebhookStatus = WebhookStatus.ACTIVE,
    ) -> Webhook:
        w.validate_name(name)
        w.split_url(url)
        unique = w.validate_events(events)
        w.validate_text("description", description, w.MAX_DESCRIPTION_LENGTH)
        w.validate_text("secret", secret, w.MAX_SECRET_LENGTH)
        webhook_id = str(uuid.uuid4())
        now = self.clock()
        with self.engine.begin() as conn:
            conn.execute(
                sa.insert(t.webhooks).values(
                    webhook_id=webhook_id,
                    name=name,
                    description=description,
                    url=url,
                    secret=secret or None,
                    status=status.value,
                    creation_timestamp=now,
                    last_updated_timestamp=now,
                )
            )
            _insert_events(conn, webhook_id, unique)
            return _load(conn, [_row(conn, webhook_id)])[0]

    def get_webhook(self, webhook_id: str) -> Webhook:
        with self.engine.connect() as conn:
            return _load(conn, [_row(conn, webhook_id)])[0]

    def list_webhooks(
        self, max_results: int = w.LIST_WEBHOOKS_DEFAULT, page_token: str | None = None
    ) -> Page[Webhook]:
        check_page_size(max_results, w.LIST_WEBHOOKS_CAP)
        offset = decode_page_token(page_token)
        wh = t.webhooks
        query = (
            sa.select(wh)
            .where(wh.c.deleted_timestamp.is_(None))
            .order_by(wh.c.creation_timestamp.desc(), wh.c.webhook_id)
            .offset(offset)
            .limit(max_results + 1)
        )
        with self.engine.connect() as conn:
            rows = list(conn.execute(query))
            items = _load(conn, rows[:max_results])
        token = encode_page_token(offset + max_results) if len(rows) > max_results else None
        return Page(tuple(items), token)

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
        values = _changed_values(name, description, url, secret, status)
        unique = None if events is None else w.validate_events(events)
        values["last_updated_timestamp"] = self.clock()
        with self.engine.begin() as conn:
            _row(conn, webhook_id)
            conn.execute(
                sa.update(t.webhooks).where(t.webhooks.c.webhook_id == webhook_id).values(values)
            )
            if unique is not None:
                we = t.webhook_events
                conn.execute(sa.delete(we).where(we.c.webhook_id == webhook_id))
                _insert_events(conn, webhook_id, unique)
            return _load(conn, [_row(conn, webhook_id)])[0]

    def delete_webhook(self, webhook_id: str) -> None:
        now = self.clock()
        with self.engine.begin() as conn:
            _row(conn, webhook_id)
            conn.execute(
                sa.update(t.webhooks)
                .where(t.webhooks.c.webhook_id == webhook_id)
                .values(deleted_timestamp=now, last_updated_timestamp=now, secret=None)
            )

    # --- delivery -------------------------------------------------------------------------
    def get_target(self, webhook_id: str) -> w.WebhookTarget:
        with self.engine.connect() as conn:
            row = _row(conn, webhook_id)
            return w.WebhookTarget(_load(conn, [row])[0], row.secret)

    def subscribers(self, event: WebhookEvent) -> list[w.WebhookTarget]:
        wh, we = t.webhooks, t.webhook_events
        query = (
            sa.select(wh)
            .join(we, we.c.webhook_id == wh.c.webhook_id)
            .where(
                we.c.entity == event.entity.value,
                we.c.action == event.action.value,
                wh.c.deleted_timestamp.is_(None),
                wh.c.status == WebhookStatus.ACTIVE.value,
            )
            .order_by(wh.c.creation_timestamp, wh.c.webhook_id)
        )
        with self.engine.connect() as conn:
            rows = list(conn.execute(query))
            hooks = _load(conn, rows)
        return [w.WebhookTarget(h, r.secret) for h, r in zip(hooks, rows, strict=True)]

    def record_delivery(self, delivery: WebhookDelivery) -> None:
        error = delivery.error_message
        with self.engine.begin() as conn:
            conn.execute(
                sa.insert(t.webhook_deliveries).values(
                    delivery_id=delivery.delivery_id,
                    attempt=delivery.attempt,
                    webhook_id=delivery.webhook_id,
                    entity=delivery.entity,
                    action=delivery.action,
                    status=delivery.status.value,
                    response_status=delivery.response_status,
                    error_message=None if error is None else error[:_MAX_ERROR],
                    timestamp=delivery.timestamp,
                    duration_ms=delivery.duration_ms,
                )
            )

    def list_deliveries(
        self,
        webhook_id: str,
        max_results: int = w.LIST_DELIVERIES_DEFAULT,
        page_token: str | None = None,
    ) -> Page[WebhookDelivery]:
        check_page_size(max_results, w.LIST_DELIVERIES_CAP)
        offset = decode_page_token(page_token)
        wd = t.webhook_deliveries
        query = (
            sa.select(wd)
            .where(wd.c.webhook_id == webhook_id)
            .order_by(wd.c.timestamp.desc(), wd.c.delivery_id, wd.c.attempt.desc())
            .offset(offset)
            .limit(max_results + 1)
        )
        with self.engine.connect() as conn:
            _row(conn, webhook_id)
            rows = list(conn.execute(query))
        items = tuple(_delivery(r) for r in rows[:max_results])
        token = encode_page_token(offset + max_results) if len(rows) > max_results else None
        return Page(items, token)


def _changed_values(
    name: str | None,
    description: str | None,
    url: str | None,
    secret: str | None,
    status: WebhookStatus | None,
) -> dict[str, Any]:
    """The columns an update touches, each validated; an empty secret turns signing off."""
    values: dict[str, Any] = {}
    if name is not None:
        values["name"] = w.validate_name(name)
    if description is not None:
        values["description"] = w.validate_text(
            "description", description, w.MAX_DESCRIPTION_LENGTH
        )
    if url is not None:
        w.split_url(url)
        values["url"] = url
    if secret is not None:
        values["secret"] = w.validate_text("secret", secret, w.MAX_SECRET_LENGTH) or None
    if status is not None:
        values["status"] = status.value
    return values


def _insert_events(conn: sa.Connection, webhook_id: str, events: Sequence[WebhookEvent]) -> None:
    conn.execute(
        sa.insert(t.webhook_events),
        [
            {"webhook_id": webhook_id, "entity": e.entity.value, "action": e.action.value}
            for e in events
        ],
    )


def _row(conn: sa.Connection, webhook_id: str) -> sa.Row[Any]:
    wh = t.webhooks
    row = conn.execute(
        sa.select(wh).where(wh.c.webhook_id == webhook_id, wh.c.deleted_timestamp.is_(None))
    ).first()
    if row is None:
        raise _not_found(webhook_id)
    return row


def _load(conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[Webhook]:
    """Entities for webhook rows, their events fetched in one query."""
    if not rows:
        return []
    we = t.webhook_events
    ids = [r.webhook_id for r in rows]
    events: dict[str, list[WebhookEvent]] = {i: [] for i in ids}
    for e in conn.execute(sa.select(we).where(we.c.webhook_id.in_(ids))):
        events[e.webhook_id].append(WebhookEvent(WebhookEntity(e.entity), WebhookAction(e.action)))
    order = {entity: i for i, entity in enumerate(WebhookEntity)}
    return [
        Webhook(
            webhook_id=r.webhook_id,
            name=r.name,
            url=r.url,
            events=tuple(
                sorted(events[r.webhook_id], key=lambda e: (order[e.entity], e.action.value))
            ),
            status=WebhookStatus(r.status),
            creation_timestamp=r.creation_timestamp,
            last_updated_timestamp=r.last_updated_timestamp,
            description=r.description,
            has_secret=bool(r.secret),
        )
        for r in rows
    ]


def _delivery(row: sa.Row[Any]) -> WebhookDelivery:
    return WebhookDelivery(
        delivery_id=row.delivery_id,
        webhook_id=row.webhook_id,
        entity=row.entity,
        action=row.action,
        attempt=row.attempt,
        status=DeliveryStatus(row.status),
        timestamp=row.timestamp,
        duration_ms=row.duration_ms,
        response_status=row.response_status,
        error_message=row.error_message,
    )
