"""Writing a run's data (params, metrics, tags) and reading metric history.

A batch is validated whole before the first write and written in the caller's transaction,
so it lands entirely or not at all. Points go to chunk rows (see ``metric_chunks``), one per
key and batch. A metric that names a ``model_id`` is also recorded as a metric of that logged
model (MLflow 3.x re-logs a run's metrics that way when it logs a model).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from cairn.entities import Metric, MetricSeries, Page, Param, RunTag
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.store.db import tables as t
from cairn.store.tracking import validation as v
from cairn.store.tracking.sql import logged_models, metric_chunks, runs
from cairn.store.tracking.sql._dialect import insert_ignore, upsert


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


def _write_metrics(conn: sa.Connection, run_id: str, metrics: Sequence[Metric]) -> None:
    by_key: dict[str, list[Metric]] = {}
    for metric in metrics:
        by_key.setdefault(metric.key, []).append(metric)
    series = [MetricSeries.from_points(key, points) for key, points in by_key.items()]
    metric_chunks.write_series(conn, run_id, series)


def log_series(
    conn: sa.Connection,
    run_id: str,
    series: Sequence[MetricSeries],
    params: Sequence[Param],
    tags: Sequence[RunTag],
    truncate: bool,
) -> None:
    """The bulk path: the checks of ``log_batch`` per key and column, not per point, and no
    MLflow item limits (a request's size is bounded by the server instead)."""
    v.validate_run_id(run_id)
    for s in series:
        v.validate_series(s)
    checked_params = [v.validate_param(p, truncate) for p in params]
    checked_tags = [v.validate_tag(tag, truncate) for tag in tags]
    runs.get_active_row(conn, run_id)
    _write_params(conn, run_id, checked_params)
    metric_chunks.write_series(conn, run_id, [s for s in series if len(s)])
    _write_tags(conn, run_id, checked_tags)


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
    return metric_chunks.history_page(conn, run_id, key, max_results, page_token)
