"""Runs and their data: sections 1.3, 1.4, 1.5 and 1.8 of the reference."""

from __future__ import annotations

import json
import uuid
from typing import Any

from cairn.entities import (
    Dataset,
    DatasetInput,
    InputTag,
    ModelInput,
    ModelOutput,
    Param,
    RunStatus,
    RunTag,
    ViewType,
)
from cairn.errors import InvalidParameterValue
from cairn.server.handlers._shared import page_response
from cairn.server.handlers.batch_columns import metric_columns, metric_from
from cairn.server.params import Params, field, int_field
from cairn.server.state import ServerState
from cairn.store.tracking import validation
from cairn.store.tracking.base import SEARCH_MAX_RESULTS_DEFAULT
from cairn.wire import encode_run, encode_run_info

JsonDict = dict[str, Any]

_LOG_MODEL_HISTORY = "mlflow.log-model.history"


def run_id_of(params: Params) -> str:
    """``run_id`` first, then MLflow's legacy ``run_uuid`` (clients send both)."""
    return params.required("run_id", alias="run_uuid")


def batch_tags(params: Params) -> list[RunTag]:
    return [
        RunTag(str(field(item, f"tags[{i}]", "key")), str(item.get("value") or ""))
        for i, item in enumerate(params.objects("tags"))
    ]


def create(state: ServerState, params: Params) -> JsonDict:
    run = state.store.create_run(
        experiment_id=params.text("experiment_id") or "0",
        user_id=params.text("user_id") or "",
        start_time=params.integer("start_time"),
        tags=batch_tags(params),
        run_name=params.text("run_name") or None,
    )
    return {"run": encode_run(run)}


def update(state: ServerState, params: Params) -> JsonDict:
    status = params.raw("status")
    info = state.store.update_run_info(
        run_id_of(params),
        status=RunStatus.parse(status) if status not in (None, "") else None,
        end_time=params.integer("end_time"),
        run_name=params.text("run_name") or None,
    )
    return {"run_info": encode_run_info(info)}


def delete(state: ServerState, params: Params) -> JsonDict:
    state.store.delete_run(run_id_of(params))
    return {}


def restore(state: ServerState, params: Params) -> JsonDict:
    state.store.restore_run(run_id_of(params))
    return {}


def get(state: ServerState, params: Params) -> JsonDict:
    return {"run": encode_run(state.store.get_run(run_id_of(params)))}


def search(state: ServerState, params: Params) -> JsonDict:
    max_results = params.integer("max_results")
    page = state.store.search_runs(
        experiment_ids=[str(e) for e in params.values("experiment_ids")],
        filter_string=params.text("filter") or None,
        run_view_type=ViewType.parse(params.raw("run_view_type")),
        max_results=SEARCH_MAX_RESULTS_DEFAULT if max_results is None else max_results,
        order_by=[str(o) for o in params.values("order_by")],
        page_token=params.text("page_token") or None,
    )
    return page_response(page, "runs", encode_run)


def log_metric(state: ServerState, params: Params) -> JsonDict:
    metric = metric_from(
        {name: params.raw(name) for name in ("key", "value", "timestamp", "step")}
        | {name: params.raw(name) for name in ("model_id", "dataset_name", "dataset_digest")},
        "metric",
    )
    state.store.log_metric(run_id_of(params), metric)
    return {}


def log_param(state: ServerState, params: Params) -> JsonDict:
    param = Param(params.required("key"), params.text("value") or "")
    state.store.log_param(run_id_of(params), param)
    return {}


def set_tag(state: ServerState, params: Params) -> JsonDict:
    tag = RunTag(params.required("key"), params.text("value") or "")
    state.store.set_tag(run_id_of(params), tag)
    return {}


def delete_tag(state: ServerState, params: Params) -> JsonDict:
    state.store.delete_tag(run_id_of(params), params.required("key"))
    return {}


