"""Metric history: section 1.6 of the reference (plain, bulk and sampled bulk-interval)."""

from __future__ import annotations

from typing import Any

from cairn.entities import Metric
from cairn.errors import InvalidParameterValue
from cairn.server.handlers._shared import bounded_int, page_response
from cairn.server.handlers.runs import run_id_of
from cairn.server.params import Params
from cairn.server.state import ServerState
from cairn.wire.encode import encode_float

JsonDict = dict[str, Any]

MAX_BULK_RUNS = 100
MAX_INTERVAL_POINTS = 2500
MAX_BULK_POINTS = 25000


def _point(metric: Metric, run_id: str | None = None) -> JsonDict:
    data: JsonDict = {
        "key": metric.key,
        "value": encode_float(metric.value),
        "timestamp": metric.timestamp,
        "step": metric.step,
    }
    if run_id is not None:
        data["run_id"] = run_id
    return data


def history(state: ServerState, params: Params) -> JsonDict:
    max_results = params.integer("max_results")
    if max_results is not None and max_results <= 0:
        raise InvalidParameterValue(f"max_results must be positive; got {max_results}.")
    page = state.store.get_metric_history(
        run_id_of(params),
        params.required("metric_key"),
        max_results=max_results,
        page_token=params.text("page_token") or None,
    )
    return page_response(page, "metrics", _point)


def _full_history(state: ServerState, run_id: str, key: str) -> list[Metric]:
    return list(state.store.get_metric_history(run_id, key))


def _run_ids(params: Params, name: str) -> list[str]:
    run_ids = [str(r) for r in params.values(name)]
    if not run_ids:
        raise InvalidParameterValue(f"Missing value for required parameter '{name}'.")
    if len(run_ids) > MAX_BULK_RUNS:
        raise InvalidParameterValue(
            f"At most {MAX_BULK_RUNS} runs per request; got {len(run_ids)}."
        )
    return run_ids


def sample_evenly(points: list[Metric], limit: int) -> list[Metric]:
    """At most ``limit`` points spread over the whole range, always keeping the first and
    last (only the last when ``limit`` is 1), so a chart keeps its true extent."""
    if len(points) <= limit:
        return points
    if limit == 1:
        return [points[-1]]
    last = len(points) - 1
    indexes = sorted({round(i * last / (limit - 1)) for i in range(limit)})
    return [points[i] for i in indexes]


def history_bulk_interval(state: ServerState, params: Params) -> JsonDict:
    run_ids = _run_ids(params, "run_ids")
    key = params.required("metric_key")
    start, end = params.integer("start_step"), params.integer("end_step")
    if (start is None) != (end is None):
        raise InvalidParameterValue("start_step and end_step must be given together.")
    if start is not None and end is not None and start > end:
        raise InvalidParameterValue(f"start_step ({start}) must not exceed end_step ({end}).")
    limit = bounded_int(params, "max_results", MAX_INTERVAL_POINTS, MAX_INTERVAL_POINTS)
    metrics: list[JsonDict] = []
    for run_id in run_ids:
        points = sorted(_full_history(state, run_id, key), key=lambda m: (m.step, m.timestamp))
        if start is not None and end is not None:
            points = [m for m in points if start <= m.step <= end]
        metrics.extend(_point(m, run_id) for m in sample_evenly(points, limit))
    return {"metrics": metrics} if metrics else {}


def history_bulk(state: ServerState, params: Params) -> JsonDict:
    """The UI's legacy bulk read: whole histories of up to 100 runs, capped in total."""
    run_ids = _run_ids(params, "run_id")
    key = params.required("metric_key")
    limit = bounded_int(params, "max_results", MAX_BULK_POINTS, MAX_BULK_POINTS)
    metrics: list[JsonDict] = []
    for run_id in run_ids:
        metrics.extend(_point(m, run_id) for m in _full_history(state, run_id, key))
    return {"metrics": metrics[:limit]}
