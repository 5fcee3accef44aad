"""Writing a run's data (params, metrics, tags) and reading metric history.

A batch is validated whole before the first write and written in the caller's transaction,
so it lands entirely or not at all. Latest-metric bookkeeping costs one read and one upsert
per batch, not per point. A metric that names a ``model_id`` is also recorded as a metric of
that logged model (MLflow 3.x re-logs a run's metrics that way when it logs a model).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from cairn.entities import Metric, Page, Param, RunTag
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.store.db import tables as t
from cairn.store.search import decode_page_token, encode_page_token
from cairn.store.tracking import validation as v
from cairn.store.tracking.sql import logged_models, runs
from cairn.store.tracking.sql._dialect import insert_ignore, upsert
from cairn.store.tracking.sql.mapping import metric_value


def log_batch(
    conn: sa.Connection,
    run_id: str,
    metrics: Sequence[Metric],
    params: Sequence[Param],
    tags: Sequence[RunTag],
    truncate: bool,
) -> None:
    v.validate_run_id(run_id)
    v.validate_batch_limits(metrics, params, tags)
    checked_metrics = [v.validate_metric(m) for m in metrics]
    checked_params = [v.validate_param(p, truncate) for p in params]
    checked_tags = [v.validate_tag(tag, truncate) for tag in tags]
    runs.get_active_row(conn, run_id)
    logged_models.check_metric_models(conn, checked_metrics)
    _write_params(conn, run_id, checked_params)
    _write_metrics(conn, run_id, checked_metrics)
    logged_models.record_metrics(conn, run_id, checked_metrics)
    _write_tags(conn, run_id, checked_tags)


def _write_params(conn: sa.Connection, run_id: str, params: Sequence[Param]) -> None:
    if not params:
        return
    existing: dict[str, str] = dict(
        conn.execute(
            sa.select(t.params.c.key, t.params.c.value).where(
                t.params.c.run_uuid == run_id, t.params.c.key.in_([p.key for p in params])
            )
        ).all()
    )
    for param in params:
        old = existing.get(param.key)
        if old is not None and old != param.value:
            raise InvalidParameterValue(
                f"Changing param values is not allowed. Param '{param.key}' of run {run_id} "
                f"already has value '{old[:100]}'; attempted to log '{param.value[:100]}'. "
                "Log it under another key or start a new run."
            )
    new = [p for p in params if p.key not in existing]
    insert_ignore(
        conn, t.params, [{"run_uuid": run_id, "key": p.key, "value": p.value} for p in new]
    )


def _metric_row(run_id: str, metric: Metric) -> dict[str, Any]:
    value, is_nan = v.encode_metric_value(metric.value)
    return {
        "run_uuid": run_id,
        "key": metric.key,
        "value": value,
        "timestamp": metric.timestamp,
        "step": metric.step,
        "is_nan": is_nan,
    }


def _write_metrics(conn: sa.Connection, run_id: str, metrics: Sequence[Metric]) -> None:
    if not metrics:
        return
    rows = {tuple(row.values()): row for row in (_metric_row(run_id, m) for m in metrics)}
    insert_ignore(conn, t.metrics, list(rows.values()))
    _update_latest(conn, run_id, list(rows.values()))


def _latest_key(row: Any) -> tuple[int, int, float]:
    """MLflow's latest-value order: step, then timestamp, then the stored value."""
    return (row["step"], row["timestamp"], row["value"])


def _update_latest(conn: sa.Connection, run_id: str, rows: list[dict[str, Any]]) -> None:
    best: dict[str, dict[str, Any]] = {}
    for row in rows:
        current = best.get(row["key"])
        if current is None or _latest_key(row) > _latest_key(current):
            best[row["key"]] = row
    lm = t.latest_metrics
    stored = {
        r.key: {"step": r.step, "timestamp": r.timestamp, "value": r.value}
        for r in conn.execute(
            sa.select(lm).where(lm.c.run_uuid == run_id, lm.c.key.in_(list(best)))
        )
    }
    changed = [
        row
        for key, row in best.items()
        if key not in stored or _latest_key(row) > _latest_key(stored[key])
    ]
    upsert(conn, lm, changed, ["value", "timestamp", "step", "is_nan"])


def _write_tags(conn: sa.Connection, run_id: str, tags: Sequence[RunTag]) -> None:
    if not tags:
        return
    by_key = {tag.key: tag.value for tag in tags}  # later duplicates win, as in MLflow
    name = by_key.pop(runs.RUN_NAME_TAG, None)
    upsert(
        conn,
        t.tags,
        [{"run_uuid": run_id, "key": k, "value": val} for k, val in by_key.items()],
        ["value"],
    )
    if name is not None:
        runs.set_name(conn, run_id, name)


def delete_tag(conn: sa.Connection, run_id: str, key: str) -> None:
    runs.get_active_row(conn, run_id)
    result = conn.execute(sa.delete(t.tags).where(t.tags.c.run_uuid == run_id, t.tags.c.key == key))
    if result.rowcount == 0:
        raise ResourceDoesNotExist(f"Run {run_id} has no tag '{key}'.")


def metric_history(
    conn: sa.Connection,
    run_id: str,
    key: str,
    max_results: int | None,
    page_token: str | None,
) -> Page[Metric]:
    runs.get_row(conn, run_id)
    if max_results is not None and max_results <= 0:
        raise InvalidParameterValue(f"max_results must be positive; got {max_results}.")
    offset = decode_page_token(page_token) if page_token else 0
    m = t.metrics
    query = (
        sa.select(m.c.key, m.c.value, m.c.timestamp, m.c.step, m.c.is_nan)
        .where(m.c.run_uuid == run_id, m.c.key == key)
        .order_by(m.c.timestamp, m.c.step, m.c.value)
        .offset(offset)
    )
    if max_results is not None:
        query = query.limit(max_results + 1)
    rows = conn.execute(query).all()
    token = None
    if max_results is not None and len(rows) > max_results:
        rows = rows[:max_results]
        token = encode_page_token(offset + max_results)
    points = tuple(Metric(r.key, metric_value(r), r.timestamp, r.step) for r in rows)
    return Page(points, token)
