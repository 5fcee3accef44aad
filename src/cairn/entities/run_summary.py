"""Summaries over many runs for browsing them: which keys exist, and runs grouped by a value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RunKeys:
    """The distinct metric, param and tag keys of a set of runs, each sorted."""

    metric_keys: tuple[str, ...] = ()
    param_keys: tuple[str, ...] = ()
    tag_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class MetricStats:
    """One metric's latest values over a group of runs; all None when no run has a value.
    ``std`` is the population standard deviation (0 for a single run)."""

    mean: float | None = None
    min: float | None = None
    max: float | None = None
    std: float | None = None


@dataclass(frozen=True)
class RunGroup:
    """The runs sharing one value of a param or tag; ``value`` None holds the runs without
    that key. ``run_ids_sample`` lists the newest few runs of the group."""

    value: str | None
    count: int
    run_ids_sample: tuple[str, ...] = ()
    metrics: Mapping[str, MetricStats] = field(default_factory=dict)
