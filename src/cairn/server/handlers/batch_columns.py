"""Read log-batch's metric objects straight into columns, the server's hottest path.

MLflow clients send ``{"key", "value", "timestamp", "step"}`` with plain JSON numbers; such
items are appended to per-key lists with a few type checks and no object per point, which
makes the MLflow endpoint several times faster than building ``Metric`` objects. Anything
else (camelCase names, "NaN" strings, digit strings) goes through the general parser; a
metric that names a logged model or dataset sends the whole batch down the general path.
"""

from __future__ import annotations

from typing import Any

from cairn.entities import Metric, MetricSeries
from cairn.server.params import field, int_field, normalize, to_float

_PLAIN_FIELDS = frozenset(("key", "value", "timestamp", "step"))


def metric_from(item: dict[str, Any], path: str) -> Metric:
    value = field(item, path, "value")
    step = item.get("step")
    return Metric(
        key=str(field(item, path, "key")),
        value=to_float(f"{path}.value", value),
        timestamp=int_field(item, path, "timestamp"),
        step=0 if step in (None, "") else int_field(item, path, "step"),
        model_id=item.get("model_id") or None,
        dataset_name=item.get("dataset_name") or None,
        dataset_digest=item.get("dataset_digest") or None,
    )


def _plain(item: dict[str, Any]) -> bool:
    if not _PLAIN_FIELDS.issuperset(item):
        return False
    key, value, step = item.get("key"), item.get("value"), item.get("step", 0)
    return (
        type(key) is str
        and key != ""
        and type(value) in (float, int)
        and type(item.get("timestamp")) is int
        and type(step) is int
    )


def _all_plain(items: list[Any]) -> list[MetricSeries] | None:
    """The common case in whole-list passes (no per-item function call): every item a plain
    object with exactly typed fields. None as soon as one is not."""
    if not all(type(item) is dict and _PLAIN_FIELDS.issuperset(item) for item in items):
        return None
    try:
        keys = [item["key"] for item in items]
        values = [item["value"] for item in items]
        stamps = [item["timestamp"] for item in items]
    except KeyError:
        return None
    steps = [item.get("step", 0) for item in items]
    if (
        set(map(type, keys)) - {str}
        or "" in set(keys)
        or set(map(type, values)) - {float, int}
        or set(map(type, stamps)) - {int}
        or set(map(type, steps)) - {int}
    ):
        return None
    distinct = dict.fromkeys(keys)
    if len(distinct) == 1:
        return [MetricSeries(keys[0], steps, stamps, values)] if keys else []
    positions: dict[str, list[int]] = {key: [] for key in distinct}
    for index, key in enumerate(keys):
        positions[key].append(index)
    return [
        MetricSeries(key, [steps[i] for i in at], [stamps[i] for i in at], [values[i] for i in at])
        for key, at in positions.items()
    ]


def metric_columns(items: list[Any]) -> list[MetricSeries] | None:
    """Per-key columns of a log-batch request, or None when the batch needs the general
    path (an item that is not an object, or a metric of a logged model)."""
    fast = _all_plain(items)
    if fast is not None:
        return fast
    columns: dict[str, tuple[list[int], list[int], list[float]]] = {}
    for index, item in enumerate(items):
        if type(item) is not dict:
            return None
        if _plain(item):
            key, step, ts, value = (
                item["key"],
                item.get("step", 0),
                item["timestamp"],
                item["value"],
            )
        else:
            metric = metric_from(normalize(item), f"metrics[{index}]")
            if metric.model_id or metric.dataset_name or metric.dataset_digest:
                return None
            key, step, ts, value = metric.key, metric.step, metric.timestamp, metric.value
        found = columns.get(key)
        if found is None:
            found = columns[key] = ([], [], [])
        found[0].append(step)
        found[1].append(ts)
        found[2].append(value)
    return [MetricSeries(key, *cols) for key, cols in columns.items()]
