"""The route table: every MLflow REST endpoint cairn serves, in one place.

Each JSON route is registered under ``/api/2.0`` and ``/ajax-api/2.0`` (MLflow's UI uses the
latter); a route marked ``v3`` lives under ``/api/3.0`` and ``/ajax-api/3.0`` instead.
cairn's own endpoints sit beside MLflow's under ``/api/2.0/cairn``.

``request``/``response`` name the wire schemas of a route for the OpenAPI document (and so for
the web UI's generated types); they document, they never validate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from cairn.server.handlers import (
    artifacts,
    experiments,
    imports,
    logged_models,
    metrics,
    model_versions,
    registered_models,
    registry_history,
    run_export,
    run_groups,
    run_keys,
    runs,
    series,
    webhooks,
)
from cairn.server.params import Params
from cairn.server.schemas import experiments as ex
from cairn.server.schemas import logged_models as lm
from cairn.server.schemas import native as nt
from cairn.server.schemas import registry as rg
from cairn.server.schemas import runs as rs
from cairn.server.schemas import webhooks as wh
from cairn.server.schemas._base import Empty, WireModel
from cairn.server.state import ServerState

#: A handler answers a JSON-ready dict, or (for downloads) a finished response.
Handler = Callable[[ServerState, Params], dict[str, Any] | Response]
Schema = type[WireModel] | None


@dataclass(frozen=True)
class JsonRoute:
    method: str
    path: str
    handler: Handler
    request: Schema = None
    response: Schema = None
    ajax_only: bool = False
    #: the answer's media type when it is not JSON (the CSV export)
    produces: str | None = None


_M = "/mlflow"
_E = f"{_M}/experiments"
_R = f"{_M}/runs"
_LM = f"{_M}/logged-models"
_C = "/cairn"
_RM = f"{_M}/registered-models"
_MV = f"{_M}/model-versions"

EXPERIMENT_ROUTES: tuple[JsonRoute, ...] = (
    JsonRoute(
        "POST",
        f"{_E}/create",
        experiments.create,
        ex.CreateExperimentRequest,
        ex.CreateExperimentResponse,
    ),
    JsonRoute(
        "POST",
        f"{_E}/search",
        experiments.search,
        ex.SearchExperimentsRequest,
        ex.SearchExperimentsResponse,
    ),
    JsonRoute(
        "GET",
        f"{_E}/search",
        experiments.search,
        ex.SearchExperimentsRequest,
        ex.SearchExperimentsResponse,
    ),
    JsonRoute("GET", f"{_E}/get", experiments.get, ex.GetExperimentRequest, ex.ExperimentResponse),
    JsonRoute(
        "GET",
        f"{_E}/get-by-name",
        experiments.get_by_name,
        ex.GetExperimentByNameRequest,
        ex.ExperimentResponse,
    ),
    JsonRoute("POST", f"{_E}/delete", experiments.delete, ex.ExperimentIdRequest, Empty),
    JsonRoute("POST", f"{_E}/restore", experiments.restore, ex.ExperimentIdRequest, Empty),
    JsonRoute("POST", f"{_E}/update", experiments.update, ex.UpdateExperimentRequest, Empty),
    JsonRoute(
        "POST", f"{_E}/set-experiment-tag", experiments.set_tag, ex.SetExperimentTagRequest, Empty
    ),
    JsonRoute(
        "POST",
        f"{_E}/delete-experiment-tag",
        experiments.delete_tag,
        ex.DeleteExperimentTagRequest,
        Empty,
    ),
    JsonRoute(
        "POST",
        f"{_E}/search-datasets",
        experiments.search_datasets,
        ex.SearchDatasetsRequest,
        ex.SearchDatasetsResponse,
    ),
)

RUN_ROUTES: tuple[JsonRoute, ...] = (
    JsonRoute("POST", f"{_R}/create", runs.create, rs.CreateRunRequest, rs.RunResponse),
    JsonRoute("POST", f"{_R}/update", runs.update, rs.UpdateRunRequest, rs.UpdateRunResponse),
    JsonRoute("POST", f"{_R}/delete", runs.delete, rs.RunIdRequest, Empty),
    JsonRoute("POST", f"{_R}/restore", runs.restore, rs.RunIdRequest, Empty),
    JsonRoute("GET", f"{_R}/get", runs.get, rs.GetRunRequest, rs.RunResponse),
    JsonRoute("POST", f"{_R}/search", runs.search, rs.SearchRunsRequest, rs.SearchRunsResponse),
    JsonRoute("POST", f"{_R}/log-metric", runs.log_metric, rs.LogMetricRequest, Empty),
    JsonRoute("POST", f"{_R}/log-parameter", runs.log_param, rs.LogParamRequest, Empty),
    JsonRoute("POST", f"{_R}/set-tag", runs.set_tag, rs.SetTagRequest, Empty),
    JsonRoute("POST", f"{_R}/delete-tag", runs.delete_tag, rs.DeleteTagRequest, Empty),
    JsonRoute("POST", f"{_R}/log-batch", runs.log_batch, rs.LogBatchRequest, Empty),
    JsonRoute("POST", f"{_R}/log-model", runs.log_model, response=Empty),
    JsonRoute("POST", f"{_R}/log-inputs", runs.log_inputs, rs.LogInputsRequest, Empty),
    JsonRoute("POST", f"{_R}/outputs", runs.log_outputs, rs.LogOutputsRequest, Empty),
    JsonRoute(
        "GET",
        f"{_M}/metrics/get-history",
        metrics.history,
        rs.GetMetricHistoryRequest,
        rs.GetMetricHistoryResponse,
    ),
    JsonRoute(
        "GET",
        f"{_M}/metrics/get-history-bulk-interval",
        metrics.history_bulk_interval,
        rs.GetMetricHistoryBulkIntervalRequest,
        rs.MetricsWithRunIdResponse,
    ),
    JsonRoute("GET", f"{_M}/metrics/get-history-bulk", metrics.history_bulk, ajax_only=True),
    JsonRoute(
        "GET",
        f"{_M}/artifacts/list",
        artifacts.list_run_artifacts,
        rs.ListArtifactsRequest,
        rs.ListArtifactsResponse,
    ),
    JsonRoute("POST", f"{_M}/artifacts/presigned-upload-url", artifacts.presigned_url),
    JsonRoute("POST", f"{_M}/artifacts/presigned-download-url", artifacts.presigned_url),
)

LOGGED_MODEL_ROUTES: tuple[JsonRoute, ...] = (
    JsonRoute(
        "POST", _LM, logged_models.create, lm.CreateLoggedModelRequest, lm.LoggedModelResponse
    ),
    JsonRoute(
        "POST",
        f"{_LM}/search",
        logged_models.search,
        lm.SearchLoggedModelsRequest,
        lm.SearchLoggedModelsResponse,
    ),
    JsonRoute(
        "GET",
        f"{_LM}/{{model_id}}",
        logged_models.get,
        lm.GetLoggedModelRequest,
        lm.LoggedModelResponse,
    ),
    JsonRoute(
        "PATCH",
        f"{_LM}/{{model_id}}",
        logged_models.finalize,
        lm.FinalizeLoggedModelRequest,
        lm.LoggedModelResponse,
    ),
    JsonRoute("DELETE", f"{_LM}/{{model_id}}", logged_models.delete, response=Empty),
    JsonRoute(
        "PATCH",
        f"{_LM}/{{model_id}}/tags",
        logged_models.set_tags,
        lm.SetLoggedModelTagsRequest,
        lm.LoggedModelResponse,
    ),
    JsonRoute(
        "DELETE", f"{_LM}/{{model_id}}/tags/{{tag_key}}", logged_models.delete_tag, response=Empty
    ),
    JsonRoute(
        "POST",
        f"{_LM}/{{model_id}}/params",
        logged_models.log_params,
        lm.LogLoggedModelParamsRequest,
        Empty,
    ),
    JsonRoute(
        "GET",
        f"{_LM}/{{model_id}}/artifacts/directories",
        logged_models.list_artifacts,
        lm.ListLoggedModelArtifactsRequest,
        lm.ListLoggedModelArtifactsResponse,
    ),
)

#: cairn-native tracking endpoints (no MLflow equivalent)
NATIVE_TRACKING_ROUTES: tuple[JsonRoute, ...] = (
    JsonRoute("POST", f"{_C}/runs/log-series", series.log_series, nt.LogSeriesRequest, Empty),
    JsonRoute(
        "GET", f"{_C}/metrics/series", series.get_series, nt.GetSeriesRequest, nt.SeriesResponse
    ),
    JsonRoute(
        "GET", f"{_C}/metrics/sampled", series.sampled, nt.SampledSeriesRequest, nt.SeriesResponse
    ),
    JsonRoute("POST", f"{_C}/runs/import", imports.import_run, nt.ImportRunRequest, Empty),
    JsonRoute(
        "GET",
        f"{_C}/experiments/keys",
        run_keys.keys,
        nt.ExperimentKeysRequest,
        nt.ExperimentKeysResponse,
    ),
    JsonRoute(
        "POST",
        f"{_C}/runs/export",
        run_export.export,
        nt.ExportRunsRequest,
        produces="text/csv",
    ),
    JsonRoute(
        "POST", f"{_C}/runs/groups", run_groups.groups, nt.RunGroupsRequest, nt.RunGroupsResponse
    ),
)

TRACKING_ROUTES: tuple[JsonRoute, ...] = (
    EXPERIMENT_ROUTES + RUN_ROUTES + LOGGED_MODEL_ROUTES + NATIVE_TRACKING_ROUTES
)

REGISTERED_MODEL_ROUTES: tuple[JsonRoute, ...] = (
    JsonRoute(
        "POST",
        f"{_RM}/create",
        registered_models.create,
        rg.CreateRegisteredModelRequest,
        rg.RegisteredModelResponse,
    ),
    JsonRoute(
        "POST",
        f"{_RM}/rename",
        registered_models.rename,
        rg.RenameRegisteredModelRequest,
        rg.RegisteredModelResponse,
    ),
    JsonRoute(
        "PATCH",
        f"{_RM}/update",
        registered_models.update,
        rg.UpdateRegisteredModelRequest,
        rg.RegisteredModelResponse,
    ),
    JsonRoute(
        "DELETE", f"{_RM}/delete", registered_models.delete, rg.RegisteredModelNameRequest, Empty
    ),
    JsonRoute(
        "GET",
        f"{_RM}/get",
        registered_models.get,
        rg.RegisteredModelNameRequest,
        rg.RegisteredModelResponse,
    ),
    JsonRoute(
        "GET",
        f"{_RM}/search",
        registered_models.search,
        rg.SearchRegisteredModelsRequest,
        rg.SearchRegisteredModelsResponse,
    ),
    JsonRoute(
        "POST",
        f"{_RM}/get-latest-versions",
        registered_models.latest_versions,
        rg.GetLatestVersionsRequest,
        rg.ModelVersionsResponse,
    ),
    JsonRoute(
        "GET",
        f"{_RM}/get-latest-versions",
        registered_models.latest_versions,
        rg.GetLatestVersionsRequest,
        rg.ModelVersionsResponse,
    ),
    JsonRoute(
        "POST",
        f"{_RM}/set-tag",
        registered_models.set_tag,
        rg.SetRegisteredModelTagRequest,
        Empty,
    ),
    JsonRoute(
        "DELETE",
        f"{_RM}/delete-tag",
        registered_models.delete_tag,
        rg.DeleteRegisteredModelTagRequest,
        Empty,
    ),
    JsonRoute("POST", f"{_RM}/alias", registered_models.set_alias, rg.SetAliasRequest, Empty),
    JsonRoute("DELETE", f"{_RM}/alias", registered_models.delete_alias, rg.AliasRequest, Empty),
    JsonRoute(
        "GET",
        f"{_RM}/alias",
        registered_models.get_by_alias,
        rg.AliasRequest,
        rg.ModelVersionResponse,
    ),
)

MODEL_VERSION_ROUTES: tuple[JsonRoute, ...] = (
    JsonRoute(
        "POST",
        f"{_MV}/create",
        model_versions.create,
        rg.CreateModelVersionRequest,
        rg.ModelVersionResponse,
    ),
    JsonRoute(
        "PATCH",
        f"{_MV}/update",
        model_versions.update,
        rg.UpdateModelVersionRequest,
        rg.ModelVersionResponse,
    ),
    JsonRoute(
        "POST",
        f"{_MV}/transition-stage",
        model_versions.transition_stage,
        rg.TransitionStageRequest,
        rg.ModelVersionResponse,
    ),
    JsonRoute("DELETE", f"{_MV}/delete", model_versions.delete, rg.ModelVersionRequest, Empty),
    JsonRoute(
        "GET", f"{_MV}/get", model_versions.get, rg.ModelVersionRequest, rg.ModelVersionResponse
    ),
    JsonRoute(
        "GET",
        f"{_MV}/search",
        model_versions.search,
        rg.SearchModelVersionsRequest,
        rg.SearchModelVersionsResponse,
    ),
    JsonRoute(
        "GET",
        f"{_MV}/get-download-uri",
        model_versions.download_location,
        rg.ModelVersionRequest,
        rg.DownloadUriResponse,
    ),
    JsonRoute(
        "POST", f"{_MV}/set-tag", model_versions.set_tag, rg.SetModelVersionTagRequest, Empty
    ),
    JsonRoute(
        "DELETE",
        f"{_MV}/delete-tag",
        model_versions.delete_tag,
        rg.DeleteModelVersionTagRequest,
        Empty,
    ),
    # cairn-native: the audit history MLflow does not keep
    JsonRoute(
        "GET",
        f"{_C}/registry/events",
        registry_history.events,
        rg.RegistryEventsRequest,
        rg.RegistryEventsResponse,
    ),
)

REGISTRY_ROUTES: tuple[JsonRoute, ...] = REGISTERED_MODEL_ROUTES + MODEL_VERSION_ROUTES

_WH = f"{_M}/webhooks"

WEBHOOK_ROUTES: tuple[JsonRoute, ...] = (
    JsonRoute("POST", _WH, webhooks.create, wh.CreateWebhookRequest, wh.WebhookResponse),
    JsonRoute("GET", _WH, webhooks.list_webhooks, wh.PageRequest, wh.ListWebhooksResponse),
    JsonRoute("GET", f"{_WH}/{{webhook_id}}", webhooks.get, response=wh.WebhookResponse),
    JsonRoute(
        "PATCH",
        f"{_WH}/{{webhook_id}}",
        webhooks.update,
        wh.UpdateWebhookRequest,
        wh.WebhookResponse,
    ),
    JsonRoute("DELETE", f"{_WH}/{{webhook_id}}", webhooks.delete, response=Empty),
    JsonRoute(
        "POST",
        f"{_WH}/{{webhook_id}}/test",
        webhooks.test,
        wh.WebhookTestRequest,
        wh.WebhookTestResponse,
    ),
    # cairn-native: what was sent to a webhook, attempt by attempt
    JsonRoute(
        "GET",
        f"{_C}/webhooks/{{webhook_id}}/deliveries",
        webhooks.deliveries,
        wh.PageRequest,
        wh.ListDeliveriesResponse,
    ),
)

ALL_ROUTES: tuple[JsonRoute, ...] = TRACKING_ROUTES + REGISTRY_ROUTES + WEBHOOK_ROUTES
