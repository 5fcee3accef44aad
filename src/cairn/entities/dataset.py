"""Datasets and their link to runs (inputs)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Dataset:
    name: str
    digest: str
    source_type: str
    source: str
    schema: str | None = None
    profile: str | None = None


@dataclass(frozen=True)
class InputTag:
    key: str
    value: str


@dataclass(frozen=True)
class DatasetInput:
    dataset: Dataset
    tags: tuple[InputTag, ...] = field(default=())

    @property
    def context(self) -> str | None:
        return next((t.value for t in self.tags if t.key == "mlflow.data.context"), None)


@dataclass(frozen=True)
class DatasetSummary:
    """One (dataset, context) pair used by runs of an experiment; what the UI filters on."""

    experiment_id: str
    name: str
    digest: str
    context: str | None = None
