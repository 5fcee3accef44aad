"""The client's logged-model arguments, MLflow-style, turned into the entities a store takes.

``MlflowClient`` accepts plain mappings for a logged model's tags and params, and ``order_by``
dicts for searches; ``CairnClient`` keeps those signatures, and these conversions keep its
methods one store call each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cairn.entities import LoggedModelParam, LoggedModelTag
from cairn.store.tracking.base import LoggedModelOrder


def model_tags(tags: Mapping[str, Any]) -> list[LoggedModelTag]:
    """Tags with their values as strings."""
    return [LoggedModelTag(k, str(v)) for k, v in tags.items()]


def model_params(params: Mapping[str, Any]) -> list[LoggedModelParam]:
    """Params with their values as strings."""
    return [LoggedModelParam(k, str(v)) for k, v in params.items()]


def search_orders(
    order_by: Sequence[LoggedModelOrder | Mapping[str, Any]] | None,
) -> list[LoggedModelOrder]:
    """MLflow's ``{"field_name": ..., "ascending": ...}`` dicts as ``LoggedModelOrder``."""
    return [o if isinstance(o, LoggedModelOrder) else LoggedModelOrder(**o) for o in order_by or ()]
