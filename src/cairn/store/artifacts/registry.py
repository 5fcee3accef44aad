"""Pick the artifact repository for a URI by its scheme.

A tiny table rather than a plugin system: a new backend is one module plus one line here.
Unknown schemes fail loudly with the list of supported ones, instead of falling back to the
local disk (an odd scheme read as a local path was one of MLflow's traversal bypasses).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlparse

from cairn.errors import InvalidParameterValue
from cairn.store.artifacts._uri import local_path_to_uri, uri_to_local_path
from cairn.store.artifacts.base import ArtifactRepository
from cairn.store.artifacts.local import LocalArtifactRepository

__all__ = ["get_artifact_repository", "local_path_to_uri", "supported_schemes", "uri_to_local_path"]

_REPOSITORIES: dict[str, Callable[[str], ArtifactRepository]] = {
    "": LocalArtifactRepository,
    "file": LocalArtifactRepository,
}


def get_artifact_repository(uri: str) -> ArtifactRepository:
    """The repository for an artifact root URI; nothing is touched on disk until it is used.

    >>> get_artifact_repository("file:///tmp/artifacts").__class__.__name__
    'LocalArtifactRepository'
    """
    scheme = urlparse(uri).scheme.lower()
    factory = _REPOSITORIES.get(scheme)
    if factory is None:
        raise InvalidParameterValue(
            f"Unsupported artifact URI scheme {scheme[:50]!r}; "
            f"supported: {', '.join(s + ':' for s in supported_schemes() if s)} "
            "or a plain absolute path."
        )
    return factory(uri)


def supported_schemes() -> list[str]:
    """The schemes ``get_artifact_repository`` accepts ("" means a plain local path)."""
    return sorted(_REPOSITORIES)
