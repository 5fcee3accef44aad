"""Importing a run bundle: the receiving end of ``cairn sync``.

An import must be safe to repeat (a sync that died halfway is simply run again) and must
converge on the bundle: the run keeps its id, its info is overwritten, tags are upserted and
each metric key of the bundle is *replaced*, so a second sync, or a later sync of the same run
after it logged more points, never duplicates a point. Everything is checked before the first
write and written in the caller's transaction, so a refused import leaves no trace.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from cairn.entities import LifecycleStage, Param, RunBundle, RunStatus, RunTag
from cairn.errors import InvalidParameterValue, ResourceAlreadyExists
from cairn.store.db import tables as t
from cairn.store.tracking import validation as v
from cairn.store.tracking.run_names import generate_run_name
from cairn.store.tracking.sql import datasets, experiments, metric_chunks, runs
from cairn.store.tracking.sql._dialect import insert_ignore, upsert


def import_run(conn: sa.Connection, bundle: RunBundle, default_root: str, truncate: bool) -> None:
    params, tags, name = _validated(bundle, truncate)
    experiment = _experiment_row(conn, bundle.experiment_name, default_root)
    existing = conn.execute(sa.select(t.runs).where(t.runs.c.run_uuid == bundle.run_id)).first()
    if existing is None:
        _insert_run(conn, bundle, experiment)
    else:
        _check_same_experiment(bundle, existing, experiment)
        _check_params(conn, bundle.run_id, params)
        _update_run(conn, bundle)
    insert_ignore(
        conn,
        t.params,
        [{"run_uuid": bundle.run_id, "key": p.key, "value": p.value} for p in params],
    )
    upsert(
        conn,
        t.tags,
        [{"run_uuid": bundle.run_id, "key": tag.key, "value": tag.value} for tag in tags],
        ["value"],
    )
    runs.set_name(conn, bundle.run_id, name)
    metric_chunks.delete_series(conn, bundle.run_id, [s.key for s in bundle.series])
    metric_chunks.write_series(conn, bundle.run_id, bundle.series)
    datasets.log_inputs(conn, bundle.run_id, bundle.dataset_inputs)
    if bundle.lifecycle_stage is not LifecycleStage.ACTIVE:
        _mark_deleted(conn, bundle.run_id, None if existing is None else existing.deleted_time)


def _validated(bundle: RunBundle, truncate: bool) -> tuple[list[Param], list[RunTag], str]:
    """Checked params and tags (without the run-name tag) and the run's name."""
    v.validate_run_id(bundle.run_id)
    v.validate_experiment_name(bundle.experiment_name)
    RunStatus.parse(bundle.status)
    LifecycleStage(bundle.lifecycle_stage)
    params = [v.validate_param(p, truncate) for p in bundle.params]
    _check_unique("param", [p.key for p in params])
    by_key = {tag.key: v.validate_tag(tag, truncate).value for tag in bundle.tags}
    tag_name = by_key.pop(runs.RUN_NAME_TAG, None)
    name = v.validate_run_name(bundle.run_name or tag_name or generate_run_name())
    for series in bundle.series:
        v.validate_series(series)
    _check_unique("metric", [s.key for s in bundle.series])
    for item in bundle.dataset_inputs:
        v.validate_dataset_input(item)
    return params, [RunTag(k, val) for k, val in by_key.items()], name


def _check_unique(what: str, keys: Sequence[str]) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise InvalidParameterValue(f"The run bundle has {what} '{key[:100]}' twice.")
        seen.add(key)


def _experiment_row(conn: sa.Connection, name: str, default_root: str) -> Any:
    """The active experiment of this name, created when the target has none."""
    found = conn.execute(
        sa.select(t.experiments.c.experiment_id).where(t.experiments.c.name == name)
    ).first()
    if found is None:
        experiment_id = experiments.create(conn, name, None, (), default_root)
    else:
        experiment_id = found.experiment_id
    row = experiments.get_row(conn, experiment_id)
    if row.lifecycle_stage != LifecycleStage.ACTIVE.value:
        raise InvalidParameterValue(
            f"Experiment '{name}' is deleted on the target. Restore it (cairn experiments "
            f"restore {experiment_id}) or rename it, then import again."
        )
    return row


def _check_same_experiment(bundle: RunBundle, existing: Any, experiment: Any) -> None:
    if existing.experiment_id != experiment.experiment_id:
        raise ResourceAlreadyExists(
            f"Run {bundle.run_id} already exists on the target in experiment "
            f"{existing.experiment_id}, not in '{bundle.experiment_name}' "
            f"({experiment.experiment_id}); a run cannot move between experiments. "
            "Nothing was imported."
        )


def _check_params(conn: sa.Connection, run_id: str, params: Sequence[Param]) -> None:
    p = t.params
    stored: dict[str, str] = dict(
        conn.execute(sa.select(p.c.key, p.c.value).where(p.c.run_uuid == run_id)).all()
    )
    for param in params:
        old = stored.get(param.key)
        if old is not None and old != param.value:
            raise InvalidParameterValue(
                f"Param '{param.key}' of run {run_id} is '{old[:100]}' on the target but "
                f"'{param.value[:100]}' in the imported run; params cannot change. "
                "Nothing was imported."
            )


def _info_values(bundle: RunBundle) -> dict[str, Any]:
    """The run-row columns an import sets; the run stays active until the data is in."""
    return {
        "user_id": bundle.user_id or "",
        "status": RunStatus.parse(bundle.status).name,
        "start_time": bundle.start_time,
        "end_time": bundle.end_time,
        "lifecycle_stage": LifecycleStage.ACTIVE.value,
        "deleted_time": None,
    }


def _insert_run(conn: sa.Connection, bundle: RunBundle, experiment: Any) -> None:
    location = experiments.join_location(experiment.artifact_location, bundle.run_id, "artifacts")
    conn.execute(
        sa.insert(t.runs).values(
            run_uuid=bundle.run_id,
            experiment_id=experiment.experiment_id,
            name="",  # set with the run-name tag below
            artifact_uri=location,
            **_info_values(bundle),
        )
    )


def _update_run(conn: sa.Connection, bundle: RunBundle) -> None:
    conn.execute(
        sa.update(t.runs).where(t.runs.c.run_uuid == bundle.run_id).values(**_info_values(bundle))
    )


def _mark_deleted(conn: sa.Connection, run_id: str, deleted_time: int | None) -> None:
    conn.execute(
        sa.update(t.runs)
        .where(t.runs.c.run_uuid == run_id)
        .values(
            lifecycle_stage=LifecycleStage.DELETED.value,
            deleted_time=deleted_time or experiments.now_ms(),
        )
    )
