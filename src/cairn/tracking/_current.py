"""The process-wide tracking and registry URIs chosen with ``cairn.set_tracking_uri`` and
``cairn.set_registry_uri``.

They live below both the client and the fluent API so that ``CairnClient()`` without an
argument follows them as ``MlflowClient()`` follows ``mlflow.set_tracking_uri``.
"""

from __future__ import annotations

_uri: str | None = None
_registry_uri: str | None = None


def set_current_uri(uri: str | None) -> None:
    global _uri
    _uri = uri


def current_uri() -> str | None:
    return _uri


def set_current_registry_uri(uri: str | None) -> None:
    global _registry_uri
    _registry_uri = uri


def current_registry_uri() -> str | None:
    return _registry_uri
