"""Registry entities -> JSON-ready dicts and one-line summaries, for ``cairn models``.

Field names follow MLflow's REST API (``current_stage``, ``run_id``...) and every key is kept,
null when unset, as in :mod:`cairn.cli._render`; versions stay numbers for scripts. The
summaries say what an audit event changed in words ("alias champion: v2 -> v3"), so the
history table reads like a changelog.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from cairn.cli._render import JSON, json_float, key_values
from cairn.entities import ModelVersion, RegistryEvent, RegistryEventType
from cairn.entities.lineage import LineageRun, ModelVersionLineage

E = RegistryEventType


def model_version_json(mv: ModelVersion) -> JSON:
    return {
        "name": mv.name,
        "version": mv.version,
        "creation_timestamp": mv.creation_timestamp,
        "last_updated_timestamp": mv.last_updated_timestamp,
        "user_id": mv.user_id,
        "current_stage": mv.current_stage.value,
        "description": mv.description,
        "source": mv.source,
        "run_id": mv.run_id,
        "run_link": mv.run_link,
        "status": mv.status.name,
        "status_message": mv.status_message,
        "model_id": mv.model_id,
        "tags": key_values(mv.tags),
        "aliases": list(mv.aliases),
    }


def _run_json(run: LineageRun | None) -> JSON | None:
    if run is None:
        return None
    return {
        "run_id": run.run_id,
        "run_name": run.run_name,
        "status": run.status.name,
        "start_time": run.start_time,
        "end_time": run.end_time,
        "user_id": run.user_id,
        "experiment_id": run.experiment_id,
        "experiment_name": run.experiment_name,
        "git_commit": run.git_commit,
        "source_name": run.source_name,
        "source_type": run.source_type,
    }


def lineage_json(lineage: ModelVersionLineage) -> JSON:
    return {
        "model_version": model_version_json(lineage.version),
        "model_id": lineage.model_id,
        "run": _run_json(lineage.run),
        "params": dict(lineage.params),
        "metrics": {k: json_float(v) for k, v in lineage.metrics.items()},
        "datasets": [
            {
                "name": d.name,
                "digest": d.digest,
                "source_type": d.source_type,
                "source": d.source,
                "context": d.context,
            }
            for d in lineage.datasets
        ],
    }


def event_json(event: RegistryEvent) -> JSON:
    what, details = describe_event(event)
    return {
        "event_id": event.event_id,
        "timestamp": event.timestamp,
        "user_id": event.user_id,
        "name": event.name,
        "version": event.version,
        "event_type": event.event_type.value,
        "summary": f"{what}: {details}" if details else what,
        "details": event.details,
    }


def _v(version: Any) -> str:
    return "(none)" if version is None else f"v{version}"


def _text(value: Any) -> str:
    return "(empty)" if value in (None, "") else repr(str(value))


def _tags(tags: Any) -> str:
    if not isinstance(tags, Mapping) or not tags:
        return ""
    return "tags " + ", ".join(f"{k}={v}" for k, v in tags.items())


def _created_model(d: Mapping[str, Any]) -> str:
    parts = [_tags(d.get("tags"))]
    if d.get("description"):
        parts.append(f"description {_text(d['description'])}")
    return "; ".join(p for p in parts if p)


def _created_version(d: Mapping[str, Any]) -> str:
    parts = [f"source {d.get('source')}"]
    parts += [f"{key.replace('_', ' ')} {d[key]}" for key in ("run_id", "model_id") if d.get(key)]
    parts.append(_tags(d.get("tags")))
    return "; ".join(p for p in parts if p)


def _stage(d: Mapping[str, Any]) -> str:
    text = f"stage {d.get('from')} -> {d.get('to')}"
    if d.get("archived_by_version") is not None:
        return f"{text} (archived by {_v(d['archived_by_version'])})"
    if d.get("archive_existing_versions"):
        return f"{text} (archiving the others in {d.get('to')})"
    return text


def _deleted_version(d: Mapping[str, Any]) -> str:
    aliases = d.get("aliases") or []
    text = f"was in stage {d.get('stage')}"
    return f"{text}; aliases removed: {', '.join(aliases)}" if aliases else text


_DESCRIBE: dict[RegistryEventType, tuple[str, Callable[[Mapping[str, Any]], str]]] = {
    E.MODEL_CREATED: ("model created", _created_model),
    E.MODEL_RENAMED: ("model renamed", lambda d: f"{d.get('old_name')} -> {d.get('new_name')}"),
    E.MODEL_DESCRIPTION_CHANGED: (
        "description changed",
        lambda d: f"{_text(d.get('from'))} -> {_text(d.get('to'))}",
    ),
    E.MODEL_TAG_SET: ("tag set", lambda d: f"{d.get('key')}={d.get('value')}"),
    E.MODEL_TAG_DELETED: ("tag deleted", lambda d: str(d.get("key"))),
    E.MODEL_DELETED: ("model deleted", lambda d: ""),
    E.ALIAS_SET: (
        "alias set",
        lambda d: (
            f"alias {d.get('alias')}: {_v(d.get('previous_version'))} -> {_v(d.get('version'))}"
        ),
    ),
    E.ALIAS_DELETED: (
        "alias deleted",
        lambda d: f"alias {d.get('alias')}: {_v(d.get('previous_version'))} -> (none)",
    ),
    E.VERSION_CREATED: ("version created", _created_version),
    E.VERSION_DESCRIPTION_CHANGED: (
        "description changed",
        lambda d: f"{_text(d.get('from'))} -> {_text(d.get('to'))}",
    ),
    E.VERSION_TAG_SET: ("tag set", lambda d: f"{d.get('key')}={d.get('value')}"),
    E.VERSION_TAG_DELETED: ("tag deleted", lambda d: str(d.get("key"))),
    E.STAGE_TRANSITIONED: ("stage changed", _stage),
    E.VERSION_DELETED: ("version deleted", _deleted_version),
}


def describe_event(event: RegistryEvent) -> tuple[str, str]:
    """(what happened, the details that matter), e.g. ("alias set", "alias champion: v2 ->
    v3"); an event type this cairn does not know is shown by its name with raw details."""
    what, details = _DESCRIBE.get(event.event_type, (event.event_type.value, None))
    if details is None:
        return what, ", ".join(f"{k}={v}" for k, v in sorted(event.details.items()))
    return what, details(event.details)
