"""The artifact proxy (``/api/2.0/mlflow-artifacts``, reference section 2).

Uploads stream from the socket into a temporary file that is renamed into place when complete;
downloads stream from disk as attachments. Every path goes through the one validator (via the
local repository), so encoded ``..``, absolute paths, backslashes, NUL and symlinks that lead
out are refused before any I/O.
"""

from __future__ import annotations

import mimetypes
import posixpath
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from cairn.errors import InvalidParameterValue, NotImplementedByStore
from cairn.server.handlers.runs import run_id_of
from cairn.server.params import Params
from cairn.server.responses import error_response, json_response
from cairn.server.state import ServerState
from cairn.store.artifacts.local import LocalArtifactRepository
from cairn.store.artifacts.paths import validate_relative_path
from cairn.wire import encode_file_info

#: The UI's upload-artifact route takes small files only (MLflow's limit).
AJAX_UPLOAD_LIMIT = 10 * 1024 * 1024


def attachment(repo: LocalArtifactRepository, path: str) -> FileResponse:
    local = repo.local_file(path)
    name = posixpath.basename(path)
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(
        local, media_type=media_type, filename=name, content_disposition_type="attachment"
    )


async def download(state: ServerState, request: Request) -> Response:
    try:
        path = validate_relative_path(request.path_params["path"])
        repo = await run_in_threadpool(state.proxy_repository)
        return await run_in_threadpool(attachment, repo, path)
    except Exception as exc:
        return error_response(exc)


async def _stream_into(
    repo: LocalArtifactRepository, path: str, request: Request, limit: int | None
) -> None:
    received = 0
    with repo.open_writer(path) as stream:
        async for chunk in request.stream():
            received += len(chunk)
            if limit is not None and received > limit:
                raise InvalidParameterValue(f"Upload exceeds the {limit} byte limit of this route.")
            stream.write(chunk)


async def upload(state: ServerState, request: Request) -> Response:
    try:
        path = validate_relative_path(request.path_params["path"])
        if not path:
            raise InvalidParameterValue("An upload needs a file path.")
        await _stream_into(state.proxy_repository(), path, request, None)
    except Exception as exc:
        return error_response(exc)
    return Response(status_code=200)


async def delete(state: ServerState, request: Request) -> Response:
    try:
        path = validate_relative_path(request.path_params["path"])
        await run_in_threadpool(state.proxy_repository().delete_artifacts, path)
    except Exception as exc:
        return error_response(exc)
    return json_response({})


def _basename_listing(state: ServerState, path: str) -> dict[str, Any]:
    files = state.proxy_repository().list_artifacts(path)
    entries = [encode_file_info(f) | {"path": posixpath.basename(f.path)} for f in files]
    return {"files": entries} if entries else {}


async def list_files(state: ServerState, request: Request) -> Response:
    try:
        path = validate_relative_path(request.query_params.get("path", ""))
        return json_response(await run_in_threadpool(_basename_listing, state, path))
    except Exception as exc:
        return error_response(exc)


async def not_supported(state: ServerState, request: Request) -> Response:
    return error_response(
        NotImplementedByStore(
            "Presigned URLs are not supported for the current artifact repository; "
            "download through the proxy instead."
        )
    )


def _run_file(state: ServerState, request: Request) -> tuple[LocalArtifactRepository, str]:
    """The local repository of the run named in the query, and the validated ``path``."""
    params = Params.from_query(request.query_params.multi_items())
    run = state.store.get_run(run_id_of(params))
    repo = state.artifact_repository(run.info.artifact_uri)
    if not isinstance(repo, LocalArtifactRepository):
        raise InvalidParameterValue("This run's artifacts are not stored on this server.")
    return repo, validate_relative_path(params.required("path"))


async def run_artifact(state: ServerState, request: Request) -> Response:
    """``/get-artifact?run_id=&path=``: one run artifact as an attachment (UI downloads)."""
    try:
        repo, path = await run_in_threadpool(_run_file, state, request)
        return await run_in_threadpool(attachment, repo, path)
    except Exception as exc:
        return error_response(exc)


async def ajax_upload(state: ServerState, request: Request) -> Response:
    """``/ajax-api/2.0/mlflow/upload-artifact?run_uuid=&path=``: a small raw body to a run."""
    try:
        repo, path = await run_in_threadpool(_run_file, state, request)
        await _stream_into(repo, path, request, AJAX_UPLOAD_LIMIT)
    except Exception as exc:
        return error_response(exc)
    return json_response({})
