"""Where a registered model version came from: its run, experiment, data and code.

A registry answers "what is in Production?"; an audit or an incident review then asks "what
was that trained on?". The answer is spread over the registry (the version), the tracking
store (run, params, metrics, datasets) and the run's ``mlflow.source.*`` tags, so it is
gathered into one value here. A version registered without a run has ``run=None`` and empty
collections: lineage is then simply unknown, not an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cairn.entities.lifecycle import RunStatus
from cairn.entities.registry import ModelVersion


@dataclass(frozen=True)
class LineageRun:
    """The run that produced the version, with its experiment and source-code context."""

    run_id: str
    run_name: str
    status: RunStatus
    start_time: int
    end_time: int | None
    user_id: str
    experiment_id: str
    experiment_name: str | None = None
    git_commit: str | None = None
    source_name: str | None = None
    source_type: str | None = None


@dataclass(frozen=True)
class LineageDataset:
    """A dataset the run consumed; ``digest`` pins the exact data, ``context`` its role
    (``training``, ``eval``...)."""

    name: str
    digest: str
    source_type: str
    source: str
    context: str | None = None


@dataclass(frozen=True)
class ModelVersionLineage:
    """One version with its provenance; ``metrics`` are the run's latest value per key."""

    version: ModelVersion
    model_id: str | None = None
    run: LineageRun | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    metrics: Mapping[str, float] = field(default_factory=dict)
    datasets: tuple[LineageDataset, ...] = field(default=())
