"""The few statements whose SQL differs per backend: insert-or-ignore and upsert.

Statements are built once per (backend, table, columns) and reused: constructing an upsert's
``excluded`` namespace costs ~0.2 ms, more than the write itself on a small batch.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql, sqlite


@functools.cache
def _insert_ignore_statement(dialect: str, table: sa.Table) -> Any:
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    return mysql.insert(table).prefix_with("IGNORE")


@functools.cache
def _upsert_statement(dialect: str, table: sa.Table, update_columns: tuple[str, ...]) -> Any:
    if dialect in ("postgresql", "sqlite"):
        module: Any = postgresql if dialect == "postgresql" else sqlite
        ins = module.insert(table)
        return ins.on_conflict_do_update(
            index_elements=[c.name for c in table.primary_key.columns],
            set_={c: ins.excluded[c] for c in update_columns},
        )
    ins = mysql.insert(table)
    return ins.on_duplicate_key_update({c: ins.inserted[c] for c in update_columns})


def insert_ignore(conn: sa.Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows, silently skipping any whose primary key already exists."""
    if rows:
        conn.execute(_insert_ignore_statement(conn.dialect.name, table), list(rows))


def upsert(
    conn: sa.Connection,
    table: sa.Table,
    rows: Sequence[Mapping[str, Any]],
    update_columns: Sequence[str],
) -> None:
    """Insert rows, overwriting ``update_columns`` of rows whose primary key exists."""
    if rows:
        statement = _upsert_statement(conn.dialect.name, table, tuple(update_columns))
        conn.execute(statement, list(rows))


def chunks(items: Sequence[Any], size: int = 500) -> list[Sequence[Any]]:
    """Split IN-lists so no backend meets its bound-parameter limit."""
    return [items[i : i + size] for i in range(0, len(items), size)]
