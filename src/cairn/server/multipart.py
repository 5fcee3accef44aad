"""Multipart uploads through the proxy, for local destinations too.

MLflow answers 501 here unless the destination is a cloud store; cairn stages the parts in a
hidden directory of the destination instead, so very large files upload in parallel chunks
and a failed chunk is retried alone. The flow the mlflow client drives
(``MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD=true``):

1. ``POST mpu/create/<dir>`` ``{path: <local file>, num_parts}`` -> an upload id and one part
   URL per part (pointing back at this server);
2. ``PUT`` each part to its URL -> the part's MD5 as ``ETag``;
3. ``POST mpu/complete/<dir>`` with the ``(part_number, etag)`` list -> the parts are joined
   into ``<dir>/<basename>`` in one atomic rename; or ``mpu/abort`` drops them.

The upload id is a random 128-bit capability; part URLs need nothing else.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.server.params import Params, parse_json_body
from cairn.server.responses import error_response, json_response
from cairn.server.state import ServerState
from cairn.store.artifacts.paths import validate_relative_path

MAX_PARTS = 10_000
_STAGING_PREFIX = ".cairn-tmp-mpu-"  # the tmp prefix keeps it out of every listing
_UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")
_COPY_BUFFER = 4 * 1024 * 1024


def _staging(state: ServerState, upload_id: str) -> Path:
    if not _UPLOAD_ID.match(upload_id):
        raise InvalidParameterValue("Malformed upload_id.")
    return state.proxy_repository().local_root / f"{_STAGING_PREFIX}{upload_id}"


def _existing_staging(state: ServerState, upload_id: str) -> Path:
    staging = _staging(state, upload_id)
    if not staging.is_dir():
        raise ResourceDoesNotExist("No multipart upload with this id (completed or aborted?).")
    return staging


def _target(request: Request, params: Params) -> str:
    directory = validate_relative_path(request.path_params.get("path", ""))
    name = posixpath.basename(params.required("path").replace("\\", "/"))
    return validate_relative_path(posixpath.join(directory, name) if directory else name)


def _create(state: ServerState, request: Request, body: bytes) -> dict[str, Any]:
    params = Params(parse_json_body(body))
    target = _target(request, params)
    num_parts = params.integer("num_parts", required=True) or 0
    if not 1 <= num_parts <= MAX_PARTS:
        raise InvalidParameterValue(f"num_parts must be between 1 and {MAX_PARTS}.")
    upload_id = uuid.uuid4().hex
    staging = _staging(state, upload_id)
    staging.mkdir(parents=True)
    (staging / "target").write_text(target, encoding="utf-8")
    base = f"{request.url.scheme}://{request.headers['host']}"
    prefix = state.settings.static_prefix.rstrip("/")
    return {
        "upload_id": upload_id,
        "credentials": [
            {
                "url": f"{base}{prefix}/api/2.0/mlflow-artifacts/mpu/part/{upload_id}/{n}",
                "part_number": n,
                "headers": {},
            }
            for n in range(1, num_parts + 1)
        ],
    }


async def _json_call(
    func: Callable[[ServerState, Request, bytes], dict[str, Any]],
    state: ServerState,
    request: Request,
) -> Response:
    try:
        body = await request.body()
        return json_response(await run_in_threadpool(func, state, request, body))
    except Exception as exc:
        return error_response(exc)


async def create(state: ServerState, request: Request) -> Response:
    return await _json_call(_create, state, request)


async def upload_part(state: ServerState, request: Request) -> Response:
    try:
        staging = _existing_staging(state, request.path_params["upload_id"])
        number = Params(dict(request.path_params)).integer("part_number") or 0
        if not 1 <= number <= MAX_PARTS:
            raise InvalidParameterValue(f"part_number must be between 1 and {MAX_PARTS}.")
        digest = hashlib.md5(usedforsecurity=False)
        partial = staging / f"{number}.partial"
        with partial.open("wb") as stream:
            async for chunk in request.stream():
                digest.update(chunk)
                stream.write(chunk)
        partial.replace(staging / f"{number}.part")
    except Exception as exc:
        return error_response(exc)
    return Response(status_code=200, headers={"ETag": f'"{digest.hexdigest()}"'})


def _etag(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as stream:
        while chunk := stream.read(_COPY_BUFFER):
            digest.update(chunk)
    return digest.hexdigest()


def _complete(state: ServerState, request: Request, body: bytes) -> dict[str, Any]:
    params = Params(parse_json_body(body))
    staging = _existing_staging(state, params.required("upload_id"))
    target = _target(request, params)
    if (staging / "target").read_text(encoding="utf-8") != target:
        raise InvalidParameterValue("This upload was created for another path.")
    parts = sorted(params.objects("parts"), key=lambda p: int(p.get("part_number") or 0))
    files = []
    for part in parts:
        path = staging / f"{int(part.get('part_number') or 0)}.part"
        if not path.is_file():
            raise InvalidParameterValue(f"Part {part.get('part_number')} was never uploaded.")
        if str(part.get("etag") or "").strip('"') not in ("", _etag(path)):
            raise InvalidParameterValue(f"Part {part.get('part_number')} has another ETag.")
        files.append(path)
    if not files:
        raise InvalidParameterValue("Missing value for required parameter 'parts'.")
    with state.proxy_repository().open_writer(target) as out:
        for path in files:
            with path.open("rb") as stream:
                shutil.copyfileobj(stream, out, _COPY_BUFFER)
    shutil.rmtree(staging, ignore_errors=True)
    return {}


async def complete(state: ServerState, request: Request) -> Response:
    return await _json_call(_complete, state, request)


async def abort(state: ServerState, request: Request) -> Response:
    try:
        params = Params(parse_json_body(await request.body()))
        staging = _staging(state, params.required("upload_id"))
        await run_in_threadpool(shutil.rmtree, staging, True)
    except Exception as exc:
        return error_response(exc)
    return json_response({})
