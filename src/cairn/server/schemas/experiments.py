"""Requests and answers of the experiment endpoints (reference section 1.2) and
``search-datasets`` (1.5)."""

from __future__ import annotations

from pydantic import Field

from cairn.server.schemas._base import ViewTypeName, WireModel
from cairn.server.schemas.tracking import DatasetSummary, Experiment, ExperimentTag


class CreateExperimentRequest(WireModel):
    name: str
    artifact_location: str | None = None
    tags: list[ExperimentTag] | None = None


class CreateExperimentResponse(WireModel):
    experiment_id: str


class SearchExperimentsRequest(WireModel):
    """``max_results`` is required by MLflow's server (400 without it)."""

    max_results: int = Field(description="Page size, 1..50000.")
    page_token: str | None = None
    filter: str | None = Field(default=None, description="e.g. name LIKE 'exp%'")
    order_by: list[str] | None = None
    view_type: ViewTypeName | None = None


class SearchExperimentsResponse(WireModel):
    """No ``experiments`` key when nothing matched; a token only when more pages exist."""

    experiments: list[Experiment] | None = None
    next_page_token: str | None = None


class GetExperimentRequest(WireModel):
    experiment_id: str


class GetExperimentByNameRequest(WireModel):
    experiment_name: str


class ExperimentResponse(WireModel):
    experiment: Experiment


class ExperimentIdRequest(WireModel):
    """Delete or restore an experiment (and all its runs)."""

    experiment_id: str


class UpdateExperimentRequest(WireModel):
    experiment_id: str
    new_name: str


class SetExperimentTagRequest(WireModel):
    experiment_id: str
    key: str
    value: str


class DeleteExperimentTagRequest(WireModel):
    experiment_id: str
    key: str


class SearchDatasetsRequest(WireModel):
    experiment_ids: list[str] = Field(description="1 to 20 experiment ids.")


class SearchDatasetsResponse(WireModel):
    dataset_summaries: list[DatasetSummary] | None = None
