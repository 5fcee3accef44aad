"""A run = info (identity, lifecycle) + data (metrics, params, tags) + inputs + outputs."""

from __future__ import annotations

from dataclasses import dataclass, field

from cairn.entities.dataset import DatasetInput
from cairn.entities.key_value import Param, RunTag
from cairn.entities.lifecycle import LifecycleStage, RunStatus
from cairn.entities.logged_model import ModelInput, ModelOutput
from cairn.entities.metric import Metric


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    experiment_id: str
    run_name: str
    user_id: str
    status: RunStatus
    start_time: int
    end_time: int | None
    artifact_uri: str
    lifecycle_stage: LifecycleStage

    @property
    def run_uuid(self) -> str:
        """MLflow's legacy name for ``run_id``; both travel on the wire."""
        return self.run_id


@dataclass(frozen=True)
class RunData:
    """``metrics`` holds the latest value per key: highest step, then timestamp, then value."""

    metrics: tuple[Metric, ...] = field(default=())
    params: tuple[Param, ...] = field(default=())
    tags: tuple[RunTag, ...] = field(default=())

    @property
    def metric_dict(self) -> dict[str, float]:
        return {m.key: m.value for m in self.metrics}

    @property
    def param_dict(self) -> dict[str, str]:
        return {p.key: p.value for p in self.params}

    @property
    def tag_dict(self) -> dict[str, str]:
        return {t.key: t.value for t in self.tags}


@dataclass(frozen=True)
class RunInputs:
    dataset_inputs: tuple[DatasetInput, ...] = field(default=())
    model_inputs: tuple[ModelInput, ...] = field(default=())


@dataclass(frozen=True)
class RunOutputs:
    model_outputs: tuple[ModelOutput, ...] = field(default=())


@dataclass(frozen=True)
class Run:
    info: RunInfo
    data: RunData = field(default_factory=RunData)
    inputs: RunInputs = field(default_factory=RunInputs)
    outputs: RunOutputs = field(default_factory=RunOutputs)
