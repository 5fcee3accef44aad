"""Tracking entities as MLflow's server writes them (reference sections 1 and 5).

int64 fields (times, steps, sizes) are JSON numbers; enums travel by name; fields the server
leaves unset are absent, and so are empty lists.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from cairn.server.schemas._base import (
    KeyValue,
    LifecycleStageName,
    MetricValue,
    RunStatusName,
    WireModel,
)


class ExperimentTag(KeyValue):
    """A tag of an experiment."""


class Param(KeyValue):
    """A run parameter (immutable once logged)."""


class RunTag(KeyValue):
    """A tag of a run (``mlflow.runName``, ``mlflow.user``, ...)."""


class Experiment(WireModel):
    experiment_id: str
    name: str
    artifact_location: str
    lifecycle_stage: LifecycleStageName
    last_update_time: int
    creation_time: int
    tags: list[ExperimentTag] | None = None


class Metric(WireModel):
    """One metric point; in ``Run.data`` the latest value per key."""

    key: str
    value: MetricValue
    timestamp: int
    step: int
    dataset_name: str | None = None
    dataset_digest: str | None = None
    model_id: str | None = None
    run_id: str | None = None


class MetricWithRunId(WireModel):
    """A history point of a multi-run read (``get-history-bulk-interval``)."""

    key: str
    value: MetricValue
    timestamp: int
    step: int
    run_id: str


class HistoryPoint(WireModel):
    """A point of one run's history (``metrics/get-history``)."""

    key: str
    value: MetricValue
    timestamp: int
    step: int


class RunInfo(WireModel):
    """``run_uuid`` repeats ``run_id`` (MLflow's legacy name); ``end_time`` is absent while
    the run has not ended."""

    run_id: str
    run_uuid: str
    experiment_id: str
    run_name: str
    user_id: str
    status: RunStatusName
    start_time: int
    end_time: int | None = None
    artifact_uri: str
    lifecycle_stage: LifecycleStageName


class RunData(WireModel):
    metrics: list[Metric] | None = None
    params: list[Param] | None = None
    tags: list[RunTag] | None = None


class Dataset(WireModel):
    name: str
    digest: str
    source_type: str
    source: str
    schema_: str | None = Field(default=None, alias="schema")
    profile: str | None = None


class InputTag(KeyValue):
    """A tag of a dataset input (``mlflow.data.context``)."""


class DatasetInput(WireModel):
    dataset: Dataset
    tags: list[InputTag] | None = None


class ModelInput(WireModel):
    model_id: str


class ModelOutput(WireModel):
    model_id: str
    step: int


class RunInputs(WireModel):
    dataset_inputs: list[DatasetInput] | None = None
    model_inputs: list[ModelInput] | None = None


class RunOutputs(WireModel):
    model_outputs: list[ModelOutput] | None = None


class Run(WireModel):
    """A whole run: ``data`` holds each metric's latest value, all params and tags."""

    info: RunInfo
    data: RunData
    inputs: RunInputs
    outputs: RunOutputs


class FileInfo(WireModel):
    """``path`` is relative to the listed root; ``file_size`` is absent for directories."""

    path: str
    is_dir: bool
    file_size: int | None = None


class DatasetSummary(WireModel):
    experiment_id: str
    name: str
    digest: str
    context: str | None = None


LoggedModelStatusName = Literal[
    "LOGGED_MODEL_STATUS_UNSPECIFIED",
    "LOGGED_MODEL_PENDING",
    "LOGGED_MODEL_READY",
    "LOGGED_MODEL_UPLOAD_FAILED",
]


class LoggedModelInfo(WireModel):
    model_id: str
    experiment_id: str
    name: str
    creation_timestamp_ms: int
    last_updated_timestamp_ms: int
    artifact_uri: str
    status: LoggedModelStatusName
    model_type: str | None = None
    source_run_id: str | None = None
    status_message: str | None = None
    tags: list[KeyValue] | None = None


class LoggedModelData(WireModel):
    params: list[KeyValue] | None = None
    metrics: list[Metric] | None = None


class LoggedModel(WireModel):
    """An MLflow 3 logged model: ``{info, data}``."""

    info: LoggedModelInfo
    data: LoggedModelData
