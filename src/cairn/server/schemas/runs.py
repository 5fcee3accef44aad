"""Requests and answers of the run, metric-history and artifact-listing endpoints
(reference sections 1.3 to 1.7 and 1.11)."""

from __future__ import annotations

from pydantic import Field

from cairn.server.schemas._base import RunStatusName, ViewTypeName, WireModel
from cairn.server.schemas.tracking import (
    DatasetInput,
    FileInfo,
    HistoryPoint,
    MetricWithRunId,
    ModelInput,
    ModelOutput,
    Param,
    Run,
    RunInfo,
    RunTag,
)


class CreateRunRequest(WireModel):
    experiment_id: str
    user_id: str | None = None
    run_name: str | None = None
    start_time: int | None = None
    tags: list[RunTag] | None = None


class RunResponse(WireModel):
    run: Run


class GetRunRequest(WireModel):
    run_id: str


class UpdateRunRequest(WireModel):
    """Only the fields present change."""

    run_id: str
    status: RunStatusName | None = None
    end_time: int | None = None
    run_name: str | None = None


class UpdateRunResponse(WireModel):
    run_info: RunInfo


class RunIdRequest(WireModel):
    """Delete or restore a run (soft delete)."""

    run_id: str


class SearchRunsRequest(WireModel):
    experiment_ids: list[str]
    filter: str | None = Field(
        default=None, description="e.g. metrics.loss < 0.5 AND params.lr = '0.1'"
    )
    run_view_type: ViewTypeName | None = None
    max_results: int | None = Field(default=None, description="Page size, default 1000.")
    order_by: list[str] | None = Field(default=None, description="e.g. ['metrics.loss ASC']")
    page_token: str | None = None


class SearchRunsResponse(WireModel):
    """No ``runs`` key when nothing matched; a token only when more pages exist."""

    runs: list[Run] | None = None
    next_page_token: str | None = None


class LogMetricRequest(WireModel):
    run_id: str
    key: str
    value: float | str
    timestamp: int
    step: int | None = None
    model_id: str | None = None
    dataset_name: str | None = None
    dataset_digest: str | None = None


class MetricInput(WireModel):
    """A metric point to log: ``step`` defaults to 0; ``value`` may be "NaN", "Infinity"
    or "-Infinity"."""

    key: str
    value: float | str
    timestamp: int
    step: int | None = None
    run_id: str | None = None
    model_id: str | None = None
    dataset_name: str | None = None
    dataset_digest: str | None = None


class LogParamRequest(WireModel):
    run_id: str
    key: str
    value: str


class SetTagRequest(WireModel):
    run_id: str
    key: str
    value: str


class DeleteTagRequest(WireModel):
    run_id: str
    key: str


class LogBatchRequest(WireModel):
    """At most 1000 metrics, 100 params, 100 tags (1000 items in all)."""

    run_id: str
    metrics: list[MetricInput] | None = None
    params: list[Param] | None = None
    tags: list[RunTag] | None = None


class LogInputsRequest(WireModel):
    run_id: str
    datasets: list[DatasetInput] | None = None
    models: list[ModelInput] | None = None


class LogOutputsRequest(WireModel):
    run_id: str
    models: list[ModelOutput]


class GetMetricHistoryRequest(WireModel):
    """Without ``max_results`` the whole history comes back in one answer."""

    run_id: str
    metric_key: str
    max_results: int | None = None
    page_token: str | None = None


class GetMetricHistoryResponse(WireModel):
    metrics: list[HistoryPoint] | None = None
    next_page_token: str | None = None


class GetMetricHistoryBulkIntervalRequest(WireModel):
    run_ids: list[str] = Field(description="1 to 100 run ids.")
    metric_key: str
    start_step: int | None = None
    end_step: int | None = None
    max_results: int | None = Field(default=None, description="Points per run, 1..2500.")


class MetricsWithRunIdResponse(WireModel):
    metrics: list[MetricWithRunId] | None = None


class ListArtifactsRequest(WireModel):
    run_id: str
    path: str | None = Field(default=None, description="Directory relative to the run root.")
    page_token: str | None = None


class ListArtifactsResponse(WireModel):
    root_uri: str
    files: list[FileInfo] | None = None
    next_page_token: str | None = None
