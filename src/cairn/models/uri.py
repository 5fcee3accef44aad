"""Where a model URI points on local disk (remote models are downloaded first).

The URI forms are MLflow 3.x's (reference 6.2):

- a local path or ``file://`` URI is used in place;
- ``models:/<model_id>`` is a logged model's artifact location;
- ``models:/<name>/<version>``, ``models:/<name>/<stage>`` (the highest version in the stage,
  any case), ``models:/<name>/latest`` and ``models:/<name>@<alias>`` are registered model
  versions: the registry (the client's registry URI) names the version, and its download URI
  (its source, with ``models:/`` sources followed) is resolved like any other model URI;
- ``runs:/<run_id>/<path>``: when the run logged a model named after ``<path>``'s first
  segment, the rest of the path lies in that model's files (how 3.x stores ``log_model``
  output); otherwise ``<path>`` is a plain run artifact (how 2.x stored it);
- ``mlflow-artifacts:`` and a proxy's ``http(s)`` URIs are downloaded.

Local artifact roots are read in place unless ``dst_path`` asks for a copy, as MLflow does.
Every path taken from a URI goes through the artifact path validator, so ``runs:/<id>/../x``
cannot reach outside the run's artifacts.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.store.artifacts import (
    LocalArtifactRepository,
    resolve_under,
    uri_to_local_path,
    validate_relative_path,
)
from cairn.store.registry.model_uri import parse_models_uri
from cairn.tracking.logged_models import run_models_named

if TYPE_CHECKING:
    from cairn.tracking.client import CairnClient

#: Run and logged-model ids become URL path segments and filter literals: keep them plain.
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
#: A registry version's source may itself be a model URI; more hops than this is a loop.
_MAX_HOPS = 5


def local_model_dir(
    model_uri: str, dst_path: str | None = None, client: CairnClient | None = None
) -> str:
    """A local directory holding the model's files.

    ``client`` resolves ``runs:/`` and ``models:/`` URIs (default: the current tracking URI,
    as ``cairn.set_tracking_uri`` or ``CAIRN_TRACKING_URI`` set it). A remote model goes to
    ``dst_path``, or to a new temporary directory the caller owns.
    """
    return _local_dir(model_uri, dst_path, client, None)


@contextmanager
def opened_model_dir(model_uri: str, client: CairnClient | None = None) -> Iterator[Path]:
    """The model's local directory for the duration of the block: local files are read in
    place, and a download is removed afterwards (commands that only inspect a model)."""
    with tempfile.TemporaryDirectory(prefix="cairn-model-") as scratch:
        yield Path(_local_dir(model_uri, None, client, scratch))


def _local_dir(
    model_uri: str,
    dst_path: str | None,
    client: CairnClient | None,
    scratch: str | None,
    hops: int = 0,
) -> str:
    scheme = urlparse(model_uri).scheme.lower()
    if scheme in ("", "file") or (len(scheme) == 1 and Path(model_uri).exists()):
        return str(uri_to_local_path(model_uri)) if scheme == "file" else model_uri
    if scheme in ("runs", "models"):
        client = client or _default_client()
        if scheme == "models" and parse_models_uri(model_uri).is_registry:
            target = _registry_download_uri(model_uri, client, hops)
            if urlparse(target).scheme.lower() in ("runs", "models"):
                return _local_dir(target, dst_path, client, scratch, hops + 1)
            return _fetch(client, target, "", dst_path, scratch)  # honours dst_path
        resolve = _resolve_runs_uri if scheme == "runs" else _resolve_models_uri
        root, path = resolve(model_uri, client)
        return _fetch(client, root, path, dst_path, scratch)
    if scheme in ("http", "https", "mlflow-artifacts"):
        return _fetch(client or _default_client(), model_uri, "", dst_path, scratch)
    raise InvalidParameterValue(
        f"Model URI scheme {scheme[:50]!r} is not supported; use a local path, file://, "
        "runs:/<run_id>/<path>, models:/<model_id>, models:/<name>/<version|stage|latest>, "
        "models:/<name>@<alias>, mlflow-artifacts:/ or a tracking server's http(s) artifact URI."
    )


def _default_client() -> CairnClient:
    from cairn.tracking.client import CairnClient

    return CairnClient()


def _checked_id(value: str, what: str, uri: str) -> str:
    if not _ID.fullmatch(value):
        raise InvalidParameterValue(
            f"Invalid model URI {uri[:200]!r}: {value[:80]!r} is not a {what}."
        )
    return value


def _uri_path(model_uri: str) -> str:
    parsed = urlparse(model_uri)
    if parsed.netloc or parsed.query or parsed.fragment or parsed.params:
        raise InvalidParameterValue(
            f"Invalid model URI {model_uri[:200]!r}: expected runs:/<run_id>/<path> or "
            "models:/<model_id>, without a host, query or fragment."
        )
    return parsed.path.lstrip("/")


def _resolve_runs_uri(model_uri: str, client: CairnClient) -> tuple[str, str]:
    """(artifact root URI, path under it) of ``runs:/<run_id>/<path>``."""
    run_id, _, raw_path = _uri_path(model_uri).partition("/")
    run = client.get_run(_checked_id(run_id, "run id", model_uri))
    path = validate_relative_path(raw_path)
    name, _, rest = path.partition("/")
    models = run_models_named(client, run, name) if name else []
    if models:
        return models[0].artifact_location, rest
    return run.info.artifact_uri, path


def _resolve_models_uri(model_uri: str, client: CairnClient) -> tuple[str, str]:
    """``models:/<model_id>``: the logged model's artifact location."""
    model_id = parse_models_uri(model_uri).model_id or ""
    model = client.get_logged_model(_checked_id(model_id, "logged model id", model_uri))
    return model.artifact_location, ""


def _registry_download_uri(model_uri: str, client: CairnClient, hops: int) -> str:
    """Where the registered version a ``models:/<name>/...`` URI names keeps its files."""
    if hops >= _MAX_HOPS:
        raise InvalidParameterValue(
            f"Model URI {model_uri[:200]!r} is reached through more than {_MAX_HOPS} registry "
            "sources that name other model URIs (a loop?)."
        )
    version = client.get_model_version_by_uri(model_uri)
    return client.get_model_version_download_uri(version.name, version.version)


def _fetch(
    client: CairnClient, root_uri: str, path: str, dst_path: str | None, scratch: str | None
) -> str:
    """The local directory of ``path`` under the artifact root ``root_uri``: in place when it
    is local and no copy was asked for, else downloaded to ``dst_path`` or ``scratch``."""
    repo = client.artifact_repository(root_uri)
    if dst_path is None and isinstance(repo, LocalArtifactRepository):
        local = resolve_under(repo.local_root, path)
        if not local.exists():
            where = f"{root_uri}/{path}" if path else root_uri
            raise ResourceDoesNotExist(f"No model files at {where}.")
        return str(local)
    return str(repo.download_artifacts(path, dst_path or scratch))
