"""From queued items to store calls: one columnar ``log_metric_series`` call per run.

The queue holds plain tuples (the cheapest thing a training loop can build); here they are
grouped per run, metrics per key into three columns in arrival order, so a batch of 50,000
points costs one store call and per-key order is the order of the ``log_metric`` calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cairn.entities import MetricSeries, Param, RunTag

METRIC, PARAM, TAG = 0, 1, 2
#: ``(METRIC, run_id, key, value, timestamp, step)`` or ``(PARAM|TAG, run_id, key, value)``.
Item = tuple[Any, ...]


@dataclass
class Columns:
    steps: list[int] = field(default_factory=list)
    timestamps: list[int] = field(default_factory=list)
    values: list[float] = field(default_factory=list)

    def extend(self, other: Columns) -> None:
        self.steps.extend(other.steps)
        self.timestamps.extend(other.timestamps)
        self.values.extend(other.values)


@dataclass
class RunBatch:
    """What one store call writes to one run."""

    run_id: str
    metrics: dict[str, Columns] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)

    def add_metric(self, key: str, value: float, timestamp: int, step: int) -> None:
        columns = self.metrics.get(key)
        if columns is None:
            columns = self.metrics[key] = Columns()
        columns.steps.append(step)
        columns.timestamps.append(timestamp)
        columns.values.append(value)

    @property
    def point_count(self) -> int:
        return sum(len(c.values) for c in self.metrics.values())

    def series(self) -> list[MetricSeries]:
        return [MetricSeries(k, c.steps, c.timestamps, c.values) for k, c in self.metrics.items()]

    def param_list(self) -> list[Param]:
        return [Param(k, v) for k, v in self.params.items()]

    def tag_list(self) -> list[RunTag]:
        return [RunTag(k, v) for k, v in self.tags.items()]

    def pieces(self) -> list[RunBatch]:
        """One batch per metric key, per param and per tag: the units a failing batch is split
        into to find the item the store refuses (say a param whose value changed)."""
        out = [RunBatch(self.run_id, metrics={k: c}) for k, c in self.metrics.items()]
        out += [RunBatch(self.run_id, params={k: v}) for k, v in self.params.items()]
        out += [RunBatch(self.run_id, tags={k: v}) for k, v in self.tags.items()]
        return out


def merge(run_id: str, pieces: Sequence[RunBatch]) -> RunBatch:
    merged = RunBatch(run_id)
    for piece in pieces:
        for key, columns in piece.metrics.items():
            merged.metrics.setdefault(key, Columns()).extend(columns)
        merged.params.update(piece.params)
        merged.tags.update(piece.tags)
    return merged


def group(items: Iterable[Item]) -> list[RunBatch]:
    """Per-run batches in first-arrival order.

    A param logged twice with the same value is sent once (stores refuse a batch that names a
    key twice); with a *different* value a new batch is started for that run, so the store
    sees the change in order and refuses only that batch, as it would two separate calls.
    Tags set twice keep the last value, as two ``set_tag`` calls would.
    """
    out: list[RunBatch] = []
    current: dict[str, RunBatch] = {}
    for item in items:
        kind, run_id, key, value = item[0], item[1], item[2], item[3]
        batch = current.get(run_id)
        if batch is None:
            batch = current[run_id] = RunBatch(run_id)
            out.append(batch)
        if kind == METRIC:
            batch.add_metric(key, value, item[4], item[5])
        elif kind == PARAM:
            old = batch.params.get(key)
            if old is not None and old != value:
                batch = current[run_id] = RunBatch(run_id)
                out.append(batch)
            batch.params[key] = value
        else:
            batch.tags[key] = value
    return out
