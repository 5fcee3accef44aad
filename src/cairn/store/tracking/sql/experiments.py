"""Experiment operations of the SQL tracking store (one function per operation)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from cairn.entities import Experiment, ExperimentTag, LifecycleStage, ViewType
from cairn.errors import (
    InvalidParameterValue,
    InvalidState,
    ResourceAlreadyExists,
    ResourceDoesNotExist,
)
from cairn.store.db import tables as t
from cairn.store.tracking import validation as v
from cairn.store.tracking.sql._dialect import upsert
from cairn.store.tracking.sql.mapping import load_experiments

DEFAULT_EXPERIMENT_ID = 0
DEFAULT_EXPERIMENT_NAME = "Default"


def now_ms() -> int:
    return int(time.time() * 1000)


def join_location(root: str, *parts: str) -> str:
    return "/".join([root.rstrip("/"), *parts])


def get_row(conn: sa.Connection, experiment_id: int, view: ViewType = ViewType.ALL) -> Any:
    query = sa.select(t.experiments).where(t.experiments.c.experiment_id == experiment_id)
    row = conn.execute(query).first()
    if row is None:
        raise ResourceDoesNotExist(f"No experiment with id {experiment_id}.")
    if row.lifecycle_stage not in [stage.value for stage in view.stages]:
        # MLflow answers 404 here too; the message says why it was not found
        raise ResourceDoesNotExist(f"Experiment {experiment_id} is already {row.lifecycle_stage}.")
    return row


def get_active_row(conn: sa.Connection, experiment_id: int) -> Any:
    row = get_row(conn, experiment_id)
    if row.lifecycle_stage != LifecycleStage.ACTIVE.value:
        raise InvalidParameterValue(
            f"Experiment {experiment_id} must be in the 'active' state; it is "
            f"'{row.lifecycle_stage}'. Restore it first."
        )
    return row


def _name_taken(conn: sa.Connection, name: str) -> bool:
    query = sa.select(t.experiments.c.experiment_id).where(t.experiments.c.name == name)
    return conn.execute(query).first() is not None


def create(
    conn: sa.Connection,
    name: str,
    artifact_location: str | None,
    tags: Sequence[ExperimentTag],
    default_root: str,
    experiment_id: int | None = None,
) -> int:
    v.validate_experiment_name(name)
    if artifact_location is not None:
        v.validate_artifact_location(artifact_location)
    tag_rows = [
        {"key": tag.key, "value": v.validate_experiment_tag_value(tag.key, tag.value)}
        for tag in tags
    ]
    if _name_taken(conn, name):
        raise ResourceAlreadyExists(
            f"An experiment named '{name}' already exists (it may be deleted; restore or "
            "rename it, or choose another name)."
        )
    now = now_ms()
    values: dict[str, Any] = {
        "name": name,
        "artifact_location": artifact_location or "",
        "lifecycle_stage": LifecycleStage.ACTIVE.value,
        "creation_time": now,
        "last_update_time": now,
    }
    if experiment_id is not None:
        values["experiment_id"] = experiment_id
    try:
        result = conn.execute(sa.insert(t.experiments).values(**values))
    except sa.exc.IntegrityError:
        raise ResourceAlreadyExists(f"An experiment named '{name}' already exists.") from None
    if experiment_id is not None:
        new_id = experiment_id
    else:
        assert result.inserted_primary_key is not None
        new_id = int(result.inserted_primary_key[0])
    if not artifact_location:
        conn.execute(
            sa.update(t.experiments)
            .where(t.experiments.c.experiment_id == new_id)
            .values(artifact_location=join_location(default_root, str(new_id)))
        )
    if tag_rows:
        conn.execute(
            sa.insert(t.experiment_tags), [{"experiment_id": new_id, **r} for r in tag_rows]
        )
    return new_id


def get(conn: sa.Connection, experiment_id: int) -> Experiment:
    get_row(conn, experiment_id)
    return load_experiments(conn, [experiment_id])[0]


def get_by_name(conn: sa.Connection, name: str) -> Experiment | None:
    row = conn.execute(
        sa.select(t.experiments.c.experiment_id).where(t.experiments.c.name == name)
    ).first()
    return None if row is None else load_experiments(conn, [row.experiment_id])[0]


def rename(conn: sa.Connection, experiment_id: int, new_name: str) -> None:
    v.validate_experiment_name(new_name)
    row = get_row(conn, experiment_id)
    if row.lifecycle_stage != LifecycleStage.ACTIVE.value:
        raise InvalidState(f"Cannot rename experiment {experiment_id}: it is deleted.")
    if row.name != new_name and _name_taken(conn, new_name):
        raise ResourceAlreadyExists(f"An experiment named '{new_name}' already exists.")
    conn.execute(
        sa.update(t.experiments)
        .where(t.experiments.c.experiment_id == experiment_id)
        .values(name=new_name, last_update_time=now_ms())
    )


def set_lifecycle(conn: sa.Connection, experiment_id: int, stage: LifecycleStage) -> None:
    """Delete or restore an experiment together with every run in it."""
    current = ViewType.ACTIVE_ONLY if stage is LifecycleStage.DELETED else ViewType.DELETED_ONLY
    get_row(conn, experiment_id, current)
    now = now_ms()
    conn.execute(
        sa.update(t.experiments)
        .where(t.experiments.c.experiment_id == experiment_id)
        .values(lifecycle_stage=stage.value, last_update_time=now)
    )
    deleted = stage is LifecycleStage.DELETED
    conn.execute(
        sa.update(t.runs)
        .where(t.runs.c.experiment_id == experiment_id)
        .values(lifecycle_stage=stage.value, deleted_time=now if deleted else None)
    )


def set_tag(conn: sa.Connection, experiment_id: int, tag: ExperimentTag) -> None:
    value = v.validate_experiment_tag_value(tag.key, tag.value)
    get_active_row(conn, experiment_id)
    if tag.key.startswith(v.CUSTOM_VIEW_TAG_PREFIX):
        _check_custom_view_limit(conn, experiment_id, tag.key)
    upsert(
        conn,
        t.experiment_tags,
        [{"experiment_id": experiment_id, "key": tag.key, "value": value}],
        ["value"],
    )


def _check_custom_view_limit(conn: sa.Connection, experiment_id: int, key: str) -> None:
    keys = conn.execute(
        sa.select(t.experiment_tags.c.key).where(
            t.experiment_tags.c.experiment_id == experiment_id,
            t.experiment_tags.c.key.startswith(v.CUSTOM_VIEW_TAG_PREFIX, autoescape=True),
        )
    ).scalars()
    existing = set(keys)
    if key not in existing and len(existing) >= v.MAX_CUSTOM_VIEW_TAGS:
        raise InvalidParameterValue(
            f"An experiment may hold at most {v.MAX_CUSTOM_VIEW_TAGS} saved views."
        )


def delete_tag(conn: sa.Connection, experiment_id: int, key: str) -> None:
    get_active_row(conn, experiment_id)
    result = conn.execute(
        sa.delete(t.experiment_tags).where(
            t.experiment_tags.c.experiment_id == experiment_id, t.experiment_tags.c.key == key
        )
    )
    if result.rowcount == 0:
        raise ResourceDoesNotExist(f"Experiment {experiment_id} has no tag '{key}'.")
