"""Logged models (MLflow 3.x) over REST: section 1.9 of the reference.

Model ids and tag keys are path segments here, so they are percent-encoded; the wire has no
lifecycle stage for models, so a deleted one is recognised by a second, plain read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import quote

from cairn.entities import (
    LifecycleStage,
    LoggedModel,
    LoggedModelParam,
    LoggedModelStatus,
    LoggedModelTag,
)
from cairn.entities.page import Page
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.store.tracking.base import DatasetFilter, LoggedModelOrder
from cairn.store.tracking.rest import _bodies as b
from cairn.store.tracking.rest._api import RestApi
from cairn.wire import decode_logged_model

#: MLflow's client sends at most this many params per request (create, then batches).
PARAMS_BATCH = 100


def _endpoint(model_id: str, *rest: str) -> str:
    return "/".join(["logged-models", quote(model_id, safe=""), *rest])


def create(
    api: RestApi,
    experiment_id: str,
    name: str | None,
    source_run_id: str | None,
    tags: Sequence[LoggedModelTag],
    params: Sequence[LoggedModelParam],
    model_type: str | None,
) -> LoggedModel:
    """Like MLflow's client: the first 100 params travel with the create, the rest in
    batches afterwards (then the model is read back whole). An empty name is refused here:
    on the wire it would read as "no name" and get a random one."""
    if name is not None and not name:
        raise InvalidParameterValue("Invalid model name '': it must be a non-empty string.")
    body = {
        "experiment_id": str(experiment_id),
        "name": name,
        "model_type": model_type,
        "source_run_id": source_run_id,
        "params": b.key_values(params[:PARAMS_BATCH]),
        "tags": b.key_values(tags),
    }
    model = decode_logged_model(api.post("logged-models", body, idempotent=False)["model"])
    if len(params) > PARAMS_BATCH:
        log_params(api, model.model_id, params[PARAMS_BATCH:])
        model = get(api, model.model_id, False)
    return model


def get(api: RestApi, model_id: str, allow_deleted: bool) -> LoggedModel:
    """With ``allow_deleted``, a second plain read tells a deleted model (404) from an
    active one."""
    model = _fetch(api, model_id, allow_deleted)
    if allow_deleted:
        try:
            _fetch(api, model_id, False)
        except ResourceDoesNotExist:
            return replace(model, lifecycle_stage=LifecycleStage.DELETED)
    return model


def _fetch(api: RestApi, model_id: str, allow_deleted: bool) -> LoggedModel:
    fields = {"allow_deleted": True} if allow_deleted else {}
    return decode_logged_model(api.get(_endpoint(model_id), fields)["model"])


def finalize(api: RestApi, model_id: str, status: LoggedModelStatus) -> LoggedModel:
    body = {"model_id": model_id, "status": LoggedModelStatus.parse(status).name}
    data = api.call("PATCH", _endpoint(model_id), body, idempotent=True)
    return decode_logged_model(data["model"])


def delete(api: RestApi, model_id: str) -> None:
    api.call("DELETE", _endpoint(model_id), {"model_id": model_id}, idempotent=False)


def set_tags(api: RestApi, model_id: str, tags: Sequence[LoggedModelTag]) -> None:
    body = {"tags": b.key_values(tags)}
    api.call("PATCH", _endpoint(model_id, "tags"), body, idempotent=True)


def delete_tag(api: RestApi, model_id: str, key: str) -> None:
    api.call("DELETE", _endpoint(model_id, "tags", quote(key, safe="")), None, idempotent=False)


def log_params(api: RestApi, model_id: str, params: Sequence[LoggedModelParam]) -> None:
    for start in range(0, len(params), PARAMS_BATCH):
        batch = params[start : start + PARAMS_BATCH]
        body = {"model_id": model_id, "params": b.key_values(batch)}
        api.post(_endpoint(model_id, "params"), body, idempotent=True)


def search(
    api: RestApi,
    experiment_ids: Sequence[str],
    filter_string: str | None,
    datasets: Sequence[DatasetFilter],
    max_results: int,
    order_by: Sequence[LoggedModelOrder],
    page_token: str | None,
) -> Page[LoggedModel]:
    body: dict[str, Any] = {
        "experiment_ids": [str(e) for e in experiment_ids],
        "filter": filter_string,
        "datasets": b.dataset_filters(datasets),
        "max_results": max_results,
        "order_by": b.model_orders(order_by),
        "page_token": page_token,
    }
    data = api.post("logged-models/search", body, idempotent=True)
    items = tuple(decode_logged_model(m) for m in data.get("models", ()))
    return Page(items, data.get("next_page_token") or None)
