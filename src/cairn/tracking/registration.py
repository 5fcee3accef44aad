"""``cairn.register_model``: a model URI becomes a new version of a registered model.

Follows MLflow 3's ``mlflow.register_model`` step by step, so the version looks the same
whichever client made it:

1. create the registered model, tolerating one that exists;
2. work out the version's source, run and logged model from the URI:

   - ``runs:/<run>/<path>``: the run's artifact location when ``<path>`` holds an ``MLmodel``
     (a model saved into the run's artifacts, MLflow 2 style), else the run's logged model
     called ``<path>`` (MLflow 3's ``log_model``), as ``models:/<model_id>``;
   - ``models:/<model_id>``: that logged model;
   - ``models:/<name>/<version>``: that version (keeping its logged model);
   - anything else (a path, an artifact URI) is the source as given;

3. create the version and wait until it is READY;
4. add the version to the logged model's ``mlflow.modelVersions`` tag.

>>> import cairn  # doctest: +SKIP
>>> version = cairn.register_model("runs:/<run_id>/model", "churn")  # doctest: +SKIP
>>> version.version  # doctest: +SKIP
1
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from cairn.entities import ModelVersion
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.store.artifacts import validate_relative_path
from cairn.store.registry.model_uri import is_models_uri, parse_models_uri
from cairn.tracking import fluent
from cairn.tracking.client import CairnClient
from cairn.tracking.logged_models import run_models_named
from cairn.tracking.registry_client import DEFAULT_AWAIT_SECONDS

MLMODEL_FILE = "MLmodel"


def register_model(
    model_uri: str,
    name: str,
    await_registration_for: int | None = DEFAULT_AWAIT_SECONDS,
    *,
    tags: Mapping[str, Any] | None = None,
) -> ModelVersion:
    """Register the model at ``model_uri`` as a new version of ``name`` (created if needed),
    on the current registry URI; returns the new version."""
    return register_with(fluent.client(), str(model_uri), name, await_registration_for, tags)


def register_with(
    client: CairnClient,
    model_uri: str,
    name: str,
    await_registration_for: int | None = DEFAULT_AWAIT_SECONDS,
    tags: Mapping[str, Any] | None = None,
) -> ModelVersion:
    """:func:`register_model` with an explicit client (``log_model`` passes its own)."""
    if client.ensure_registered_model(name):
        _say(f"Successfully registered model '{name}'.")
    else:
        _say(f"Registered model '{name}' already exists. Creating a new version of this model...")
    source, run_id, model_id = version_source(client, model_uri)
    version = client.create_model_version(
        name,
        source,
        run_id=run_id,
        tags=tags,
        await_creation_for=await_registration_for,
        model_id=model_id,
    )
    _say(f"Created version '{version.version}' of model '{version.name}'.")
    if model_id:
        client.link_version_to_logged_model(model_id, version)
    return version


def _say(message: str) -> None:
    """Progress on stderr, as MLflow prints it (a notebook shows it, stdout stays clean)."""
    print(message, file=sys.stderr)


def version_source(client: CairnClient, model_uri: str) -> tuple[str, str | None, str | None]:
    """(source, run_id, model_id) of a new version registered from ``model_uri``."""
    if urlsplit(model_uri).scheme.lower() == "runs":
        return _runs_source(client, model_uri)
    if is_models_uri(model_uri):
        ref = parse_models_uri(model_uri)
        if ref.model_id is not None:
            return model_uri, None, ref.model_id
        if ref.name is not None and ref.version is not None:
            return model_uri, None, client.get_model_version(ref.name, ref.version).model_id
    return model_uri, None, None


def _runs_source(client: CairnClient, model_uri: str) -> tuple[str, str, str | None]:
    parsed = urlsplit(model_uri)
    run_id, _, raw_path = parsed.path.lstrip("/").partition("/")
    if parsed.netloc or not run_id:
        raise InvalidParameterValue(
            f"Invalid runs URI {model_uri[:200]!r}: expected runs:/<run_id>/<artifact_path>."
        )
    path = validate_relative_path(raw_path)
    run = client.get_run(run_id)
    root = run.info.artifact_uri.rstrip("/")
    listed = client.artifact_repository(run.info.artifact_uri).list_artifacts(path or None)
    if any(not f.is_dir and f.path.rsplit("/", 1)[-1] == MLMODEL_FILE for f in listed):
        return (f"{root}/{path}" if path else root), run_id, None
    models = run_models_named(client, run, path)
    if not models:
        raise ResourceDoesNotExist(
            f"Unable to find a logged model with artifact_path {path!r} under run {run_id}: "
            "the run has neither an MLmodel there nor a logged model of that name."
        )
    return f"models:/{models[0].model_id}", run_id, models[0].model_id
