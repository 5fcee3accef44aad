"""Registry entities <-> MLflow's JSON (reference section 3.4), both directions in one place.

The wire carries a version number as a string and enums by name; audit events are cairn's own
(``/api/2.0/cairn/registry/events``) and travel with their ``details`` as a JSON object.
"""

from __future__ import annotations

from typing import Any

from cairn.entities import (
    ModelVersion,
    ModelVersionStage,
    ModelVersionStatus,
    ModelVersionTag,
    RegisteredModel,
    RegisteredModelTag,
    RegistryEvent,
    RegistryEventType,
)
from cairn.entities.registry import RegisteredModelAlias

JsonDict = dict[str, Any]


def _compact(data: JsonDict) -> JsonDict:
    return {k: v for k, v in data.items() if v is not None and v != [] and v != {}}


def _key_values(items: Any) -> list[JsonDict]:
    return [{"key": item.key, "value": item.value} for item in items]


def encode_model_version(version: ModelVersion) -> JsonDict:
    """MLflow always writes ``description`` (possibly empty) and the stage as its name."""
    return _compact(
        {
            "name": version.name,
            "version": str(version.version),
            "creation_timestamp": version.creation_timestamp,
            "last_updated_timestamp": version.last_updated_timestamp,
            "user_id": version.user_id,
            "current_stage": version.current_stage.value,
            "description": version.description or "",
            "source": version.source,
            "run_id": version.run_id or "",
            "status": version.status.name,
            "status_message": version.status_message,
            "tags": _key_values(version.tags),
            "run_link": version.run_link or "",
            "aliases": list(version.aliases),
            "model_id": version.model_id,
        }
    )


def encode_registered_model(model: RegisteredModel) -> JsonDict:
    return _compact(
        {
            "name": model.name,
            "creation_timestamp": model.creation_timestamp,
            "last_updated_timestamp": model.last_updated_timestamp,
            "user_id": model.user_id,
            "description": model.description or "",
            "latest_versions": [encode_model_version(v) for v in model.latest_versions],
            "tags": _key_values(model.tags),
            "aliases": [{"alias": a.alias, "version": str(a.version)} for a in model.aliases],
        }
    )


def encode_registry_event(event: RegistryEvent) -> JsonDict:
    return _compact(
        {
            "event_id": event.event_id,
            "name": event.name,
            "version": None if event.version is None else str(event.version),
            "event_type": event.event_type.value,
            "user_id": event.user_id,
            "timestamp": event.timestamp,
            "details": event.details,
        }
    )


def _int(value: Any, default: int = 0) -> int:
    """int64s arrive as numbers from cairn and MLflow, as strings from stock protobuf JSON."""
    return default if value in (None, "") else int(value)


def _text(value: Any) -> str | None:
    """Unset and empty strings both read as None, as MLflow's client shows them."""
    return None if value in (None, "") else str(value)


def _status(value: Any) -> ModelVersionStatus:
    """By name (MLflow's JSON), by number, or as a string holding the number; unset or
    unknown reads as READY, which is what an MLflow server reports for every new version."""
    if value in (None, ""):
        return ModelVersionStatus.READY
    text = str(value).strip()
    if text.isdigit():
        number = int(text)
        return ModelVersionStatus(number) if number in (1, 2, 3) else ModelVersionStatus.READY
    return ModelVersionStatus.__members__.get(text.upper(), ModelVersionStatus.READY)


def _tags(data: JsonDict) -> list[tuple[str, str]]:
    """``tags: [{key, value}]``; an absent list, ``null`` list or ``null`` value are empty."""
    return [(str(t["key"]), str(t.get("value") or "")) for t in data.get("tags") or ()]


def decode_model_version(data: JsonDict) -> ModelVersion:
    return ModelVersion(
        name=str(data["name"]),
        version=_int(data.get("version")),
        creation_timestamp=_int(data.get("creation_timestamp")),
        last_updated_timestamp=_int(data.get("last_updated_timestamp")),
        source=str(data.get("source") or ""),
        current_stage=ModelVersionStage.parse(data.get("current_stage") or "None"),
        status=_status(data.get("status")),
        user_id=_text(data.get("user_id")),
        description=_text(data.get("description")),
        run_id=_text(data.get("run_id")),
        run_link=_text(data.get("run_link")),
        status_message=_text(data.get("status_message")),
        model_id=_text(data.get("model_id")),
        tags=tuple(ModelVersionTag(k, v) for k, v in _tags(data)),
        aliases=tuple(str(a) for a in data.get("aliases") or ()),
    )


def decode_registered_model(data: JsonDict) -> RegisteredModel:
    return RegisteredModel(
        name=str(data["name"]),
        creation_timestamp=_int(data.get("creation_timestamp")),
        last_updated_timestamp=_int(data.get("last_updated_timestamp")),
        description=_text(data.get("description")),
        user_id=_text(data.get("user_id")),
        tags=tuple(RegisteredModelTag(k, v) for k, v in _tags(data)),
        aliases=tuple(
            RegisteredModelAlias(str(a["alias"]), _int(a.get("version")))
            for a in data.get("aliases") or ()
        ),
        latest_versions=tuple(decode_model_version(v) for v in data.get("latest_versions") or ()),
    )


def decode_registry_event(data: JsonDict) -> RegistryEvent:
    version = data.get("version")
    return RegistryEvent(
        event_id=_int(data.get("event_id")),
        name=str(data["name"]),
        version=None if version in (None, "") else int(version),
        event_type=RegistryEventType(data["event_type"]),
        user_id=_text(data.get("user_id")),
        timestamp=_int(data.get("timestamp")),
        details=dict(data.get("details") or {}),
    )
