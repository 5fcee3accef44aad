"""Experiments: section 1.2 of the reference."""

from __future__ import annotations

from typing import Any

from cairn.entities import ExperimentTag, ViewType
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.server.handlers._shared import page_response
from cairn.server.params import Params, field
from cairn.server.state import ServerState
from cairn.wire import encode_experiment

JsonDict = dict[str, Any]


def _experiment_tags(params: Params) -> list[ExperimentTag]:
    tags = []
    for index, item in enumerate(params.objects("tags")):
        key = field(item, f"tags[{index}]", "key")
        tags.append(ExperimentTag(str(key), str(item.get("value") or "")))
    return tags


def create(state: ServerState, params: Params) -> JsonDict:
    experiment_id = state.store.create_experiment(
        params.required("name"),
        params.text("artifact_location") or None,
        _experiment_tags(params),
    )
    return {"experiment_id": experiment_id}


def get(state: ServerState, params: Params) -> JsonDict:
    experiment = state.store.get_experiment(params.required("experiment_id"))
    return {"experiment": encode_experiment(experiment)}


def get_by_name(state: ServerState, params: Params) -> JsonDict:
    name = params.required("experiment_name")
    experiment = state.store.get_experiment_by_name(name)
    if experiment is None:
        raise ResourceDoesNotExist(f"Could not find experiment with name '{name}'")
    return {"experiment": encode_experiment(experiment)}


def search(state: ServerState, params: Params) -> JsonDict:
    max_results = params.integer("max_results")
    if max_results is None:
        raise InvalidParameterValue(
            "Missing value for required parameter 'max_results'; send a page size, e.g. 1000."
        )
    page = state.store.search_experiments(
        view_type=ViewType.parse(params.raw("view_type")),
        max_results=max_results,
        filter_string=params.text("filter") or None,
        order_by=[str(o) for o in params.values("order_by")],
        page_token=params.text("page_token") or None,
    )
    return page_response(page, "experiments", encode_experiment)


def delete(state: ServerState, params: Params) -> JsonDict:
    state.store.delete_experiment(params.required("experiment_id"))
    return {}


def restore(state: ServerState, params: Params) -> JsonDict:
    state.store.restore_experiment(params.required("experiment_id"))
    return {}


def update(state: ServerState, params: Params) -> JsonDict:
    experiment_id = params.required("experiment_id")
    state.store.rename_experiment(experiment_id, params.required("new_name"))
    return {}


def set_tag(state: ServerState, params: Params) -> JsonDict:
    tag = ExperimentTag(params.required("key"), params.text("value") or "")
    state.store.set_experiment_tag(params.required("experiment_id"), tag)
    return {}


def delete_tag(state: ServerState, params: Params) -> JsonDict:
    state.store.delete_experiment_tag(params.required("experiment_id"), params.required("key"))
    return {}


MAX_DATASET_SEARCH_EXPERIMENTS = 20


def search_datasets(state: ServerState, params: Params) -> JsonDict:
    ids = [str(e) for e in params.values("experiment_ids")]
    if not 1 <= len(ids) <= MAX_DATASET_SEARCH_EXPERIMENTS:
        raise InvalidParameterValue(
            f"Give between 1 and {MAX_DATASET_SEARCH_EXPERIMENTS} experiment_ids; got {len(ids)}."
        )
    summaries = state.store.search_datasets(ids)
    if not summaries:
        return {}
    return {
        "dataset_summaries": [
            {
                "experiment_id": s.experiment_id,
                "name": s.name,
                "digest": s.digest,
                **({"context": s.context} if s.context is not None else {}),
            }
            for s in summaries
        ]
    }
