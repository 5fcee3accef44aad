"""Run lifecycle operations of the SQL tracking store: create, get, update, delete, restore."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from cairn.entities import LifecycleStage, Run, RunData, RunInfo, RunStatus, RunTag
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.store.db import tables as t
from cairn.store.tracking import validation as v
from cairn.store.tracking.run_names import generate_run_name
from cairn.store.tracking.sql import experiments
from cairn.store.tracking.sql._dialect import upsert
from cairn.store.tracking.sql.mapping import load_runs, run_info_from_row

RUN_NAME_TAG = "mlflow.runName"


def get_row(conn: sa.Connection, run_id: str) -> Any:
    row = conn.execute(sa.select(t.runs).where(t.runs.c.run_uuid == run_id)).first()
    if row is None:
        raise ResourceDoesNotExist(f"No run with id '{run_id}'.")
    return row


def get_active_row(conn: sa.Connection, run_id: str) -> Any:
    row = get_row(conn, run_id)
    if row.lifecycle_stage != LifecycleStage.ACTIVE.value:
        raise InvalidParameterValue(
            f"The run {run_id} must be in the 'active' state; it is '{row.lifecycle_stage}'. "
            "Restore it before writing to it."
        )
    return row


def _resolve_run_name(run_name: str | None, tags: Sequence[RunTag]) -> str:
    tag_name = next((tag.value for tag in tags if tag.key == RUN_NAME_TAG), None)
    if run_name and tag_name and run_name != tag_name:
        raise InvalidParameterValue(
            f"Both run_name '{run_name}' and tag {RUN_NAME_TAG} '{tag_name}' were given and "
            "they differ; give one of them."
        )
    return v.validate_run_name(run_name or tag_name or generate_run_name())


def create(
    conn: sa.Connection,
    experiment_id: int,
    user_id: str,
    start_time: int,
    tags: Sequence[RunTag],
    run_name: str | None,
    truncate: bool,
) -> Run:
    checked = [v.validate_tag(tag, truncate) for tag in tags]
    name = _resolve_run_name(run_name, checked)
    exp = experiments.get_active_row(conn, experiment_id)
    run_id = uuid.uuid4().hex
    info = RunInfo(
        run_id=run_id,
        experiment_id=str(experiment_id),
        run_name=name,
        user_id=user_id or "",
        status=RunStatus.RUNNING,
        start_time=start_time,
        end_time=None,
        artifact_uri=experiments.join_location(exp.artifact_location, run_id, "artifacts"),
        lifecycle_stage=LifecycleStage.ACTIVE,
    )
    conn.execute(
        sa.insert(t.runs).values(
            run_uuid=run_id,
            experiment_id=experiment_id,
            name=name,
            user_id=info.user_id,
            status=info.status.name,
            start_time=start_time,
            end_time=None,
            deleted_time=None,
            lifecycle_stage=info.lifecycle_stage.value,
            artifact_uri=info.artifact_uri,
        )
    )
    by_key = {tag.key: tag.value for tag in checked}
    by_key[RUN_NAME_TAG] = name
    conn.execute(
        sa.insert(t.tags),
        [{"run_uuid": run_id, "key": k, "value": val} for k, val in by_key.items()],
    )
    # The new run is exactly what was written: no need to read it back (7 queries).
    tags = tuple(RunTag(k, val) for k, val in sorted(by_key.items()))
    return Run(info=info, data=RunData(tags=tags))


def get(conn: sa.Connection, run_id: str) -> Run:
    get_row(conn, run_id)
    return load_runs(conn, [run_id])[0]


def update(
    conn: sa.Connection,
    run_id: str,
    status: RunStatus | None,
    end_time: int | None,
    run_name: str | None,
) -> RunInfo:
    get_active_row(conn, run_id)
    values: dict[str, Any] = {}
    if status is not None:
        values["status"] = RunStatus.parse(status).name
    if end_time is not None:
        values["end_time"] = end_time
    if run_name:
        set_name(conn, run_id, run_name)
    if values:
        conn.execute(sa.update(t.runs).where(t.runs.c.run_uuid == run_id).values(**values))
    return run_info_from_row(get_row(conn, run_id))


def set_name(conn: sa.Connection, run_id: str, name: str) -> None:
    """The run's name lives in its row and in the mlflow.runName tag; keep both in step."""
    v.validate_run_name(name)
    conn.execute(sa.update(t.runs).where(t.runs.c.run_uuid == run_id).values(name=name))
    upsert(conn, t.tags, [{"run_uuid": run_id, "key": RUN_NAME_TAG, "value": name}], ["value"])


def set_lifecycle(conn: sa.Connection, run_id: str, stage: LifecycleStage) -> None:
    """Soft delete or restore; both are idempotent, as in MLflow."""
    get_row(conn, run_id)
    deleted_time = experiments.now_ms() if stage is LifecycleStage.DELETED else None
    conn.execute(
        sa.update(t.runs)
        .where(t.runs.c.run_uuid == run_id)
        .values(lifecycle_stage=stage.value, deleted_time=deleted_time)
    )
