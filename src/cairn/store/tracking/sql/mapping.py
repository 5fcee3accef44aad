"""Rows to entities, and the batch loaders that build many runs in a fixed number of queries.

Loading N runs costs five queries whatever N is (runs, params, tags, latest metrics, inputs),
which keeps search at 100k runs free of per-run round trips.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from cairn.entities import (
    Dataset,
    DatasetInput,
    Experiment,
    ExperimentTag,
    InputTag,
    LifecycleStage,
    Metric,
    Param,
    Run,
    RunData,
    RunInfo,
    RunInputs,
    RunStatus,
    RunTag,
)
from cairn.store.db import tables as t
from cairn.store.tracking.sql._dialect import chunks


def metric_value(row: Any) -> float:
    return float("nan") if row.is_nan else float(row.value)


def run_info_from_row(row: Any) -> RunInfo:
    return RunInfo(
        run_id=row.run_uuid,
        experiment_id=str(row.experiment_id),
        run_name=row.name,
        user_id=row.user_id,
        status=RunStatus[row.status],
        start_time=row.start_time,
        end_time=row.end_time,
        artifact_uri=row.artifact_uri,
        lifecycle_stage=LifecycleStage(row.lifecycle_stage),
    )


def _grouped(
    conn: sa.Connection, table: sa.Table, column: sa.Column[Any], ids: Sequence[Any]
) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for part in chunks(list(ids)):
        for row in conn.execute(sa.select(table).where(column.in_(part))):
            grouped[getattr(row, column.name)].append(row)
    return grouped


def load_experiments(conn: sa.Connection, ids: Sequence[int]) -> list[Experiment]:
    """Experiments in the order of ``ids``, with their tags."""
    rows = {r.experiment_id: r for r in _grouped_rows(conn, t.experiments, ids)}
    tag_rows = _grouped(conn, t.experiment_tags, t.experiment_tags.c.experiment_id, ids)
    result = []
    for exp_id in ids:
        row = rows.get(exp_id)
        if row is None:
            continue
        result.append(
            Experiment(
                experiment_id=str(row.experiment_id),
                name=row.name,
                artifact_location=row.artifact_location,
                lifecycle_stage=LifecycleStage(row.lifecycle_stage),
                creation_time=row.creation_time,
                last_update_time=row.last_update_time,
                tags=tuple(
                    ExperimentTag(r.key, r.value)
                    for r in sorted(tag_rows.get(exp_id, []), key=lambda r: r.key)
                ),
            )
        )
    return result


def _grouped_rows(conn: sa.Connection, table: sa.Table, ids: Sequence[Any]) -> list[Any]:
    key = next(iter(table.primary_key.columns))
    return [row for rows in _grouped(conn, table, key, ids).values() for row in rows]


def _load_inputs(conn: sa.Connection, run_ids: Sequence[str]) -> dict[str, list[DatasetInput]]:
    links = _grouped(conn, t.inputs, t.inputs.c.destination_id, run_ids)
    all_links = [row for rows in links.values() for row in rows]
    if not all_links:
        return {}
    datasets = {
        r.dataset_uuid: r
        for r in _grouped_rows(conn, t.datasets, list({r.source_id for r in all_links}))
    }
    input_tags = _grouped(
        conn, t.input_tags, t.input_tags.c.input_uuid, [r.input_uuid for r in all_links]
    )
    result: dict[str, list[DatasetInput]] = defaultdict(list)
    for link in all_links:
        row = datasets[link.source_id]
        dataset = Dataset(
            name=row.name,
            digest=row.digest,
            source_type=row.source_type,
            source=row.source,
            schema=row.schema,
            profile=row.profile,
        )
        tags = tuple(
            InputTag(r.name, r.value)
            for r in sorted(input_tags.get(link.input_uuid, []), key=lambda r: r.name)
        )
        result[link.destination_id].append(DatasetInput(dataset=dataset, tags=tags))
    return result


def load_runs(conn: sa.Connection, run_ids: Sequence[str]) -> list[Run]:
    """Full runs in the order of ``run_ids`` (missing ids are skipped)."""
    if not run_ids:
        return []
    infos = {r.run_uuid: run_info_from_row(r) for r in _grouped_rows(conn, t.runs, run_ids)}
    params = _grouped(conn, t.params, t.params.c.run_uuid, run_ids)
    tags = _grouped(conn, t.tags, t.tags.c.run_uuid, run_ids)
    latest = _grouped(conn, t.latest_metrics, t.latest_metrics.c.run_uuid, run_ids)
    inputs = _load_inputs(conn, run_ids)
    runs = []
    for run_id in run_ids:
        info = infos.get(run_id)
        if info is None:
            continue
        data = RunData(
            metrics=tuple(
                Metric(r.key, metric_value(r), r.timestamp, r.step)
                for r in sorted(latest.get(run_id, []), key=lambda r: r.key)
            ),
            params=tuple(
                Param(r.key, r.value) for r in sorted(params.get(run_id, []), key=lambda r: r.key)
            ),
            tags=tuple(
                RunTag(r.key, r.value) for r in sorted(tags.get(run_id, []), key=lambda r: r.key)
            ),
        )
        dataset_inputs = tuple(
            sorted(inputs.get(run_id, []), key=lambda d: (d.dataset.name, d.dataset.digest))
        )
        runs.append(Run(info=info, data=data, inputs=RunInputs(dataset_inputs)))
    return runs
