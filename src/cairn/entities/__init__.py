"""Plain frozen dataclasses: no I/O, no wire format, no ORM."""

from cairn.entities.dataset import Dataset, DatasetInput, InputTag
from cairn.entities.experiment import Experiment
from cairn.entities.file_info import FileInfo
from cairn.entities.key_value import ExperimentTag, Param, RunTag
from cairn.entities.lifecycle import LifecycleStage, RunStatus, ViewType
from cairn.entities.metric import Metric
from cairn.entities.page import Page
from cairn.entities.run import Run, RunData, RunInfo, RunInputs

__all__ = [
    "Dataset",
    "DatasetInput",
    "Experiment",
    "ExperimentTag",
    "FileInfo",
    "InputTag",
    "LifecycleStage",
    "Metric",
    "Page",
    "Param",
    "Run",
    "RunData",
    "RunInfo",
    "RunInputs",
    "RunStatus",
    "RunTag",
    "ViewType",
]
