"""The process-wide tracking URI chosen with ``cairn.set_tracking_uri``.

It lives below both the client and the fluent API so that ``CairnClient()`` without an
argument follows ``set_tracking_uri`` as ``MlflowClient()`` follows ``mlflow.set_tracking_uri``.
"""

from __future__ import annotations

_uri: str | None = None


def set_current_uri(uri: str | None) -> None:
    global _uri
    _uri = uri


def current_uri() -> str | None:
    return _uri
