"""Finding a model or a live version by name, with MLflow's not-found errors."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from cairn.errors import ResourceDoesNotExist
from cairn.store.db import tables as t
from cairn.store.registry.sql.mapping import DELETED


def model_row(conn: sa.Connection, name: str) -> Any:
    rm = t.registered_models
    row = conn.execute(sa.select(rm).where(rm.c.name == name)).first()
    if row is None:
        raise ResourceDoesNotExist(f"Registered Model with name={name} not found")
    return row


def version_row(conn: sa.Connection, model_key: int, name: str, version: int) -> Any:
    """A live version; a soft-deleted one is as missing as one never created."""
    mv = t.model_versions
    row = conn.execute(
        sa.select(mv).where(
            mv.c.model_key == model_key, mv.c.version == version, mv.c.current_stage != DELETED
        )
    ).first()
    if row is None:
        raise ResourceDoesNotExist(f"Model Version (name={name}, version={version}) not found")
    return row


def touch(conn: sa.Connection, model_key: int, now: int) -> None:
    """Bump the model's last_updated_timestamp."""
    rm = t.registered_models
    conn.execute(
        sa.update(rm).where(rm.c.model_key == model_key).values(last_updated_timestamp=now)
    )
