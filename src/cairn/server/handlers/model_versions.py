"""Model versions: create (with source vetting), stages, tags, search, download URI.

Webhook payloads follow MLflow 3's: ``model_version.created`` carries the source and run,
tag events carry the key (and value when set).
"""

from __future__ import annotations

from typing import Any

from cairn.entities import ModelVersionTag
from cairn.server.handlers._shared import bounded_int, page_response
from cairn.server.handlers.registered_models import key_values
from cairn.server.params import Params
from cairn.server.state import ServerState
from cairn.server.version_sources import PROMPT_TAG, download_uri, vet_source
from cairn.store.registry.base import SEARCH_MODEL_VERSIONS_CAP
from cairn.wire.registry import encode_model_version

JsonDict = dict[str, Any]


def _version(state: ServerState, params: Params) -> JsonDict:
    found = state.registry.get_model_version(params.required("name"), params.required("version"))
    return {"model_version": encode_model_version(found)}


def create(state: ServerState, params: Params) -> JsonDict:
    name, tags = params.required("name"), key_values(params)
    is_prompt = dict(tags).get(PROMPT_TAG, "").lower() == "true"
    vetted = vet_source(
        state,
        params.required("source"),
        params.text("run_id") or None,
        params.text("model_id") or None,
        is_prompt=is_prompt,
    )
    version = state.registry.create_model_version(
        name,
        vetted.source,
        run_id=vetted.run_id,
        tags=[ModelVersionTag(k, v) for k, v in tags],
        run_link=params.text("run_link") or None,
        description=params.text("description"),
        user_id=params.user,
        model_id=vetted.model_id,
    )
    state.emit(
        "model_version",
        "created",
        {
            "name": name,
            "version": str(version.version),
            "source": version.source,
            "run_id": version.run_id,
            "tags": dict(tags),
            "description": version.description,
        },
    )
    return {"model_version": encode_model_version(version)}


def update(state: ServerState, params: Params) -> JsonDict:
    """An absent description clears it: MLflow 3.17.2's server passes None to its store."""
    found = state.registry.update_model_version(
        params.required("name"),
        params.required("version"),
        params.text("description"),
        user_id=params.user,
    )
    return {"model_version": encode_model_version(found)}


def transition_stage(state: ServerState, params: Params) -> JsonDict:
    found = state.registry.transition_model_version_stage(
        params.required("name"),
        params.required("version"),
        params.required("stage"),
        archive_existing_versions=params.flag("archive_existing_versions"),
        user_id=params.user,
    )
    return {"model_version": encode_model_version(found)}


def delete(state: ServerState, params: Params) -> JsonDict:
    state.registry.delete_model_version(
        params.required("name"), params.required("version"), user_id=params.user
    )
    return {}


def get(state: ServerState, params: Params) -> JsonDict:
    return _version(state, params)


def search(state: ServerState, params: Params) -> JsonDict:
    """Page size: MLflow's proto default is the cap itself (its client sends 10,000)."""
    page = state.registry.search_model_versions(
        filter_string=params.text("filter") or None,
        max_results=bounded_int(
            params, "max_results", SEARCH_MODEL_VERSIONS_CAP, SEARCH_MODEL_VERSIONS_CAP
        ),
        order_by=[str(o) for o in params.values("order_by")],
        page_token=params.text("page_token") or None,
    )
    return page_response(page, "model_versions", encode_model_version)


def download_location(state: ServerState, params: Params) -> JsonDict:
    found = state.registry.get_model_version(params.required("name"), params.required("version"))
    return {"artifact_uri": download_uri(state, found)}


def set_tag(state: ServerState, params: Params) -> JsonDict:
    name, number, key = params.required("name"), params.required("version"), params.required("key")
    value = params.text("value") or ""
    state.registry.set_model_version_tag(name, number, key, value, user_id=params.user)
    state.emit(
        "model_version_tag", "set", {"name": name, "version": number, "key": key, "value": value}
    )
    return {}


def delete_tag(state: ServerState, params: Params) -> JsonDict:
    name, number, key = params.required("name"), params.required("version"), params.required("key")
    state.registry.delete_model_version_tag(name, number, key, user_id=params.user)
    state.emit("model_version_tag", "deleted", {"name": name, "version": number, "key": key})
    return {}
