"""Registered models, their tags and aliases: section 3 of the reference.

Every change is attributed to ``params.user`` (the audit history's "who") and announced to
webhooks after it commits, with MLflow's entity/action names and payloads.
"""

from __future__ import annotations

from typing import Any

from cairn.entities import ModelVersionStage, RegisteredModelTag
from cairn.server.handlers._shared import bounded_int, page_response
from cairn.server.params import Params, field
from cairn.server.state import ServerState
from cairn.store.registry.base import (
    SEARCH_REGISTERED_MODELS_CAP,
    SEARCH_REGISTERED_MODELS_DEFAULT,
)
from cairn.wire.registry import encode_model_version, encode_registered_model

JsonDict = dict[str, Any]


def key_values(params: Params, name: str = "tags") -> list[tuple[str, str]]:
    """``tags: [{key, value}]`` as pairs; a missing value is the empty string."""
    pairs = []
    for i, item in enumerate(params.objects(name)):
        value = item.get("value")
        pairs.append((str(field(item, f"{name}[{i}]", "key")), "" if value is None else str(value)))
    return pairs


def create(state: ServerState, params: Params) -> JsonDict:
    tags = key_values(params)
    model = state.registry.create_registered_model(
        params.required("name"),
        tags=[RegisteredModelTag(k, v) for k, v in tags],
        description=params.text("description"),
        user_id=params.user,
    )
    state.emit(
        "registered_model",
        "created",
        {"name": model.name, "tags": dict(tags), "description": model.description},
    )
    return {"registered_model": encode_registered_model(model)}


def rename(state: ServerState, params: Params) -> JsonDict:
    model = state.registry.rename_registered_model(
        params.required("name"), params.required("new_name"), user_id=params.user
    )
    return {"registered_model": encode_registered_model(model)}


def update(state: ServerState, params: Params) -> JsonDict:
    """An absent description clears it, as MLflow's server does."""
    model = state.registry.update_registered_model(
        params.required("name"), params.text("description"), user_id=params.user
    )
    return {"registered_model": encode_registered_model(model)}


def delete(state: ServerState, params: Params) -> JsonDict:
    state.registry.delete_registered_model(params.required("name"), user_id=params.user)
    return {}


def get(state: ServerState, params: Params) -> JsonDict:
    model = state.registry.get_registered_model(params.required("name"))
    return {"registered_model": encode_registered_model(model)}


def search(state: ServerState, params: Params) -> JsonDict:
    page = state.registry.search_registered_models(
        filter_string=params.text("filter") or None,
        max_results=bounded_int(
            params, "max_results", SEARCH_REGISTERED_MODELS_DEFAULT, SEARCH_REGISTERED_MODELS_CAP
        ),
        order_by=[str(o) for o in params.values("order_by")],
        page_token=params.text("page_token") or None,
    )
    return page_response(page, "registered_models", encode_registered_model)


def latest_versions(state: ServerState, params: Params) -> JsonDict:
    stages = [ModelVersionStage.parse(str(s)) for s in params.values("stages")]
    found = state.registry.get_latest_versions(params.required("name"), stages)
    return {"model_versions": [encode_model_version(v) for v in found]} if found else {}


def set_tag(state: ServerState, params: Params) -> JsonDict:
    state.registry.set_registered_model_tag(
        params.required("name"),
        params.required("key"),
        params.text("value") or "",
        user_id=params.user,
    )
    return {}


def delete_tag(state: ServerState, params: Params) -> JsonDict:
    state.registry.delete_registered_model_tag(
        params.required("name"), params.required("key"), user_id=params.user
    )
    return {}


def set_alias(state: ServerState, params: Params) -> JsonDict:
    name, alias = params.required("name"), params.required("alias")
    version = params.required("version")
    state.registry.set_registered_model_alias(name, alias, version, user_id=params.user)
    state.emit("model_version_alias", "created", {"name": name, "alias": alias, "version": version})
    return {}


def delete_alias(state: ServerState, params: Params) -> JsonDict:
    name, alias = params.required("name"), params.required("alias")
    registry = state.registry
    previous = registry.get_registered_model(name).alias_dict.get(alias)
    registry.delete_registered_model_alias(name, alias, user_id=params.user)
    if previous is not None:
        state.emit(
            "model_version_alias",
            "deleted",
            {"name": name, "alias": alias, "version": str(previous)},
        )
    return {}


def get_by_alias(state: ServerState, params: Params) -> JsonDict:
    version = state.registry.get_model_version_by_alias(
        params.required("name"), params.required("alias")
    )
    return {"model_version": encode_model_version(version)}
