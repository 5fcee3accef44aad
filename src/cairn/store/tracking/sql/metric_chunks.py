"""Metric points as chunk rows: the write path of every batch and the read path of histories.

Each logged batch appends one row per key (more when a key has over ``CHUNK_POINTS`` points)
holding packed columns, so ingest costs a handful of statements however many points arrive.
Exact duplicate points are allowed in storage and collapse when read (as MLflow's primary
key collapses them on write), which makes re-sending a batch after a lost reply harmless.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import sqlalchemy as sa

from cairn.entities import Metric, MetricSeries, Page
from cairn.errors import InvalidParameterValue
from cairn.store.db import tables as t
from cairn.store.search import decode_page_token, encode_page_token
from cairn.store.tracking import series as cols
from cairn.store.tracking.sql._dialect import upsert

#: Points per chunk row: 240 KB of packed data, well inside every backend's packet limits.
CHUNK_POINTS = 10_000


def _chunk_rows(run_id: str, series: MetricSeries) -> list[dict[str, Any]]:
    steps, timestamps, values = cols.columns(series)
    values = cols.clamp_infinities(values)
    rows = []
    for start in range(0, len(values), CHUNK_POINTS):
        part = slice(start, start + CHUNK_POINTS)
        s = steps[part]
        rows.append(
            {
                "run_uuid": run_id,
                "key": series.key,
                "point_count": len(s),
                "min_step": int(s.min()),
                "max_step": int(s.max()),
                "step_data": s.tobytes(),
                "timestamp_data": timestamps[part].tobytes(),
                "value_data": values[part].tobytes(),
            }
        )
    return rows


def _latest(run_id: str, series: MetricSeries) -> dict[str, Any] | None:
    """The series' point that MLflow's latest-value rule picks: highest step, then timestamp,
    then stored value (NaN counts as 0, as MLflow stores it)."""
    steps, timestamps, values = cols.columns(series)
    if not len(values):
        return None
    nan = np.isnan(values)
    stored = np.where(nan, 0.0, cols.clamp_infinities(values))
    at = np.flatnonzero(steps == steps.max())
    at = at[timestamps[at] == timestamps[at].max()]
    best = int(at[np.argmax(stored[at])])
    return {
        "run_uuid": run_id,
        "key": series.key,
        "value": float(stored[best]),
        "timestamp": int(timestamps[best]),
        "step": int(steps[best]),
        "is_nan": bool(nan[best]),
    }


def write_series(conn: sa.Connection, run_id: str, series: Sequence[MetricSeries]) -> None:
    """Append the points and advance latest_metrics; the caller owns the transaction."""
    rows = [row for s in series for row in _chunk_rows(run_id, s)]
    if rows:
        conn.execute(t.metric_chunks.insert(), rows)
    latest = [row for s in series if (row := _latest(run_id, s)) is not None]
    update_latest(conn, run_id, latest)


def _order(row: Any) -> tuple[int, int, float]:
    return (row["step"], row["timestamp"], row["value"])


@functools.cache
def _conditional_upsert(dialect: str) -> Any:
    """Built once per dialect: constructing ``excluded`` costs ~0.2 ms, more than the write."""
    from sqlalchemy.dialects import postgresql, sqlite

    lm = t.latest_metrics
    module: Any = postgresql if dialect == "postgresql" else sqlite
    ins = module.insert(lm)
    newer = sa.tuple_(ins.excluded.step, ins.excluded.timestamp, ins.excluded.value) > (
        sa.tuple_(lm.c.step, lm.c.timestamp, lm.c.value)
    )
    return ins.on_conflict_do_update(
        index_elements=["run_uuid", "key"],
        set_={c: ins.excluded[c] for c in ("value", "timestamp", "step", "is_nan")},
        where=newer,
    )


def update_latest(conn: sa.Connection, run_id: str, rows: list[dict[str, Any]]) -> None:
    """Keep, per key, the point with the highest (step, timestamp, value).

    SQLite and PostgreSQL decide in the upsert itself (a row-value comparison in the
    ``WHERE`` of ``ON CONFLICT DO UPDATE``); MySQL assigns columns left to right, so there the
    stored rows are read once per batch and compared here (per key, never per point).
    """
    if not rows:
        return
    lm = t.latest_metrics
    name = conn.dialect.name
    if name in ("sqlite", "postgresql"):
        conn.execute(_conditional_upsert(name), rows)
        return
    stored = {
        r.key: {"step": r.step, "timestamp": r.timestamp, "value": r.value}
        for r in conn.execute(
            sa.select(lm).where(lm.c.run_uuid == run_id, lm.c.key.in_([r["key"] for r in rows]))
        )
    }
    changed = [r for r in rows if r["key"] not in stored or _order(r) > _order(stored[r["key"]])]
    upsert(conn, lm, changed, ["value", "timestamp", "step", "is_nan"])


def delete_series(conn: sa.Connection, run_id: str, keys: Sequence[str]) -> None:
    """Forget these keys' points of a run (and their latest values), e.g. before a re-import."""
    for table in (t.metric_chunks, t.latest_metrics):
        conn.execute(sa.delete(table).where(table.c.run_uuid == run_id, table.c.key.in_(keys)))


