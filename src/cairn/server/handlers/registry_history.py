"""The registry's audit history (cairn-native: MLflow keeps none)."""

from __future__ import annotations

from typing import Any

from cairn.server.params import Params
from cairn.server.state import ServerState
from cairn.wire.registry import encode_registry_event


def events(state: ServerState, params: Params) -> dict[str, Any]:
    """Every change to a model (or one version), oldest first: ``{"events": [...]}``."""
    name = params.required("name")
    version = params.integer("version")
    found = state.registry.list_events(name, version)
    return {"events": [encode_registry_event(e) for e in found]}
