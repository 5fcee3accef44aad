"""``log_model``: a saved model becomes a logged model (MLflow 3.x) of the tracking store.

MLflow 3 gives every logged model an identity of its own (``m-<hex>``) instead of a folder in
a run's artifacts, and its clients find models that way (``models:/m-...``, and
``runs:/<run>/<name>`` through a search by name). cairn follows the same steps in the same
order (reference 1.10), so either client reads what the other logged:

1. create the logged model (PENDING) in the run's experiment, with the run's params;
2. record it as an output of the run at ``step`` and link the run's metrics at that step;
3. save it into a temporary directory and stamp ``MLmodel`` with the run id, model id and
   artifact location;
4. upload the directory to the model's artifact location;
5. finalize it READY, or UPLOAD_FAILED when any step failed (the error is re-raised);
6. with ``registered_model_name``, register ``models:/<model_id>`` as a new version of that
   registered model (created if missing), as ``cairn.register_model`` does.

As in MLflow 3, no run is started when none is active: the model is then logged to the
active experiment without a source run.

Each flavor's ``log_model`` is one line over :func:`log_model`, e.g. for scikit-learn::

    def log_model(sk_model, name=None, **kwargs):
        return logged.log_model(save_model, sk_model, name, flavor="sklearn", **kwargs)
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cairn.config import settings_from_env
from cairn.entities import LoggedModel, LoggedModelStatus, ModelOutput, Run
from cairn.models.mlmodel import Model, read_model, write_model
from cairn.tracking import context, fluent
from cairn.tracking.client import CairnClient
from cairn.tracking.registration import register_with
from cairn.tracking.registry_client import DEFAULT_AWAIT_SECONDS

logger = logging.getLogger(__name__)

#: ``save_fn(model, path, **save_kwargs)``: a flavor's ``save_model`` (model first, path second).
SaveFn = Callable[..., Model]


@dataclass(frozen=True)
class ModelInfo:
    """What ``log_model`` returns: where the model lives and what its ``MLmodel`` says.

    ``model_uri`` (``models:/<model_id>``) loads it back with ``cairn.pyfunc.load_model`` or
    MLflow's; ``artifact_path`` is the full artifact location, as in MLflow 3.
    ``registered_model_version`` is set when ``log_model`` also registered the model.
    """

    model_id: str
    model_uri: str
    name: str
    experiment_id: str
    run_id: str | None
    artifact_path: str
    flavors: Mapping[str, Mapping[str, Any]]
    signature: Mapping[str, Any] | None
    saved_input_example_info: Mapping[str, Any] | None
    utc_time_created: str
    model_uuid: str
    mlflow_version: str | None
    metadata: Mapping[str, Any] | None
    model_size_bytes: int | None
    status: LoggedModelStatus
    params: Mapping[str, str] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)
    registered_model_version: int | None = None


def log_model(
    save_fn: SaveFn,
    model: Any,
    name: str | None = None,
    *,
    flavor: str | None = None,
    run_id: str | None = None,
    params: Mapping[str, Any] | None = None,
    tags: Mapping[str, Any] | None = None,
    model_type: str | None = None,
    step: int = 0,
    registered_model_name: str | None = None,
    await_registration_for: int | None = DEFAULT_AWAIT_SECONDS,
    client: CairnClient | None = None,
    **save_kwargs: Any,
) -> ModelInfo:
    """Save ``model`` with ``save_fn`` and log it; ``save_kwargs`` (signature, input_example,
    pip_requirements...) go to ``save_fn``. ``run_id`` defaults to the active run.
    ``registered_model_name`` also registers it (after it is READY, so a failed upload never
    becomes a version)."""
    client = client or fluent.client()
    active = fluent.active_run()
    run_id = run_id or (active.info.run_id if active else None)
    run = client.get_run(run_id) if run_id else None
    created = _create(client, name, run, params, tags, model_type)
    try:
        if run is not None:
            client.log_outputs(run.info.run_id, [ModelOutput(created.model_id, step)])
            _link_step_metrics(client, run, created.model_id, step)
        saved = _save_and_upload(client, created, save_fn, model, save_kwargs)
    except BaseException:  # KeyboardInterrupt too: never leave the model PENDING for good
        _mark_failed(client, created.model_id, flavor)
        raise
    final = client.finalize_logged_model(created.model_id, LoggedModelStatus.LOGGED_MODEL_READY)
    info = _model_info(final, saved)
    if registered_model_name is None:
        return info
    version = register_with(client, info.model_uri, registered_model_name, await_registration_for)
    return replace(info, registered_model_version=version.version)


def _create(
    client: CairnClient,
    name: str | None,
    run: Run | None,
    params: Mapping[str, Any] | None,
    tags: Mapping[str, Any] | None,
    model_type: str | None,
) -> LoggedModel:
    """A PENDING model in the run's experiment (or the active one), tagged with where it was
    logged from and carrying the run's params, as MLflow's client does."""
    run_id = run.info.run_id if run else None
    experiment_id = run.info.experiment_id if run else fluent._active_experiment_id()
    all_params = {**(params or {}), **(run.data.param_dict if run else {})}
    all_tags = {**context.run_context_tags(settings_from_env()), **(tags or {})}
    return client.create_logged_model(experiment_id, name, run_id, all_params, all_tags, model_type)


def _link_step_metrics(client: CairnClient, run: Run, model_id: str, step: int) -> None:
    """Attach the run's metrics logged at ``step`` to the model too (MLflow 3.x does, so the
    model's page shows the scores it was logged with)."""
    run_id = run.info.run_id
    found = client.store.get_metrics_at_step(run_id, list(run.data.metric_dict), step)
    points = [replace(m, run_id=run_id, model_id=model_id) for m in found]
    if points:
        client.log_batch(run_id, metrics=points)