def log_batch(state: ServerState, params: Params) -> JsonDict:
    run_id, items = run_id_of(params), params.values("metrics")
    columns = metric_columns(items)
    if columns is None:
        metrics = [metric_from(m, f"metrics[{i}]") for i, m in enumerate(params.objects("metrics"))]
        state.store.log_batch(run_id, metrics, batch_params(params), batch_tags(params))
        return {}
    found_params, found_tags = batch_params(params), batch_tags(params)
    validation.validate_batch_limits(items, found_params, found_tags)
    state.store.log_metric_series(run_id, columns, found_params, found_tags)
    return {}


def batch_params(params: Params) -> list[Param]:
    seen: set[str] = set()
    found = []
    for i, item in enumerate(params.objects("params")):
        key = str(field(item, f"params[{i}]", "key"))
        if key in seen:
            raise InvalidParameterValue(
                f"Duplicate parameter key '{key}' in one batch; each param may appear once."
            )
        seen.add(key)
        found.append(Param(key, str(item.get("value") or "")))
    return found


def log_inputs(state: ServerState, params: Params) -> JsonDict:
    datasets = []
    for i, item in enumerate(params.objects("datasets")):
        path = f"datasets[{i}]"
        ds = field(item, path, "dataset")
        if not isinstance(ds, dict):
            raise InvalidParameterValue(f"{path}.dataset must be an object.")
        dataset = Dataset(
            name=str(field(ds, f"{path}.dataset", "name")),
            digest=str(field(ds, f"{path}.dataset", "digest")),
            source_type=str(field(ds, f"{path}.dataset", "source_type")),
            source=str(field(ds, f"{path}.dataset", "source")),
            schema=ds.get("schema") or None,
            profile=ds.get("profile") or None,
        )
        tags = tuple(
            InputTag(str(field(t, f"{path}.tags", "key")), str(field(t, f"{path}.tags", "value")))
            for t in item.get("tags") or ()
        )
        datasets.append(DatasetInput(dataset, tags))
    models = [
        ModelInput(str(field(m, f"models[{i}]", "model_id")))
        for i, m in enumerate(params.objects("models"))
    ]
    state.store.log_inputs(run_id_of(params), datasets, models)
    return {}


def log_outputs(state: ServerState, params: Params) -> JsonDict:
    models = [
        ModelOutput(str(field(m, f"models[{i}]", "model_id")), int_field(m, f"models[{i}]", "step"))
        for i, m in enumerate(params.objects("models"))
    ]
    if not models:
        raise InvalidParameterValue("Missing value for required parameter 'models'.")
    state.store.log_outputs(run_id_of(params), models)
    return {}


def log_model(state: ServerState, params: Params) -> JsonDict:
    """Legacy (2.x clients): append a model summary to the run's history tag."""
    run_id = run_id_of(params)
    try:
        model = json.loads(params.required("model_json"))
    except ValueError:
        raise InvalidParameterValue("model_json must hold a JSON object.") from None
    missing = [
        k for k in ("artifact_path", "flavors", "utc_time_created", "run_id") if k not in model
    ]
    if not isinstance(model, dict) or missing:
        raise InvalidParameterValue(f"model_json lacks required fields: {', '.join(missing)}.")
    summary = {
        "run_id": model["run_id"],
        "utc_time_created": model["utc_time_created"],
        "artifact_path": model["artifact_path"],
        "model_uuid": model.get("model_uuid") or uuid.uuid4().hex,
        "flavors": {k: v for k, v in model["flavors"].items() if k != "config"},
    }
    history_raw = state.store.get_run(run_id).data.tag_dict.get(_LOG_MODEL_HISTORY, "[]")
    try:
        history = json.loads(history_raw)
    except ValueError:
        history = []
    history = [*(history if isinstance(history, list) else []), summary]
    state.store.log_batch(run_id, tags=[RunTag(_LOG_MODEL_HISTORY, json.dumps(history))])
    return {}
