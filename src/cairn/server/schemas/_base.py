"""The base of every wire schema, and the small types many of them share.

These models only *document* the JSON the handlers write (the server never validates or
re-serialises through them; see ``cairn.server.app``), so they describe MLflow's encoding
exactly: unset fields are omitted, not ``null``. Pydantic spells an optional field as
``anyOf: [T, null]`` with ``default: null``; the UI's generated TypeScript would then read
``T | null`` where the server sends nothing, so the schema hook below writes such a field as a
plain, non-required ``T``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


def _drop_null_branches(schema: dict[str, Any]) -> None:
    """``anyOf: [T, {type: null}]`` with ``default: null`` -> a plain ``T``, for each optional
    property; a required property that may be ``null`` keeps its null branch."""
    for prop in schema.get("properties", {}).values():
        if "default" not in prop or prop["default"] is not None:
            continue
        del prop["default"]
        branches = prop.pop("anyOf", None)
        if branches is None:
            continue
        rest = [b for b in branches if b != {"type": "null"}]
        if len(rest) == 1:
            prop.update(rest[0])
        else:
            prop["anyOf"] = rest


class WireModel(BaseModel):
    """A JSON object of the API. ``extra="forbid"`` keeps the documentation honest: the
    schema tests validate real answers and fail on any field a model forgot."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        protected_namespaces=(),
        json_schema_extra=_drop_null_branches,
    )


class Empty(WireModel):
    """The empty answer ``{}`` of writes, deletes and searches without hits."""


class ErrorResponse(WireModel):
    """Every 4xx/5xx JSON answer: MLflow's error envelope."""

    error_code: str
    message: str


class KeyValue(WireModel):
    """A tag or param: ``{key, value}``."""

    key: str
    value: str


#: A metric value: a number, or the string "NaN" (JSON has no NaN; +-inf arrive clamped).
MetricValue = float | Literal["NaN"]

ViewTypeName = Literal["ACTIVE_ONLY", "DELETED_ONLY", "ALL"]
RunStatusName = Literal["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"]
LifecycleStageName = Literal["active", "deleted"]