def _save_and_upload(
    client: CairnClient,
    created: LoggedModel,
    save_fn: SaveFn,
    model: Any,
    save_kwargs: Mapping[str, Any],
) -> Model:
    with tempfile.TemporaryDirectory(prefix="cairn-log-model-") as tmp:
        local = Path(tmp) / "model"
        save_fn(model, local, **save_kwargs)
        # inferring requirements imports the model, which may leave bytecode caches behind
        for cache in list(local.rglob("__pycache__")):
            shutil.rmtree(cache, ignore_errors=True)
        saved = stamp_model(
            local, created.model_id, created.source_run_id, created.artifact_location
        )
        client.artifact_repository(created.artifact_location).log_artifacts(local)
    return saved


def stamp_model(model_dir: Path, model_id: str, run_id: str | None, artifact_path: str) -> Model:
    """Record in ``MLmodel`` which logged model (and run) the files belong to; MLflow 3 uses
    the model id as ``model_uuid`` and the full artifact location as ``artifact_path``."""
    stamped = replace(
        read_model(model_dir),
        model_id=model_id,
        model_uuid=model_id,
        run_id=run_id,
        artifact_path=artifact_path,
    )
    return write_model(stamped, model_dir)


def _mark_failed(client: CairnClient, model_id: str, flavor: str | None) -> None:
    """Best effort: the original error is what the caller must see."""
    try:
        client.finalize_logged_model(model_id, LoggedModelStatus.LOGGED_MODEL_UPLOAD_FAILED)
    except Exception as exc:
        what = f"{flavor} model" if flavor else "model"
        logger.warning("Could not mark the %s %s as failed: %s", what, model_id, exc)


def _model_info(model: LoggedModel, saved: Model) -> ModelInfo:
    return ModelInfo(
        model_id=model.model_id,
        model_uri=f"models:/{model.model_id}",
        name=model.name,
        experiment_id=model.experiment_id,
        run_id=model.source_run_id,
        artifact_path=model.artifact_location,
        flavors=saved.flavors,
        signature=saved.signature,
        saved_input_example_info=saved.saved_input_example_info,
        utc_time_created=saved.utc_time_created,
        model_uuid=saved.model_uuid,
        mlflow_version=saved.mlflow_version,
        metadata=saved.metadata,
        model_size_bytes=saved.model_size_bytes,
        status=model.status,
        params=model.param_dict,
        tags=model.tag_dict,
    )
