"""Requests and answers of the MLflow 3 logged-model endpoints (reference section 1.9)."""

from __future__ import annotations

from pydantic import Field

from cairn.server.schemas._base import KeyValue, WireModel
from cairn.server.schemas.tracking import FileInfo, LoggedModel, LoggedModelStatusName


class CreateLoggedModelRequest(WireModel):
    experiment_id: str
    name: str | None = None
    model_type: str | None = None
    source_run_id: str | None = None
    params: list[KeyValue] | None = None
    tags: list[KeyValue] | None = None


class LoggedModelResponse(WireModel):
    model: LoggedModel


class GetLoggedModelRequest(WireModel):
    allow_deleted: bool | None = None


class FinalizeLoggedModelRequest(WireModel):
    status: LoggedModelStatusName


class SetLoggedModelTagsRequest(WireModel):
    tags: list[KeyValue]


class LogLoggedModelParamsRequest(WireModel):
    params: list[KeyValue]


class LoggedModelDatasetFilter(WireModel):
    dataset_name: str
    dataset_digest: str | None = None


class LoggedModelOrderBy(WireModel):
    field_name: str
    ascending: bool | None = None
    dataset_name: str | None = None
    dataset_digest: str | None = None


class SearchLoggedModelsRequest(WireModel):
    experiment_ids: list[str]
    filter: str | None = None
    datasets: list[LoggedModelDatasetFilter] | None = None
    max_results: int | None = Field(default=None, description="Page size, default 100.")
    order_by: list[LoggedModelOrderBy] | None = None
    page_token: str | None = None


class SearchLoggedModelsResponse(WireModel):
    models: list[LoggedModel] | None = None
    next_page_token: str | None = None


class ListLoggedModelArtifactsRequest(WireModel):
    artifact_directory_path: str | None = None
    page_token: str | None = None


class ListLoggedModelArtifactsResponse(WireModel):
    root_uri: str
    files: list[FileInfo] | None = None
    next_page_token: str | None = None
