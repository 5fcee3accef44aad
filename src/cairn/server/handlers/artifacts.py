"""Run artifacts through the tracking API (section 1.7): listing, and the presigned-URL
endpoints, which only cloud stores can answer."""

from __future__ import annotations

from typing import Any

from cairn.errors import NotImplementedByStore
from cairn.server.handlers.runs import run_id_of
from cairn.server.params import Params
from cairn.server.state import ServerState
from cairn.store.artifacts.paths import validate_relative_path
from cairn.wire import encode_file_info

JsonDict = dict[str, Any]


def list_run_artifacts(state: ServerState, params: Params) -> JsonDict:
    run = state.store.get_run(run_id_of(params))
    path = validate_relative_path(params.text("path") or "")
    files = state.artifact_repository(run.info.artifact_uri).list_artifacts(path)
    response: JsonDict = {"root_uri": run.info.artifact_uri}
    if files:
        response["files"] = [encode_file_info(f) for f in files]
    return response


def presigned_url(state: ServerState, params: Params) -> JsonDict:
    state.store.get_run(run_id_of(params))  # unknown runs still answer 404 first
    raise NotImplementedByStore(
        "Presigned URLs are not supported by this server's artifact store; upload and download "
        "through the artifact proxy instead."
    )
