"""Metric points move from one row per point to chunk rows of packed columns.

Existing points are copied, grouped per (run, key) in history order, then ``metrics`` goes.
The migration packs with the standard library on purpose: it must keep working whatever the
application's packing code becomes later.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from cairn.store.db.types import BigId, Blob, Str

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_CHUNK_POINTS = 10_000
_DOUBLE_MAX = 1.7976931348623157e308


def _packed(typecode: str, items: list[Any]) -> bytes:
    column = array(typecode, items)
    if sys.byteorder == "big":
        column.byteswap()
    return column.tobytes()


def _unpacked(typecode: str, data: bytes) -> list[Any]:
    column = array(typecode)
    column.frombytes(data)
    if sys.byteorder == "big":
        column.byteswap()
    return column.tolist()


def _chunk(run_uuid: str, key: str, rows: Sequence[Any]) -> dict[str, Any]:
    steps = [r.step for r in rows]
    return {
        "run_uuid": run_uuid,
        "key": key,
        "point_count": len(rows),
        "min_step": min(steps),
        "max_step": max(steps),
        "step_data": _packed("q", steps),
        "timestamp_data": _packed("q", [r.timestamp for r in rows]),
        "value_data": _packed("d", [float("nan") if r.is_nan else r.value for r in rows]),
    }


def _chunks_from_points(conn: sa.Connection, points: sa.Table) -> Iterator[dict[str, Any]]:
    """One series at a time, so no cursor stays open while chunks are written."""
    series = conn.execute(sa.select(points.c.run_uuid, points.c.key).distinct()).all()
    for run_uuid, key in series:
        rows = conn.execute(
            sa.select(points)
            .where(points.c.run_uuid == run_uuid, points.c.key == key)
            .order_by(points.c.timestamp, points.c.step, points.c.value)
        ).all()
        for start in range(0, len(rows), _CHUNK_POINTS):
            yield _chunk(run_uuid, key, rows[start : start + _CHUNK_POINTS])


def upgrade() -> None:
    chunks = op.create_table(
        "metric_chunks",
        sa.Column("chunk_id", BigId(), autoincrement=True, nullable=False),
        sa.Column("run_uuid", Str(32), nullable=False),
        sa.Column("key", Str(250), nullable=False),
        sa.Column("point_count", sa.Integer(), nullable=False),
        sa.Column("min_step", sa.BigInteger(), nullable=False),
        sa.Column("max_step", sa.BigInteger(), nullable=False),
        sa.Column("step_data", Blob(), nullable=False),
        sa.Column("timestamp_data", Blob(), nullable=False),
        sa.Column("value_data", Blob(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_uuid"],
            ["runs.run_uuid"],
            name=op.f("fk_metric_chunks_run_uuid_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("chunk_id", name=op.f("pk_metric_chunks")),
        mysql_charset="utf8mb4",
        mysql_engine="InnoDB",
    )
    with op.batch_alter_table("metric_chunks", schema=None) as batch_op:
        batch_op.create_index("ix_metric_chunks_run_uuid_key", ["run_uuid", "key"], unique=False)
    conn = op.get_bind()
    points = sa.Table("metrics", sa.MetaData(), autoload_with=conn)
    pending: list[dict[str, Any]] = []
    for chunk in _chunks_from_points(conn, points):
        pending.append(chunk)
        if len(pending) == 100:
            conn.execute(chunks.insert(), pending)
            pending = []
    if pending:
        conn.execute(chunks.insert(), pending)
    op.drop_table("metrics")


def _rows_of(chunk: Any) -> Iterator[dict[str, Any]]:
    for step, ts, value in zip(
        _unpacked("q", chunk.step_data),
        _unpacked("q", chunk.timestamp_data),
        _unpacked("d", chunk.value_data),
        strict=True,
    ):
        nan = value != value
        yield {
            "run_uuid": chunk.run_uuid,
            "key": chunk.key,
            "step": step,
            "timestamp": ts,
            "value": 0.0 if nan else max(-_DOUBLE_MAX, min(_DOUBLE_MAX, value)),
            "is_nan": nan,
        }


def downgrade() -> None:
    points = op.create_table(
        "metrics",
        sa.Column("run_uuid", Str(32), nullable=False),
        sa.Column("key", Str(250), nullable=False),
        sa.Column("step", sa.BigInteger(), nullable=False),
        sa.Column("timestamp", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("is_nan", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_uuid"],
            ["runs.run_uuid"],
            name=op.f("fk_metrics_run_uuid_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "run_uuid", "key", "step", "timestamp", "value", "is_nan", name=op.f("pk_metrics")
        ),
        mysql_charset="utf8mb4",
        mysql_engine="InnoDB",
    )
    conn = op.get_bind()
    chunks = sa.Table("metric_chunks", sa.MetaData(), autoload_with=conn)
    query = sa.select(chunks).order_by(chunks.c.run_uuid, chunks.c.key, chunks.c.chunk_id)
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    group: tuple[str, str] | None = None
    for chunk in conn.execute(query).all():
        if group != (chunk.run_uuid, chunk.key):
            if seen:
                conn.execute(points.insert(), list(seen.values()))
            seen, group = {}, (chunk.run_uuid, chunk.key)
        for row in _rows_of(chunk):
            seen[(row["step"], row["timestamp"], row["value"], row["is_nan"])] = row
    if seen:
        conn.execute(points.insert(), list(seen.values()))
    op.drop_table("metric_chunks")
