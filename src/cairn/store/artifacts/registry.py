"""Pick the artifact repository for a URI by its scheme.

A tiny table rather than a plugin system: a new backend is one module plus one line here.
Unknown schemes fail loudly with the list of supported ones, instead of falling back to the
local disk (an odd scheme read as a local path was one of MLflow's traversal bypasses).

Remote schemes (``mlflow-artifacts:``, and ``http(s):`` URIs of a server's artifact proxy) need
the tracking URI to resolve against and may share the REST store's HTTP transport.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from cairn.errors import InvalidParameterValue
from cairn.store.artifacts._uri import local_path_to_uri, uri_to_local_path
from cairn.store.artifacts.base import ArtifactRepository
from cairn.store.artifacts.local import LocalArtifactRepository

if TYPE_CHECKING:  # the HTTP stack (httpx) loads only when a remote URI is used
    from cairn.store.tracking.rest.http import HttpTransport

__all__ = ["get_artifact_repository", "local_path_to_uri", "supported_schemes", "uri_to_local_path"]

Factory = Callable[[str, "str | None", "HttpTransport | None"], ArtifactRepository]


def _local(uri: str, _tracking: str | None, _transport: HttpTransport | None) -> ArtifactRepository:
    return LocalArtifactRepository(uri)


def _proxy(uri: str, tracking: str | None, transport: HttpTransport | None) -> ArtifactRepository:
    from cairn.store.artifacts.http import HttpArtifactRepository

    return HttpArtifactRepository(uri, tracking, transport)


_REPOSITORIES: dict[str, Factory] = {
    "": _local,
    "file": _local,
    "http": _proxy,
    "https": _proxy,
    "mlflow-artifacts": _proxy,
}


def get_artifact_repository(
    uri: str, tracking_uri: str | None = None, *, transport: HttpTransport | None = None
) -> ArtifactRepository:
    """The repository for an artifact root URI; nothing is touched until it is used.

    ``tracking_uri`` resolves ``mlflow-artifacts:`` URIs; ``transport`` (the REST store's)
    shares its connection pool, retries and credentials with the repository.

    >>> get_artifact_repository("file:///tmp/artifacts").__class__.__name__
    'LocalArtifactRepository'
    >>> repo = get_artifact_repository("mlflow-artifacts:/1/r/artifacts", "http://srv:5000")
    >>> repo.__class__.__name__
    'HttpArtifactRepository'
    """
    scheme = urlparse(uri).scheme.lower()
    factory = _REPOSITORIES.get(scheme)
    if factory is None:
        raise InvalidParameterValue(
            f"Unsupported artifact URI scheme {scheme[:50]!r}; "
            f"supported: {', '.join(s + ':' for s in supported_schemes() if s)} "
            "or a plain absolute path."
        )
    return factory(uri, tracking_uri, transport)


def supported_schemes() -> list[str]:
    """The schemes ``get_artifact_repository`` accepts ("" means a plain local path)."""
    return sorted(_REPOSITORIES)
