"""Rows to entities, and the batch loaders that build many runs in a fixed number of queries.

Loading N runs costs a fixed number of queries whatever N is (runs, params, tags, latest
metrics, dataset inputs, model inputs, model outputs), which keeps search at 100k runs free of
per-run round trips; logged models load the same way (models, tags, params, metrics).
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
    LoggedModel,
    LoggedModelParam,
    LoggedModelStatus,
    LoggedModelTag,
    Metric,
    ModelInput,
    ModelOutput,
    Param,
    Run,
    RunData,
    RunInfo,
    RunInputs,
    RunOutputs,
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


def _load_model_links(
    conn: sa.Connection, run_ids: Sequence[str]
) -> tuple[dict[str, tuple[ModelInput, ...]], dict[str, tuple[ModelOutput, ...]]]:
    """The logged models each run consumed (by model id) and produced (by step, model id)."""
    in_rows = _grouped(conn, t.run_model_inputs, t.run_model_inputs.c.run_uuid, run_ids)
    out_rows = _grouped(conn, t.run_model_outputs, t.run_model_outputs.c.run_uuid, run_ids)
    model_inputs = {
        run_id: tuple(ModelInput(r.model_id) for r in sorted(rows, key=lambda r: r.model_id))
        for run_id, rows in in_rows.items()
    }
    model_outputs = {
        run_id: tuple(
            ModelOutput(r.model_id, r.step)
            for r in sorted(rows, key=lambda r: (r.step, r.model_id))
        )
        for run_id, rows in out_rows.items()
    }
    return model_inputs, model_outputs


def load_runs(conn: sa.Connection, run_ids: Sequence[str]) -> list[Run]:
    """Full runs in the order of ``run_ids`` (missing ids are skipped)."""
    if not run_ids:
        return []
    infos = {r.run_uuid: run_info_from_row(r) for r in _grouped_rows(conn, t.runs, run_ids)}
    params = _grouped(conn, t.params, t.params.c.run_uuid, run_ids)
    tags = _grouped(conn, t.tags, t.tags.c.run_uuid, run_ids)
    latest = _grouped(conn, t.latest_metrics, t.latest_metrics.c.run_uuid, run_ids)
    inputs = _load_inputs(conn, run_ids)
    model_inputs, model_outputs = _load_model_links(conn, run_ids)
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
        runs.append(
            Run(
                info=info,
                data=data,
                inputs=RunInputs(dataset_inputs, model_inputs.get(run_id, ())),
                outputs=RunOutputs(model_outputs.get(run_id, ())),
            )
        )
    return runs


def load_logged_models(conn: sa.Connection, model_ids: Sequence[str]) -> list[LoggedModel]:
    """Logged models in the order of ``model_ids`` with tags, params and every metric point."""
    if not model_ids:
        return []
    rows = {r.model_id: r for r in _grouped_rows(conn, t.logged_models, model_ids)}
    tags = _grouped(conn, t.logged_model_tags, t.logged_model_tags.c.model_id, model_ids)
    params = _grouped(conn, t.logged_model_params, t.logged_model_params.c.model_id, model_ids)
    metrics = _grouped(conn, t.logged_model_metrics, t.logged_model_metrics.c.model_id, model_ids)
    models = []
    for model_id in model_ids:
        row = rows.get(model_id)
        if row is None:
            continue
        points = sorted(metrics.get(model_id, []), key=lambda r: (r.key, r.step, r.timestamp))
        models.append(
            LoggedModel(
                model_id=row.model_id,
                experiment_id=str(row.experiment_id),
                name=row.name,
                artifact_location=row.artifact_location,
                creation_timestamp=row.creation_timestamp,
                last_updated_timestamp=row.last_updated_timestamp,
                status=LoggedModelStatus[row.status],
                lifecycle_stage=LifecycleStage(row.lifecycle_stage),
                model_type=row.model_type,
                source_run_id=row.source_run_id,
                status_message=row.status_message,
                tags=tuple(
                    LoggedModelTag(r.key, r.value)
                    for r in sorted(tags.get(model_id, []), key=lambda r: r.key)
                ),
                params=tuple(
                    LoggedModelParam(r.key, r.value)
                    for r in sorted(params.get(model_id, []), key=lambda r: r.key)
                ),
                metrics=tuple(_model_metric(r) for r in points),
            )
        )
    return models


def _model_metric(row: Any) -> Metric:
    return Metric(
        key=row.key,
        value=metric_value(row),
        timestamp=row.timestamp,
        step=row.step,
        run_id=row.run_uuid,
        model_id=row.model_id,
        dataset_name=row.dataset_name,
        dataset_digest=row.dataset_digest,
    )
