"""Entities -> JSON-ready dicts, the way MLflow's server writes them.

Rules (reference section 0.3): snake_case names, int64 as numbers, enums as names, unset fields
and empty lists omitted, NaN as the string ``"NaN"`` and +-inf clamped to +-max double (JSON has
neither).
"""

from __future__ import annotations

import math
import sys
from typing import Any

from cairn.entities import (
    DatasetInput,
    Experiment,
    FileInfo,
    LoggedModel,
    Metric,
    Run,
    RunInfo,
)

JsonDict = dict[str, Any]


def encode_float(value: float) -> float | str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return sys.float_info.max if value > 0 else -sys.float_info.max
    return value


def _key_values(items: Any) -> list[JsonDict]:
    return [{"key": item.key, "value": item.value} for item in items]


def _compact(data: JsonDict) -> JsonDict:
    """Drop unset (None) fields and empty lists/objects, as proto2 JSON does."""
    return {k: v for k, v in data.items() if v is not None and v != [] and v != {}}


def encode_experiment(exp: Experiment) -> JsonDict:
    return _compact(
        {
            "experiment_id": exp.experiment_id,
            "name": exp.name,
            "artifact_location": exp.artifact_location,
            "lifecycle_stage": exp.lifecycle_stage.value,
            "last_update_time": exp.last_update_time,
            "creation_time": exp.creation_time,
            "tags": _key_values(exp.tags),
        }
    )


def encode_metric(metric: Metric, *, with_run_id: bool = False) -> JsonDict:
    data: JsonDict = {
        "key": metric.key,
        "value": encode_float(metric.value),
        "timestamp": metric.timestamp,
        "step": metric.step,
        "dataset_name": metric.dataset_name,
        "dataset_digest": metric.dataset_digest,
        "model_id": metric.model_id,
    }
    if with_run_id:
        data["run_id"] = metric.run_id
    return _compact(data)


def encode_run_info(info: RunInfo) -> JsonDict:
    return _compact(
        {
            "run_uuid": info.run_id,
            "experiment_id": info.experiment_id,
            "run_name": info.run_name,
            "user_id": info.user_id,
            "status": info.status.name,
            "start_time": info.start_time,
            "end_time": info.end_time,
            "artifact_uri": info.artifact_uri,
            "lifecycle_stage": info.lifecycle_stage.value,
            "run_id": info.run_id,
        }
    )


def encode_dataset_input(item: DatasetInput) -> JsonDict:
    ds = item.dataset
    dataset = _compact(
        {
            "name": ds.name,
            "digest": ds.digest,
            "source_type": ds.source_type,
            "source": ds.source,
            "schema": ds.schema,
            "profile": ds.profile,
        }
    )
    return _compact({"tags": _key_values(item.tags), "dataset": dataset})


def encode_run(run: Run) -> JsonDict:
    data = _compact(
        {
            "metrics": [encode_metric(m) for m in run.data.metrics],
            "params": _key_values(run.data.params),
            "tags": _key_values(run.data.tags),
        }
    )
    inputs = _compact(
        {
            "dataset_inputs": [encode_dataset_input(d) for d in run.inputs.dataset_inputs],
            "model_inputs": [{"model_id": m.model_id} for m in run.inputs.model_inputs],
        }
    )
    outputs = _compact(
        {
            "model_outputs": [
                {"model_id": m.model_id, "step": m.step} for m in run.outputs.model_outputs
            ]
        }
    )
    return {"info": encode_run_info(run.info), "data": data, "inputs": inputs, "outputs": outputs}


def encode_file_info(info: FileInfo) -> JsonDict:
    return _compact({"path": info.path, "is_dir": info.is_dir, "file_size": info.file_size})


def encode_logged_model(model: LoggedModel) -> JsonDict:
    info = _compact(
        {
            "model_id": model.model_id,
            "experiment_id": model.experiment_id,
            "name": model.name,
            "creation_timestamp_ms": model.creation_timestamp,
            "last_updated_timestamp_ms": model.last_updated_timestamp,
            "artifact_uri": model.artifact_location,
            "status": model.status.name,
            "model_type": model.model_type,
            "source_run_id": model.source_run_id,
            "status_message": model.status_message,
            "tags": _key_values(model.tags),
        }
    )
    data = _compact(
        {
            "params": _key_values(model.params),
            "metrics": [encode_metric(m, with_run_id=True) for m in model.metrics],
        }
    )
    return {"info": info, "data": data}
