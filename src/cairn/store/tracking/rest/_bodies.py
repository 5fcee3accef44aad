"""Request bodies the way MLflow's Python client writes them (reference section 0.2).

Entities -> JSON for *requests*: enums as names, int64 as numbers, unset optional fields left
out, and non-finite doubles as protobuf's JSON spellings (``"NaN"``, ``"Infinity"``,
``"-Infinity"``), which the server reads back exactly. (``cairn.wire.encode`` is the server's
side and clamps infinities, as MLflow's server does in its responses.)
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from typing import Any

from cairn.entities import Metric
from cairn.errors import InvalidParameterValue
from cairn.store.tracking.base import DatasetFilter, LoggedModelOrder

JsonDict = dict[str, Any]


def request_float(value: float) -> float | str:
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def compact(data: JsonDict) -> JsonDict:
    """Leave out unset (None) fields, as the protobuf client never sends them."""
    return {key: value for key, value in data.items() if value is not None}


def key_values(items: Iterable[Any]) -> list[JsonDict]:
    return [{"key": item.key, "value": item.value} for item in items]


def _check_metric_types(metric: Metric) -> None:
    """What protobuf would refuse before sending: a value that is not a number (JSON would
    happily carry ``"1.0"`` or ``true``), or a timestamp/step that is not an integer."""
    if isinstance(metric.value, bool) or not isinstance(metric.value, numbers.Real):
        raise InvalidParameterValue(
            f"Metric '{metric.key}' got value {metric.value!r:.80}; it must be a number."
        )
    for name, number in (("timestamp", metric.timestamp), ("step", metric.step)):
        if isinstance(number, bool) or not isinstance(number, int):
            raise InvalidParameterValue(
                f"Metric '{metric.key}' has {name} {number!r:.80}; it must be an integer."
            )


def metric_body(metric: Metric) -> JsonDict:
    _check_metric_types(metric)
    return compact(
        {
            "key": metric.key,
            "value": request_float(metric.value),
            "timestamp": metric.timestamp,
            "step": metric.step,
            "dataset_name": metric.dataset_name,
            "dataset_digest": metric.dataset_digest,
            "model_id": metric.model_id,
        }
    )


def dataset_filters(datasets: Sequence[DatasetFilter]) -> list[JsonDict]:
    return [
        compact({"dataset_name": d.dataset_name, "dataset_digest": d.dataset_digest})
        for d in datasets
    ]


def model_orders(order_by: Sequence[LoggedModelOrder]) -> list[JsonDict]:
    return [
        compact(
            {
                "field_name": o.field_name,
                "ascending": o.ascending,
                "dataset_name": o.dataset_name,
                "dataset_digest": o.dataset_digest,
            }
        )
        for o in order_by
    ]


def query(fields: JsonDict) -> list[tuple[str, str]]:
    """A GET request's fields as query pairs: lists repeat their key, booleans are
    ``true``/``false``, unset fields are left out (what ``requests`` does with MLflow's dict)."""
    pairs: list[tuple[str, str]] = []
    for key, value in fields.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if item is None:
                continue
            if isinstance(item, bool):
                pairs.append((key, "true" if item else "false"))
            else:
                pairs.append((key, str(item)))
    return pairs
