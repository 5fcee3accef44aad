"""Plain frozen dataclasses: no I/O, no wire format, no ORM."""

from cairn.entities.dataset import Dataset, DatasetInput, DatasetSummary, InputTag
from cairn.entities.experiment import Experiment
from cairn.entities.file_info import FileInfo
from cairn.entities.key_value import ExperimentTag, Param, RunTag
from cairn.entities.lifecycle import LifecycleStage, RunStatus, ViewType
from cairn.entities.logged_model import (
    LoggedModel,
    LoggedModelParam,
    LoggedModelStatus,
    LoggedModelTag,
    ModelInput,
    ModelOutput,
)
from cairn.entities.metric import Metric, MetricSeries
from cairn.entities.page import Page
from cairn.entities.registry import (
    ModelVersion,
    ModelVersionStage,
    ModelVersionStatus,
    ModelVersionTag,
    RegisteredModel,
    RegisteredModelAlias,
    RegisteredModelTag,
    RegistryEvent,
    RegistryEventType,
)
from cairn.entities.run import Run, RunData, RunInfo, RunInputs, RunOutputs
from cairn.entities.run_bundle import RunBundle

__all__ = [
    "Dataset",
    "DatasetInput",
    "DatasetSummary",
    "Experiment",
    "ExperimentTag",
    "FileInfo",
    "InputTag",
    "LifecycleStage",
    "LoggedModel",
    "LoggedModelParam",
    "LoggedModelStatus",
    "LoggedModelTag",
    "Metric",
    "MetricSeries",
    "ModelInput",
    "ModelOutput",
    "ModelVersion",
    "ModelVersionStage",
    "ModelVersionStatus",
    "ModelVersionTag",
    "Page",
    "Param",
    "RegisteredModel",
    "RegisteredModelAlias",
    "RegisteredModelTag",
    "RegistryEvent",
    "RegistryEventType",
    "Run",
    "RunBundle",
    "RunData",
    "RunInfo",
    "RunInputs",
    "RunOutputs",
    "RunStatus",
    "RunTag",
    "ViewType",
]
