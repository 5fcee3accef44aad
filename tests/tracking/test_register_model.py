"""``cairn.register_model``: what each model URI form registers, on every backend."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import cairn
from cairn.entities import ModelOutput
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.tracking import fluent
from cairn.tracking.client import CairnClient, close_stores
from cairn.tracking.registry_client import MODEL_VERSIONS_TAG
from fluent_state import LEAKY_VARIABLES


@pytest.fixture
def client(
    backend_uri: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CairnClient]:
    """The fluent API (which ``register_model`` uses) on ``backend_uri``."""
    for name in LEAKY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CAIRN_ARTIFACT_ROOT", str(tmp_path / "artifacts"))
    fluent._reset_for_tests()
    cairn.set_tracking_uri(backend_uri)
    yield fluent.client()
    fluent._reset_for_tests()
    close_stores()


def _run_with_model(
    client: CairnClient, name: str = "clf", steps: tuple[int, ...] = (0,)
) -> dict[str, Any]:
    """A run that logged one model called ``name`` per step (MLflow 3 ``log_model``)."""
    run = client.create_run("0")
    run_id = run.info.run_id
    ids = []
    for step in steps:
        model = client.create_logged_model("0", name, source_run_id=run_id)
        client.log_outputs(run_id, [ModelOutput(model.model_id, step)])
        ids.append(model.model_id)
    return {"run_id": run_id, "model_ids": ids}


def test_runs_uri_registers_the_runs_logged_model(
    client: CairnClient, capsys: pytest.CaptureFixture[str]
) -> None:
    logged = _run_with_model(client)
    model_id = logged["model_ids"][0]

    mv = cairn.register_model(f"runs:/{logged['run_id']}/clf", "churn", tags={"k": 1})

    assert (mv.name, mv.version, mv.source) == ("churn", 1, f"models:/{model_id}")
    assert mv.run_id == logged["run_id"] and mv.model_id == model_id
    assert mv.tag_dict == {"k": "1"}
    links = json.loads(client.get_logged_model(model_id).tag_dict[MODEL_VERSIONS_TAG])
    assert links == [{"name": "churn", "version": 1}]
    err = capsys.readouterr().err
    assert "Successfully registered model 'churn'." in err
    assert "Created version '1' of model 'churn'." in err


def test_runs_uri_picks_the_model_logged_at_the_latest_step(client: CairnClient) -> None:
    logged = _run_with_model(client, steps=(5, 1))

    mv = cairn.register_model(f"runs:/{logged['run_id']}/clf", "churn")

    assert mv.model_id == logged["model_ids"][0]


def test_runs_uri_with_an_mlmodel_in_run_artifacts_registers_that_folder(
    client: CairnClient, tmp_path: Path
) -> None:
    folder = tmp_path / "legacy"
    folder.mkdir()
    (folder / "MLmodel").write_text("flavors: {}\n")
    run = client.create_run("0")
    client.log_artifacts(run.info.run_id, folder, "legacy")

    mv = cairn.register_model(f"runs:/{run.info.run_id}/legacy", "old")

    assert mv.source == f"{run.info.artifact_uri.rstrip('/')}/legacy"
    assert mv.run_id == run.info.run_id and mv.model_id is None


def test_models_id_uri_registers_the_logged_model_with_its_run(client: CairnClient) -> None:
    logged = _run_with_model(client)
    model_id = logged["model_ids"][0]

    mv = cairn.register_model(f"models:/{model_id}", "churn")

    assert mv.source == f"models:/{model_id}" and mv.model_id == model_id
    assert mv.run_id == logged["run_id"]


def test_models_version_uri_promotes_a_version_with_its_lineage(client: CairnClient) -> None:
    logged = _run_with_model(client)
    cairn.register_model(f"models:/{logged['model_ids'][0]}", "dev-churn")

    mv = cairn.register_model("models:/dev-churn/1", "prod-churn")

    assert mv.source == "models:/dev-churn/1"
    assert (mv.run_id, mv.model_id) == (logged["run_id"], logged["model_ids"][0])


def test_a_path_is_registered_as_given_and_the_model_is_reused(
    client: CairnClient, capsys: pytest.CaptureFixture[str]
) -> None:
    first = cairn.register_model("/models/churn", "churn")
    second = cairn.register_model("/models/churn-2", "churn", await_registration_for=0)

    assert (first.version, second.version) == (1, 2)
    assert second.source == "/models/churn-2" and second.run_id is None
    assert "Registered model 'churn' already exists" in capsys.readouterr().err


def test_a_run_without_that_model_is_a_clear_error(client: CairnClient) -> None:
    run = client.create_run("0")

    with pytest.raises(ResourceDoesNotExist, match="Unable to find a logged model"):
        cairn.register_model(f"runs:/{run.info.run_id}/missing", "churn")
    with pytest.raises(InvalidParameterValue):
        cairn.register_model(f"runs:/{run.info.run_id}/../x", "churn")
    with pytest.raises(ResourceDoesNotExist):
        cairn.register_model("models:/m-00000000000000000000000000000000", "churn")
