"""Entities -> JSON-ready dicts for ``--json``: MLflow's REST field names, stable keys.

Conversions live here, at the edge, not on the entities. Unlike the REST API, unset fields are
kept (as null) so scripts can rely on every key being present. Enums are written by name and
non-finite floats as the strings MLflow uses ("NaN", "Infinity", "-Infinity").
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, Protocol

from cairn.entities import DatasetInput, Experiment, Metric, Run, RunInfo

JSON = dict[str, Any]


class _KeyValue(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def value(self) -> str: ...


def json_float(value: float) -> float | str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def key_values(items: Iterable[_KeyValue]) -> list[JSON]:
    return [{"key": item.key, "value": item.value} for item in items]


def experiment_json(exp: Experiment) -> JSON:
    return {
        "experiment_id": exp.experiment_id,
        "name": exp.name,
        "artifact_location": exp.artifact_location,
        "lifecycle_stage": exp.lifecycle_stage.value,
        "creation_time": exp.creation_time,
        "last_update_time": exp.last_update_time,
        "tags": key_values(exp.tags),
    }


def metric_json(metric: Metric) -> JSON:
    return {
        "key": metric.key,
        "value": json_float(metric.value),
        "timestamp": metric.timestamp,
        "step": metric.step,
    }


def run_info_json(info: RunInfo) -> JSON:
    return {
        "run_id": info.run_id,
        "run_uuid": info.run_uuid,
        "run_name": info.run_name,
        "experiment_id": info.experiment_id,
        "user_id": info.user_id,
        "status": info.status.name,
        "start_time": info.start_time,
        "end_time": info.end_time,
        "artifact_uri": info.artifact_uri,
        "lifecycle_stage": info.lifecycle_stage.value,
    }


def dataset_input_json(item: DatasetInput) -> JSON:
    ds = item.dataset
    return {
        "dataset": {
            "name": ds.name,
            "digest": ds.digest,
            "source_type": ds.source_type,
            "source": ds.source,
            "schema": ds.schema,
            "profile": ds.profile,
        },
        "tags": key_values(item.tags),
    }


def run_json(run: Run) -> JSON:
    return {
        "info": run_info_json(run.info),
        "data": {
            "metrics": [metric_json(m) for m in run.data.metrics],
            "params": key_values(run.data.params),
            "tags": key_values(run.data.tags),
        },
        "inputs": {"dataset_inputs": [dataset_input_json(d) for d in run.inputs.dataset_inputs]},
    }
