"""cairn-native metric endpoints: columnar bulk ingest, whole histories, min/max samples.

MLflow's API moves one JSON object per point and caps a batch at 1,000 items; these move
packed columns (base64 in JSON, or plain lists for hand-written clients), so a million
points are one request. Request size is bounded by the server's body limit instead.
"""

from __future__ import annotations

from typing import Any

from cairn.errors import InvalidParameterValue
from cairn.server.handlers._shared import bounded_int
from cairn.server.handlers.runs import batch_params, batch_tags, run_id_of
from cairn.server.params import Params
from cairn.server.state import ServerState
from cairn.store.tracking import series as cols

JsonDict = dict[str, Any]

DEFAULT_BUCKETS = 1000
MAX_BUCKETS = 100_000


def log_series(state: ServerState, params: Params) -> JsonDict:
    """Log metric series (columns), params and tags of one run in one transaction."""
    run_id = run_id_of(params)
    series = []
    for i, item in enumerate(params.objects("series")):
        try:
            series.append(cols.from_wire(item))
        except (ValueError, TypeError) as exc:
            raise InvalidParameterValue(f"series[{i}]: {exc}.") from None
    state.store.log_metric_series(run_id, series, batch_params(params), batch_tags(params))
    return {}


def get_series(state: ServerState, params: Params) -> JsonDict:
    """Every point of one metric as packed columns, in history order."""
    found = state.store.get_metric_series(run_id_of(params), params.required("metric_key"))
    return {"series": cols.to_base64(found)}


def sampled(state: ServerState, params: Params) -> JsonDict:
    """A chart-sized sample of one metric keeping each step bucket's minimum and maximum."""
    buckets = bounded_int(params, "buckets", DEFAULT_BUCKETS, MAX_BUCKETS)
    found = state.store.sample_metric_series(
        run_id_of(params),
        params.required("metric_key"),
        buckets,
        params.integer("start_step"),
        params.integer("end_step"),
    )
    return {"series": cols.to_base64(found)}
