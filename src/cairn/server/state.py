"""What every request handler shares: the store and the artifact locations.

Nothing here caches entities, so several worker processes over one database never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from cairn.errors import InvalidParameterValue, ServiceUnavailable
from cairn.server.settings import ServerSettings
from cairn.store.artifacts import get_artifact_repository, uri_to_local_path
from cairn.store.artifacts.base import ArtifactRepository
from cairn.store.artifacts.local import LocalArtifactRepository
from cairn.store.artifacts.paths import resolve_under, validate_relative_path
from cairn.store.registry.base import RegistryStore
from cairn.store.tracking.base import TrackingStore

_PROXY_PREFIXES = (
    "/api/2.0/mlflow-artifacts/artifacts/",
    "/ajax-api/2.0/mlflow-artifacts/artifacts/",
)


class EventPublisher(Protocol):
    """Where registry changes go after they commit (the webhook dispatcher)."""

    def publish(self, entity: str, action: str, data: dict[str, Any]) -> None:
        """Queue one event; must return at once and never raise into the request."""


@dataclass
class ServerState:
    settings: ServerSettings
    store: TrackingStore
    registry: RegistryStore
    events: EventPublisher | None = None

    def emit(self, entity: str, action: str, data: dict[str, Any]) -> None:
        """Announce a committed registry change (``model_version``, ``created``, payload)."""
        if self.events is not None:
            self.events.publish(entity, action, data)

    @cached_property
    def destination_root(self) -> Path:
        return uri_to_local_path(self.settings.artifacts_destination)

    def proxy_repository(self, path: str = "") -> LocalArtifactRepository:
        """The proxy's destination, or a validated directory below it, as a repository."""
        if not self.settings.serve_artifacts:
            raise ServiceUnavailable(
                "This server does not serve artifacts (started with --no-serve-artifacts)."
            )
        clean = validate_relative_path(path)
        root = resolve_under(self.destination_root, clean) if clean else self.destination_root
        return LocalArtifactRepository(str(root))

    def artifact_repository(self, artifact_uri: str) -> ArtifactRepository:
        """The repository behind a run's or model's artifact URI, as seen from the server.

        ``mlflow-artifacts:`` URIs (and http URIs of this proxy) map into the destination;
        local URIs are read where they are, as MLflow does.
        """
        relative = proxy_relative_path(artifact_uri)
        if relative is not None:
            return self.proxy_repository(relative)
        if artifact_uri.lower().startswith(("http:", "https:")):
            raise InvalidParameterValue(
                "This artifact URI points at another server; list it through that server."
            )
        return get_artifact_repository(artifact_uri)


def proxy_relative_path(artifact_uri: str) -> str | None:
    """The destination-relative path of a proxied artifact URI, or None for other URIs."""
    if artifact_uri.startswith("mlflow-artifacts:"):
        rest = artifact_uri[len("mlflow-artifacts:") :]
        if rest.startswith("//"):  # mlflow-artifacts://host:port/path
            rest = "/" + rest[2:].split("/", 1)[-1] if "/" in rest[2:] else ""
        return rest.lstrip("/")
    if artifact_uri.lower().startswith(("http:", "https:")):
        for prefix in _PROXY_PREFIXES:
            if prefix in artifact_uri:
                return artifact_uri.split(prefix, 1)[1]
    return None
