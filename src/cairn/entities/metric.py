"""A metric point. ``value`` may be NaN or +-inf; stores encode those at their edge."""

from __future__ import annotations

import math
from dataclasses import dataclass


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

    def sort_key(self) -> tuple[int, int, float]:
        """The order MLflow uses to pick a run's "latest" value: step, then timestamp, then
        value, where NaN compares as its stored sentinel 0."""
        value = 0.0 if math.isnan(self.value) else self.value
        return (self.step, self.timestamp, value)
