"""JSON dicts from an MLflow-compatible server -> entities (the REST store's side).

Tolerant like MLflow's client: int64 may arrive as numbers or digit strings, floats as
``"NaN"``/``"Infinity"`` strings, and any unset field is simply absent.
"""

from __future__ import annotations

from typing import Any

from cairn.entities import (
    Dataset,
    DatasetInput,
    DatasetSummary,
    Experiment,
    ExperimentTag,
    FileInfo,
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

JsonDict = dict[str, Any]


def decode_float(value: Any) -> float:
    return float(value)  # float() reads "NaN", "Infinity" and "-Infinity" too


def _int(value: Any, default: int = 0) -> int:
    return default if value is None else int(value)


def decode_experiment(data: JsonDict) -> Experiment:
    return Experiment(
        experiment_id=str(data["experiment_id"]),
        name=data.get("name", ""),
        artifact_location=data.get("artifact_location", ""),
        lifecycle_stage=LifecycleStage(data.get("lifecycle_stage", "active")),
        creation_time=_int(data.get("creation_time")),
        last_update_time=_int(data.get("last_update_time")),
        tags=tuple(ExperimentTag(t["key"], t.get("value", "")) for t in data.get("tags", ())),
    )


def decode_metric(data: JsonDict) -> Metric:
    return Metric(
        key=data["key"],
        value=decode_float(data.get("value", 0.0)),
        timestamp=_int(data.get("timestamp")),
        step=_int(data.get("step")),
        run_id=data.get("run_id"),
        model_id=data.get("model_id"),
        dataset_name=data.get("dataset_name"),
        dataset_digest=data.get("dataset_digest"),
    )


def decode_run_info(data: JsonDict) -> RunInfo:
    end = data.get("end_time")
    return RunInfo(
        run_id=data.get("run_id") or data["run_uuid"],
        experiment_id=str(data.get("experiment_id", "")),
        run_name=data.get("run_name", ""),
        user_id=data.get("user_id", ""),
        status=RunStatus.parse(data.get("status", "RUNNING")),
        start_time=_int(data.get("start_time")),
        end_time=None if end is None else int(end),
        artifact_uri=data.get("artifact_uri", ""),
        lifecycle_stage=LifecycleStage(data.get("lifecycle_stage", "active")),
    )


def decode_dataset_input(data: JsonDict) -> DatasetInput:
    ds = data["dataset"]
    dataset = Dataset(
        name=ds["name"],
        digest=ds["digest"],
        source_type=ds.get("source_type", ""),
        source=ds.get("source", ""),
        schema=ds.get("schema"),
        profile=ds.get("profile"),
    )
    return DatasetInput(
        dataset, tuple(InputTag(t["key"], t["value"]) for t in data.get("tags", ()))
    )


def decode_dataset_summary(data: JsonDict) -> DatasetSummary:
    return DatasetSummary(
        experiment_id=str(data.get("experiment_id", "")),
        name=data["name"],
        digest=data.get("digest", ""),
        context=data.get("context"),
    )


def decode_run(data: JsonDict) -> Run:
    run_data = data.get("data", {})
    inputs = data.get("inputs", {})
    outputs = data.get("outputs", {})
    return Run(
        info=decode_run_info(data["info"]),
        data=RunData(
            metrics=tuple(decode_metric(m) for m in run_data.get("metrics", ())),
            params=tuple(Param(p["key"], p.get("value", "")) for p in run_data.get("params", ())),
            tags=tuple(RunTag(t["key"], t.get("value", "")) for t in run_data.get("tags", ())),
        ),
        inputs=RunInputs(
            dataset_inputs=tuple(decode_dataset_input(d) for d in inputs.get("dataset_inputs", ())),
            model_inputs=tuple(ModelInput(m["model_id"]) for m in inputs.get("model_inputs", ())),
        ),
        outputs=RunOutputs(
            model_outputs=tuple(
                ModelOutput(m["model_id"], _int(m.get("step")))
                for m in outputs.get("model_outputs", ())
            )
        ),
    )


def decode_file_info(data: JsonDict) -> FileInfo:
    size = data.get("file_size")
    return FileInfo(
        data["path"], bool(data.get("is_dir", False)), None if size is None else int(size)
    )


def decode_logged_model(data: JsonDict) -> LoggedModel:
    info = data["info"]
    model_data = data.get("data", {})
    return LoggedModel(
        model_id=info["model_id"],
        experiment_id=str(info.get("experiment_id", "")),
        name=info.get("name", ""),
        artifact_location=info.get("artifact_uri", ""),
        creation_timestamp=_int(info.get("creation_timestamp_ms")),
        last_updated_timestamp=_int(info.get("last_updated_timestamp_ms")),
        status=LoggedModelStatus.parse(info.get("status", 0)),
        model_type=info.get("model_type"),
        source_run_id=info.get("source_run_id"),
        status_message=info.get("status_message"),
        tags=tuple(LoggedModelTag(t["key"], t.get("value", "")) for t in info.get("tags", ())),
        params=tuple(
            LoggedModelParam(p["key"], p.get("value", "")) for p in model_data.get("params", ())
        ),
        metrics=tuple(decode_metric(m) for m in model_data.get("metrics", ())),
    )
