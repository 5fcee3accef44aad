"""The few statements whose SQL differs per backend: insert-or-ignore and upsert."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql, sqlite


def insert_ignore(conn: sa.Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows, silently skipping any whose primary key already exists."""
    if not rows:
        return
    name = conn.dialect.name
    stmt: Any
    if name == "postgresql":
        stmt = postgresql.insert(table).on_conflict_do_nothing()
    elif name == "sqlite":
        stmt = sqlite.insert(table).on_conflict_do_nothing()
    else:
        stmt = mysql.insert(table).prefix_with("IGNORE")
    conn.execute(stmt, list(rows))


def upsert(
    conn: sa.Connection,
    table: sa.Table,
    rows: Sequence[Mapping[str, Any]],
    update_columns: Sequence[str],
) -> None:
    """Insert rows, overwriting ``update_columns`` of rows whose primary key exists."""
    if not rows:
        return
    keys = [c.name for c in table.primary_key.columns]
    name = conn.dialect.name
    stmt: Any
    if name in ("postgresql", "sqlite"):
        module: Any = postgresql if name == "postgresql" else sqlite
        ins = module.insert(table)
        stmt = ins.on_conflict_do_update(
            index_elements=keys, set_={c: ins.excluded[c] for c in update_columns}
        )
    else:
        ins = mysql.insert(table)
        stmt = ins.on_duplicate_key_update({c: ins.inserted[c] for c in update_columns})
    conn.execute(stmt, list(rows))


def chunks(items: Sequence[Any], size: int = 500) -> list[Sequence[Any]]:
    """Split IN-lists so no backend meets its bound-parameter limit."""
    return [items[i : i + size] for i in range(0, len(items), size)]
