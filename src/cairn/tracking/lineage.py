"""Gather a model version's lineage from the registry and tracking reads of a client.

Computed on the client from public reads only (get run, experiment, logged model), so it
works against any MLflow-compatible server, not just cairn's. Each link may be missing (a
version registered from a plain path, a run deleted since): a missing link ends the lineage
there instead of failing the whole answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from cairn.entities import Experiment, LoggedModel, ModelVersion, Run
from cairn.entities.lineage import LineageDataset, LineageRun, ModelVersionLineage
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.store.registry.model_uri import is_models_uri, parse_models_uri
from cairn.tracking import context

T = TypeVar("T")


class TrackingReads(Protocol):
    def get_run(self, run_id: str) -> Run: ...

    def get_experiment(self, experiment_id: str) -> Experiment: ...

    def get_logged_model(self, model_id: str) -> LoggedModel: ...


def _or_none(read: Callable[[str], T], key: str | None) -> T | None:
    """``read(key)``, or None when there is no key or the store no longer has it."""
    if not key:
        return None
    try:
        return read(key)
    except (ResourceDoesNotExist, InvalidParameterValue):
        return None


def source_model_id(source: str) -> str | None:
    """The logged model id of a ``models:/<model_id>`` source (MLflow 3 registrations)."""
    if not is_models_uri(source):
        return None
    try:
        return parse_models_uri(source).model_id
    except InvalidParameterValue:
        return None


def source_run_id(source: str) -> str | None:
    """The run id of a ``runs:/<run_id>/<path>`` source (MLflow 2 registrations)."""
    if not source.lower().startswith("runs:/"):
        return None
    return source[len("runs:/") :].lstrip("/").split("/", 1)[0] or None


def version_lineage(version: ModelVersion, tracking: TrackingReads) -> ModelVersionLineage:
    """The version with its logged model, run, experiment, params, metrics and datasets.

    The run is the version's ``run_id``, else the logged model's source run (servers that do
    not copy it onto the version), else the run named by a ``runs:/`` source.
    """
    model_id = version.model_id or source_model_id(version.source)
    logged = _or_none(tracking.get_logged_model, model_id)
    run_id = version.run_id or (logged.source_run_id if logged else None)
    run = _or_none(tracking.get_run, run_id or source_run_id(version.source))
    if run is None:
        return ModelVersionLineage(version=version, model_id=model_id)
    experiment = _or_none(tracking.get_experiment, run.info.experiment_id)
    return ModelVersionLineage(
        version=version,
        model_id=model_id,
        run=_lineage_run(run, experiment),
        params=run.data.param_dict,
        metrics=run.data.metric_dict,
        datasets=tuple(
            LineageDataset(
                name=item.dataset.name,
                digest=item.dataset.digest,
                source_type=item.dataset.source_type,
                source=item.dataset.source,
                context=item.context,
            )
            for item in run.inputs.dataset_inputs
        ),
    )


def _lineage_run(run: Run, experiment: Experiment | None) -> LineageRun:
    tags = run.data.tag_dict
    info = run.info
    return LineageRun(
        run_id=info.run_id,
        run_name=info.run_name,
        status=info.status,
        start_time=info.start_time,
        end_time=info.end_time,
        user_id=info.user_id or tags.get(context.USER, ""),
        experiment_id=info.experiment_id,
        experiment_name=experiment.name if experiment else None,
        git_commit=tags.get(context.GIT_COMMIT),
        source_name=tags.get(context.SOURCE_NAME),
        source_type=tags.get(context.SOURCE_TYPE),
    )
