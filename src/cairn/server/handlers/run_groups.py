"""``POST /api/2.0/cairn/runs/groups``: runs grouped by a param or tag value, with metric
statistics per group, computed by the database over every matching run (not one page)."""

from __future__ import annotations

import math
from typing import Any

from cairn.entities.run_summary import MetricStats, RunGroup
from cairn.errors import InvalidParameterValue
from cairn.server.handlers._shared import run_scope
from cairn.server.params import Params
from cairn.server.state import ServerState
from cairn.wire.encode import encode_float

JsonDict = dict[str, Any]

MAX_GROUP_METRICS = 100


def _stat(value: float | None) -> float | None:
    """A statistic as a JSON number; an undefined one (None, or NaN from an overflow) as null."""
    if value is None or math.isnan(value):
        return None
    return float(encode_float(value))


def _encode_stats(stats: MetricStats) -> JsonDict:
    return {
        "mean": _stat(stats.mean),
        "min": _stat(stats.min),
        "max": _stat(stats.max),
        "std": _stat(stats.std),
    }


def _encode_group(group: RunGroup) -> JsonDict:
    return {
        "value": group.value,
        "count": group.count,
        "run_ids_sample": list(group.run_ids_sample),
        "metrics": {key: _encode_stats(s) for key, s in group.metrics.items()},
    }


def groups(state: ServerState, params: Params) -> JsonDict:
    """Group the runs of a search by ``group_by`` (``params.<key>`` or ``tags.<key>``)."""
    experiment_ids, filter_string, view_type = run_scope(params)
    metric_keys = list(dict.fromkeys(str(m) for m in params.values("metrics")))
    if len(metric_keys) > MAX_GROUP_METRICS:
        raise InvalidParameterValue(
            f"At most {MAX_GROUP_METRICS} metrics per request; got {len(metric_keys)}."
        )
    found = state.store.group_runs(
        experiment_ids,
        params.required("group_by"),
        metric_keys,
        filter_string=filter_string,
        run_view_type=view_type,
    )
    return {"groups": [_encode_group(g) for g in found]}
