"""The audit history: one row per change, written in the transaction that made the change."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from cairn.entities import RegistryEvent, RegistryEventType
from cairn.store.db import tables as t


def record(
    conn: sa.Connection,
    event_type: RegistryEventType,
    name: str,
    *,
    user_id: str | None,
    now: int,
    version: int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    conn.execute(
        sa.insert(t.registry_events).values(
            name=name,
            version=version,
            event_type=event_type.value,
            user_id=user_id,
            timestamp=now,
            details=json.dumps(details or {}, sort_keys=True),
        )
    )


def rename(conn: sa.Connection, name: str, new_name: str) -> None:
    """History follows the model: after a rename its events answer to the new name."""
    ev = t.registry_events
    conn.execute(sa.update(ev).where(ev.c.name == name).values(name=new_name))


def list_events(conn: sa.Connection, name: str, version: int | None) -> list[RegistryEvent]:
    ev = t.registry_events
    query = sa.select(ev).where(ev.c.name == name)
    if version is not None:
        query = query.where(ev.c.version == version)
    rows = conn.execute(query.order_by(ev.c.timestamp, ev.c.event_id)).all()
    return [
        RegistryEvent(
            event_id=row.event_id,
            name=row.name,
            version=row.version,
            event_type=RegistryEventType(row.event_type),
            user_id=row.user_id,
            timestamp=row.timestamp,
            details=json.loads(row.details),
        )
        for row in rows
    ]
