"""The route table: every MLflow REST endpoint cairn serves, in one place.

Each JSON route is registered under ``/api/2.0`` and ``/ajax-api/2.0`` (MLflow's UI uses the
latter); a route marked ``v3`` lives under ``/api/3.0`` and ``/ajax-api/3.0`` instead.
cairn's own endpoints sit beside MLflow's under ``/api/2.0/cairn``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cairn.server.handlers import (
    artifacts,
    experiments,
    imports,
    logged_models,
    metrics,
    runs,
    series,
)
from cairn.server.params import Params
from cairn.server.state import ServerState

Handler = Callable[[ServerState, Params], dict[str, Any]]


@dataclass(frozen=True)
class JsonRoute:
    method: str
    path: str
    handler: Handler
    ajax_only: bool = False


_M = "/mlflow"
_LM = f"{_M}/logged-models"
_C = "/cairn"

TRACKING_ROUTES: tuple[JsonRoute, ...] = (
    JsonRoute("POST", f"{_M}/experiments/create", experiments.create),
    JsonRoute("POST", f"{_M}/experiments/search", experiments.search),
    JsonRoute("GET", f"{_M}/experiments/search", experiments.search),
    JsonRoute("GET", f"{_M}/experiments/get", experiments.get),
    JsonRoute("GET", f"{_M}/experiments/get-by-name", experiments.get_by_name),
    JsonRoute("POST", f"{_M}/experiments/delete", experiments.delete),
    JsonRoute("POST", f"{_M}/experiments/restore", experiments.restore),
    JsonRoute("POST", f"{_M}/experiments/update", experiments.update),
    JsonRoute("POST", f"{_M}/experiments/set-experiment-tag", experiments.set_tag),
    JsonRoute("POST", f"{_M}/experiments/delete-experiment-tag", experiments.delete_tag),
    JsonRoute("POST", f"{_M}/experiments/search-datasets", experiments.search_datasets),
    JsonRoute("POST", f"{_M}/runs/create", runs.create),
    JsonRoute("POST", f"{_M}/runs/update", runs.update),
    JsonRoute("POST", f"{_M}/runs/delete", runs.delete),
    JsonRoute("POST", f"{_M}/runs/restore", runs.restore),
    JsonRoute("GET", f"{_M}/runs/get", runs.get),
    JsonRoute("POST", f"{_M}/runs/search", runs.search),
    JsonRoute("POST", f"{_M}/runs/log-metric", runs.log_metric),
    JsonRoute("POST", f"{_M}/runs/log-parameter", runs.log_param),
    JsonRoute("POST", f"{_M}/runs/set-tag", runs.set_tag),
    JsonRoute("POST", f"{_M}/runs/delete-tag", runs.delete_tag),
    JsonRoute("POST", f"{_M}/runs/log-batch", runs.log_batch),
    JsonRoute("POST", f"{_M}/runs/log-model", runs.log_model),
    JsonRoute("POST", f"{_M}/runs/log-inputs", runs.log_inputs),
    JsonRoute("POST", f"{_M}/runs/outputs", runs.log_outputs),
    JsonRoute("GET", f"{_M}/metrics/get-history", metrics.history),
    JsonRoute("GET", f"{_M}/metrics/get-history-bulk-interval", metrics.history_bulk_interval),
    JsonRoute("GET", f"{_M}/metrics/get-history-bulk", metrics.history_bulk, ajax_only=True),
    JsonRoute("GET", f"{_M}/artifacts/list", artifacts.list_run_artifacts),
    JsonRoute("POST", f"{_M}/artifacts/presigned-upload-url", artifacts.presigned_url),
    JsonRoute("POST", f"{_M}/artifacts/presigned-download-url", artifacts.presigned_url),
    JsonRoute("POST", _LM, logged_models.create),
    JsonRoute("POST", f"{_LM}/search", logged_models.search),
    JsonRoute("GET", f"{_LM}/{{model_id}}", logged_models.get),
    JsonRoute("PATCH", f"{_LM}/{{model_id}}", logged_models.finalize),
    JsonRoute("DELETE", f"{_LM}/{{model_id}}", logged_models.delete),
    JsonRoute("PATCH", f"{_LM}/{{model_id}}/tags", logged_models.set_tags),
    JsonRoute("DELETE", f"{_LM}/{{model_id}}/tags/{{tag_key}}", logged_models.delete_tag),
    JsonRoute("POST", f"{_LM}/{{model_id}}/params", logged_models.log_params),
    JsonRoute("GET", f"{_LM}/{{model_id}}/artifacts/directories", logged_models.list_artifacts),
    # cairn-native endpoints (no MLflow equivalent)
    JsonRoute("POST", f"{_C}/runs/log-series", series.log_series),
    JsonRoute("GET", f"{_C}/metrics/series", series.get_series),
    JsonRoute("GET", f"{_C}/metrics/sampled", series.sampled),
    JsonRoute("POST", f"{_C}/runs/import", imports.import_run),
)