def points_at_step(
    conn: sa.Connection, run_id: str, keys: Sequence[str], step: int
) -> list[Metric]:
    """The distinct points of ``keys`` at ``step``, reading only the chunks whose step range
    holds it: logging a model at the end of a run with million-point histories stays cheap.
    Chunks keep no model ids, so every point counts as not yet attributed to a model."""
    mc = t.metric_chunks
    query = sa.select(mc.c.key, mc.c.step_data, mc.c.timestamp_data, mc.c.value_data).where(
        mc.c.run_uuid == run_id,
        mc.c.key.in_(list(keys)),
        mc.c.min_step <= step,
        mc.c.max_step >= step,
    )
    found: dict[tuple[str, int, str], Metric] = {}
    for row in conn.execute(query.order_by(mc.c.chunk_id)):
        chunk = cols.unpack(row.key, row.step_data, row.timestamp_data, row.value_data)
        steps, timestamps, values = cols.columns(chunk)
        for i in np.flatnonzero(steps == step).tolist():
            point = Metric(row.key, float(values[i]), int(timestamps[i]), step)
            found.setdefault((point.key, point.timestamp, repr(point.value)), point)
    return list(found.values())


def read_series(
    conn: sa.Connection,
    run_id: str,
    key: str,
    start_step: int | None = None,
    end_step: int | None = None,
) -> MetricSeries:
    """Every stored point of one key in logging order (duplicates included); a step range
    skips chunks that cannot hold a point in it (points outside it may still come back)."""
    mc = t.metric_chunks
    query = sa.select(mc.c.step_data, mc.c.timestamp_data, mc.c.value_data).where(
        mc.c.run_uuid == run_id, mc.c.key == key
    )
    if start_step is not None:
        query = query.where(mc.c.max_step >= start_step)
    if end_step is not None:
        query = query.where(mc.c.min_step <= end_step)
    rows = conn.execute(query.order_by(mc.c.chunk_id)).all()
    if len(rows) == 1:
        return cols.unpack(key, *rows[0])
    return cols.unpack(
        key,
        b"".join(r.step_data for r in rows),
        b"".join(r.timestamp_data for r in rows),
        b"".join(r.value_data for r in rows),
    )


def history(conn: sa.Connection, run_id: str, key: str) -> MetricSeries:
    """The metric's points in MLflow's history order, each distinct point once."""
    return cols.in_history_order(read_series(conn, run_id, key))


def history_page(
    conn: sa.Connection,
    run_id: str,
    key: str,
    max_results: int | None,
    page_token: str | None,
) -> Page[Metric]:
    if max_results is not None and max_results <= 0:
        raise InvalidParameterValue(f"max_results must be positive; got {max_results}.")
    offset = decode_page_token(page_token) if page_token else 0
    full = history(conn, run_id, key)
    end = len(full) if max_results is None else offset + max_results
    steps, timestamps, values = cols.columns(full)
    points = tuple(
        Metric(key, v, ts, s)
        for s, ts, v in zip(
            steps[offset:end].tolist(),
            timestamps[offset:end].tolist(),
            values[offset:end].tolist(),
            strict=True,
        )
    )
    token = encode_page_token(end) if end < len(full) else None
    return Page(points, token)
