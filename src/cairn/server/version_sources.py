"""Model-version sources the server can vouch for (security rule 2; reference section 3.3).

A version's ``source`` is later handed to every client that loads the model, so it must name
a location the server knows belongs to the version: a local path only inside the artifact
location of the named run or logged model, a proxied URI only under that run's or model's
root, ``runs:/`` and ``models:/`` URIs only for the run or model the request names. No tag or
flag turns this off, and the check runs again when the download URI is read.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from cairn.entities import ModelVersion
from cairn.errors import InvalidParameterValue
from cairn.server.state import ServerState, proxy_relative_path
from cairn.store.artifacts import uri_to_local_path
from cairn.store.artifacts.paths import reject_traversal, validate_relative_path
from cairn.store.registry.model_uri import find_version, parse_models_uri

REGEX_SETTINGS = (
    "CAIRN_CREATE_MODEL_VERSION_SOURCE_VALIDATION_REGEX",
    "MLFLOW_CREATE_MODEL_VERSION_SOURCE_VALIDATION_REGEX",
)
PROMPT_TAG = "mlflow.prompt.is_prompt"
_TOKEN = re.compile(r"^[A-Za-z0-9_.-]+$")
_MAX_REGISTRY_HOPS = 5


@dataclass(frozen=True)
class VettedSource:
    """The source to store (registry URIs pinned to a version) and the run/model it belongs to."""

    source: str
    run_id: str | None
    model_id: str | None


def _refuse(source: str, why: str) -> InvalidParameterValue:
    shown = source if len(source) <= 200 else source[:200] + "..."
    return InvalidParameterValue(f"Invalid model version source {shown!r}: {why}.")


def _check_operator_regex(source: str) -> None:
    for name in REGEX_SETTINGS:
        pattern = os.environ.get(name)
        if pattern and not re.search(pattern, source):
            raise _refuse(source, f"it does not match the server's {name}")


def vet_source(
    state: ServerState,
    source: str,
    run_id: str | None,
    model_id: str | None,
    *,
    is_prompt: bool = False,
) -> VettedSource:
    """Accept ``source`` for a new (or re-read) version, or raise INVALID_PARAMETER_VALUE."""
    _check_operator_regex(source)
    if is_prompt and _TOKEN.match(source):
        return VettedSource(source, run_id, model_id)  # a prompt's placeholder names no place
    scheme = urlsplit(source).scheme.lower()
    if scheme == "runs":
        return _runs_source(state, source, run_id, model_id)
    if scheme == "models":
        return _models_source(state, source, run_id, model_id)
    if scheme in ("", "file") or len(scheme) == 1:  # one letter: a Windows drive
        return _local_source(state, source, run_id, model_id)
    if scheme == "mlflow-artifacts" or (
        scheme in ("http", "https") and proxy_relative_path(source) is not None
    ):
        return _proxied_source(state, source, run_id, model_id)
    reject_traversal(source)
    return VettedSource(source, run_id, model_id)


def _runs_source(
    state: ServerState, source: str, run_id: str | None, model_id: str | None
) -> VettedSource:
    parts = urlsplit(source)
    if parts.netloc:
        raise _refuse(source, "runs:/ URIs of another tracking server are not accepted")
    uri_run, _, path = parts.path.lstrip("/").partition("/")
    validate_relative_path(unquote(path))
    if not uri_run:
        raise _refuse(source, "it names no run")
    if run_id and run_id != uri_run:
        raise _refuse(source, f"it belongs to run {uri_run!r}, not to the request's run_id")
    state.store.get_run(uri_run)  # 404 for an unknown run
    return VettedSource(source, uri_run, model_id)


def _models_source(
    state: ServerState, source: str, run_id: str | None, model_id: str | None
) -> VettedSource:
    ref = parse_models_uri(source)
    if ref.model_id is not None:
        if model_id and model_id != ref.model_id:
            raise _refuse(source, "it names another logged model than the request's model_id")
        model = state.store.get_logged_model(ref.model_id)
        return VettedSource(source, run_id or model.source_run_id, ref.model_id)
    version = find_version(state.registry, ref)
    pinned = f"models:/{version.name}/{version.version}"
    return VettedSource(pinned, version.run_id, version.model_id)


def _artifact_root(
    state: ServerState, source: str, run_id: str | None, model_id: str | None
) -> str:
    if model_id:
        return state.store.get_logged_model(model_id).artifact_location
    if run_id:
        return state.store.get_run(run_id).info.artifact_uri
    raise _refuse(source, "a local or proxied source needs the run_id or model_id it belongs to")


def _local_root(state: ServerState, root: str, source: str) -> Path:
    relative = proxy_relative_path(root)
    if relative is not None:
        return state.destination_root.joinpath(validate_relative_path(relative))
    if urlsplit(root).scheme.lower() not in ("", "file"):
        raise _refuse(source, "the run's artifacts are not on this server's file system")
    return uri_to_local_path(root)


def _local_source(
    state: ServerState, source: str, run_id: str | None, model_id: str | None
) -> VettedSource:
    root = _local_root(state, _artifact_root(state, source, run_id, model_id), source)
    try:
        path = uri_to_local_path(source)
    except InvalidParameterValue as exc:
        raise _refuse(source, exc.message.rstrip(".")) from None
    real_root, real = root.resolve(strict=False), path.resolve(strict=False)
    if not real.is_relative_to(real_root):
        raise _refuse(source, "it lies outside the artifact location of its run or model")
    return VettedSource(source, run_id, model_id)


def _proxied_source(
    state: ServerState, source: str, run_id: str | None, model_id: str | None
) -> VettedSource:
    root = _artifact_root(state, source, run_id, model_id)
    root_relative = proxy_relative_path(root)
    if root_relative is None:
        raise _refuse(source, "its run's or model's artifacts are not behind this proxy")
    clean_root = validate_relative_path(root_relative)
    clean = validate_relative_path(proxy_relative_path(source) or "")
    if clean != clean_root and not clean.startswith(clean_root + "/"):
        raise _refuse(source, "it lies outside the artifact location of its run or model")
    return VettedSource(source, run_id, model_id)


def download_uri(state: ServerState, version: ModelVersion) -> str:
    """Where the version's files are: registry and ``runs:/`` sources resolved to a location.

    The stored source is vetted again first, so a row written before a rule existed (or by
    hand) is not handed out unchecked.
    """
    for _ in range(_MAX_REGISTRY_HOPS):
        is_prompt = version.tag_dict.get(PROMPT_TAG, "").lower() == "true"
        vetted = vet_source(
            state, version.source, version.run_id, version.model_id, is_prompt=is_prompt
        )
        parts = urlsplit(vetted.source)
        scheme = parts.scheme.lower()
        if scheme == "runs":
            run_id, _, path = parts.path.lstrip("/").partition("/")
            base = state.store.get_run(run_id).info.artifact_uri.rstrip("/")
            return f"{base}/{path}" if path else base
        if scheme != "models":
            return vetted.source
        ref = parse_models_uri(vetted.source)
        if ref.model_id is not None:
            return state.store.get_logged_model(ref.model_id).artifact_location
        version = find_version(state.registry, ref)
    raise _refuse(version.source, "it refers to other versions too many times")
