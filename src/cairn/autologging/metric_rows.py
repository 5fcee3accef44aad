"""Per-iteration eval results as metric columns, the cheap way into the store.

Boosting libraries report a handful of metrics per iteration; 500 rounds of 2 eval sets with
2 metrics are 2,000 points. Sent as ``Metric`` objects through ``log_batch`` they cost ~40 ms
(object building, per-point validation, 1,000-point chunks); as one ``MetricSeries`` per key
through ``log_metric_series`` ~1.5 ms, which is what keeps autologging within its overhead
budget.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping

from cairn.entities import MetricSeries
from cairn.tracking import fluent

#: ``(step, {key: value})`` for each iteration, in step order.
Rows = Iterable[tuple[int, Mapping[str, float]]]


def rows_to_series(rows: Rows, timestamp: int | None = None) -> list[MetricSeries]:
    """One series per key; a key missing from some iterations only has the steps it was in."""
    stamp = int(time.time() * 1000) if timestamp is None else timestamp
    steps: dict[str, list[int]] = {}
    values: dict[str, list[float]] = {}
    for step, row in rows:
        for key, value in row.items():
            steps.setdefault(key, []).append(step)
            values.setdefault(key, []).append(value)
    return [MetricSeries(key, steps[key], [stamp] * len(steps[key]), values[key]) for key in steps]


def log_rows(run_id: str, rows: Rows) -> None:
    series = rows_to_series(rows)
    if series:
        fluent.client().log_metric_series(run_id, series)
