"""cairn-native endpoints under ``/api/2.0/cairn`` (no MLflow equivalent).

Metric series travel as packed columns: base64 of little-endian int64 (steps, timestamps) or
float64 (values), which a browser maps straight onto a typed array.
"""

from __future__ import annotations

from pydantic import Field

from cairn.server.schemas._base import LifecycleStageName, RunStatusName, ViewTypeName, WireModel
from cairn.server.schemas.tracking import DatasetInput, Param, RunTag


class PackedSeries(WireModel):
    """One metric's points as base64 columns (``count`` points each)."""

    key: str
    count: int
    steps: str = Field(description="base64 of little-endian int64")
    timestamps: str = Field(description="base64 of little-endian int64 (ms)")
    values: str = Field(description="base64 of little-endian float64")


class SeriesInput(WireModel):
    """A series to log: base64 columns, or plain JSON lists for hand-written clients."""

    key: str
    steps: str | list[int]
    timestamps: str | list[int]
    values: str | list[float]


class SeriesResponse(WireModel):
    series: PackedSeries


class GetSeriesRequest(WireModel):
    run_id: str
    metric_key: str


class SampledSeriesRequest(WireModel):
    """Each of ``buckets`` step ranges keeps its minimum and maximum point."""

    run_id: str
    metric_key: str
    buckets: int | None = Field(default=None, description="1..100000 (1000).")
    start_step: int | None = None
    end_step: int | None = None


class LogSeriesRequest(WireModel):
    run_id: str
    series: list[SeriesInput] | None = None
    params: list[Param] | None = None
    tags: list[RunTag] | None = None


class ImportRunRequest(WireModel):
    """A complete run bundle recreated under its own id (``cairn sync``)."""

    experiment_name: str
    run_id: str
    run_name: str | None = None
    user_id: str | None = None
    status: RunStatusName
    start_time: int
    end_time: int | None = None
    lifecycle_stage: LifecycleStageName | None = None
    params: list[Param] | None = None
    tags: list[RunTag] | None = None
    series: list[SeriesInput] | None = None
    dataset_inputs: list[DatasetInput] | None = None


class ExperimentKeysRequest(WireModel):
    experiment_ids: list[str]


class ExperimentKeysResponse(WireModel):
    """Distinct keys over the experiments' runs, sorted, each list capped at 2000."""

    metric_keys: list[str]
    param_keys: list[str]
    tag_keys: list[str]


class ExportColumns(WireModel):
    params: list[str] | None = None
    metrics: list[str] | None = None
    tags: list[str] | None = None


class ExportRunsRequest(WireModel):
    """Every run matching the search (not one page) as CSV."""

    experiment_ids: list[str]
    filter: str | None = None
    order_by: list[str] | None = None
    run_view_type: ViewTypeName | None = None
    columns: ExportColumns | None = None


class RunGroupsRequest(WireModel):
    experiment_ids: list[str]
    filter: str | None = None
    run_view_type: ViewTypeName | None = None
    group_by: str = Field(description="params.<key> or tags.<key>")
    metrics: list[str] | None = Field(default=None, description="metric keys to aggregate")


class MetricAggregate(WireModel):
    """Over the group's runs that have the metric (latest values); null when none has it."""

    mean: float | None
    min: float | None
    max: float | None
    std: float | None


class RunGroup(WireModel):
    value: str | None = Field(description="null: runs without the key")
    count: int
    run_ids_sample: list[str]
    metrics: dict[str, MetricAggregate]


class RunGroupsResponse(WireModel):
    groups: list[RunGroup]
