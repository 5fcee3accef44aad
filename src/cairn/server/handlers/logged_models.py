"""Logged models (MLflow 3.x): section 1.9 of the reference. Every 3.x ``log_model`` call
goes through these, so a gap here breaks model logging outright."""

from __future__ import annotations

from typing import Any

from cairn.entities import LoggedModelParam, LoggedModelStatus, LoggedModelTag
from cairn.errors import InvalidParameterValue
from cairn.server.handlers._shared import page_response
from cairn.server.params import Params, field
from cairn.server.state import ServerState
from cairn.store.tracking.base import (
    LOGGED_MODELS_MAX_RESULTS_DEFAULT,
    DatasetFilter,
    LoggedModelOrder,
)
from cairn.wire import encode_file_info, encode_logged_model

JsonDict = dict[str, Any]


def _model(state: ServerState, params: Params) -> JsonDict:
    model = state.store.get_logged_model(params.required("model_id"))
    return {"model": encode_logged_model(model)}


def _key_values(params: Params, name: str) -> list[tuple[str, str]]:
    return [
        (str(field(item, f"{name}[{i}]", "key")), str(item.get("value") or ""))
        for i, item in enumerate(params.objects(name))
    ]


def create(state: ServerState, params: Params) -> JsonDict:
    model = state.store.create_logged_model(
        experiment_id=params.required("experiment_id"),
        name=params.text("name") or None,
        source_run_id=params.text("source_run_id") or None,
        tags=[LoggedModelTag(k, v) for k, v in _key_values(params, "tags")],
        params=[LoggedModelParam(k, v) for k, v in _key_values(params, "params")],
        model_type=params.text("model_type") or None,
    )
    return {"model": encode_logged_model(model)}


def get(state: ServerState, params: Params) -> JsonDict:
    model = state.store.get_logged_model(
        params.required("model_id"), allow_deleted=params.flag("allow_deleted")
    )
    return {"model": encode_logged_model(model)}


def finalize(state: ServerState, params: Params) -> JsonDict:
    status = params.raw("status")
    if status in (None, ""):
        raise InvalidParameterValue("Missing value for required parameter 'status'.")
    model = state.store.finalize_logged_model(
        params.required("model_id"), LoggedModelStatus.parse(status)
    )
    return {"model": encode_logged_model(model)}


def delete(state: ServerState, params: Params) -> JsonDict:
    state.store.delete_logged_model(params.required("model_id"))
    return {}


def set_tags(state: ServerState, params: Params) -> JsonDict:
    model_id = params.required("model_id")
    tags = [LoggedModelTag(k, v) for k, v in _key_values(params, "tags")]
    state.store.set_logged_model_tags(model_id, tags)
    return _model(state, params)


def delete_tag(state: ServerState, params: Params) -> JsonDict:
    state.store.delete_logged_model_tag(params.required("model_id"), params.required("tag_key"))
    return {}


def log_params(state: ServerState, params: Params) -> JsonDict:
    model_params = [LoggedModelParam(k, v) for k, v in _key_values(params, "params")]
    state.store.log_logged_model_params(params.required("model_id"), model_params)
    return {}


def _orders(params: Params) -> list[LoggedModelOrder]:
    orders = []
    for i, item in enumerate(params.objects("order_by")):
        ascending = item.get("ascending")
        orders.append(
            LoggedModelOrder(
                field_name=str(field(item, f"order_by[{i}]", "field_name")),
                ascending=True if ascending is None else Params(item).flag("ascending"),
                dataset_name=item.get("dataset_name") or None,
                dataset_digest=item.get("dataset_digest") or None,
            )
        )
    return orders


def search(state: ServerState, params: Params) -> JsonDict:
    datasets = [
        DatasetFilter(
            str(field(item, f"datasets[{i}]", "dataset_name")), item.get("dataset_digest") or None
        )
        for i, item in enumerate(params.objects("datasets"))
    ]
    max_results = params.integer("max_results")
    page = state.store.search_logged_models(
        experiment_ids=[str(e) for e in params.values("experiment_ids")],
        filter_string=params.text("filter") or None,
        datasets=datasets,
        max_results=LOGGED_MODELS_MAX_RESULTS_DEFAULT if max_results is None else max_results,
        order_by=_orders(params),
        page_token=params.text("page_token") or None,
    )
    return page_response(page, "models", encode_logged_model)


def list_artifacts(state: ServerState, params: Params) -> JsonDict:
    model = state.store.get_logged_model(params.required("model_id"))
    path = params.text("artifact_directory_path") or ""
    files = state.artifact_repository(model.artifact_location).list_artifacts(path)
    response: JsonDict = {"root_uri": model.artifact_location}
    if files:
        response["files"] = [encode_file_info(f) for f in files]
    return response
