"""A metric point. ``value`` may be NaN or +-inf; stores encode those at their edge."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: A column of numbers: a list, an ``array.array`` or a numpy array (numpy is not a
#: ``Sequence`` to the type checker, hence ``Any``).
Column = Any


@dataclass(frozen=True)
class Metric:
    key: str
    value: float
    timestamp: int
    step: int = 0
    run_id: str | None = None
    model_id: str | None = None
    dataset_name: str | None = None
    dataset_digest: str | None = None


@dataclass(frozen=True)
class MetricSeries:
    """One metric's points as parallel columns: how cairn moves metrics in bulk.

    A million ``Metric`` objects cost seconds to build and serialise; three packed columns
    cost milliseconds on the wire, in the store and in a chart. Columns are any sequences
    (lists, ``array.array``, numpy arrays); ``values`` may hold NaN and +-inf.
    """

    key: str
    steps: Column
    timestamps: Column
    values: Column

    def __post_init__(self) -> None:
        if not len(self.steps) == len(self.timestamps) == len(self.values):
            raise ValueError(
                f"Metric series '{self.key}' has columns of different lengths: "
                f"{len(self.steps)} steps, {len(self.timestamps)} timestamps, "
                f"{len(self.values)} values."
            )

    def __len__(self) -> int:
        return len(self.values)

    def points(self, run_id: str | None = None) -> list[Metric]:
        steps, stamps, values = (_plain(c) for c in (self.steps, self.timestamps, self.values))
        return [
            Metric(self.key, float(v), int(ts), int(s), run_id)
            for s, ts, v in zip(steps, stamps, values, strict=True)
        ]

    @classmethod
    def from_points(cls, key: str, points: Sequence[Metric]) -> MetricSeries:
        return cls(
            key,
            [p.step for p in points],
            [p.timestamp for p in points],
            [p.value for p in points],
        )


def _plain(column: Column) -> Any:
    """Python numbers for a column: numpy's ``tolist`` is 20x faster than per-item casts."""
    tolist = getattr(column, "tolist", None)
    return tolist() if tolist is not None else column
