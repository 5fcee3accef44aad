"""The Model Registry through the real ``mlflow`` client: models, versions, stages, aliases,
tags, search, rename, delete, and loading ``models:/`` URIs served by cairn."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mlflow
import mlflow.pyfunc
import mlflow.sklearn
import numpy as np
import pytest
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from sklearn.linear_model import LinearRegression

# Stages are deprecated in MLflow's client (still served, still used): its warnings are expected.
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*(transition_model_version_stage|get_latest_versions).*:FutureWarning"
)


def _error_code(exc: pytest.ExceptionInfo[MlflowException]) -> str:
    return str(exc.value.error_code)


def _fitted(scale: float) -> tuple[LinearRegression, np.ndarray]:
    x = np.arange(12, dtype=np.float64).reshape(6, 2)
    return LinearRegression().fit(x, scale * x[:, 0] + 1.0), x


@pytest.mark.backends
def test_registered_model_lifecycle(
    client: MlflowClient, unique_name: Callable[[str], str]
) -> None:
    name, new_name = unique_name("reg"), unique_name("renamed")
    created = client.create_registered_model(name, tags={"team": "a"}, description="first")
    client.update_registered_model(name, description="second")
    client.set_registered_model_tag(name, "tier", "gold")
    client.delete_registered_model_tag(name, "team")
    client.delete_registered_model_tag(name, "never-set")  # a no-op, as in MLflow
    client.rename_registered_model(name, new_name)
    got = client.get_registered_model(new_name)
    found = client.search_registered_models(filter_string=f"name = '{new_name}'")

    assert created.name == name and created.description == "first"
    assert got.description == "second"
    assert got.tags == {"tier": "gold"}
    assert [m.name for m in found] == [new_name]
    with pytest.raises(MlflowException) as missing:
        client.get_registered_model(name)
    assert _error_code(missing) == "RESOURCE_DOES_NOT_EXIST"
    client.delete_registered_model(new_name)
    assert client.search_registered_models(filter_string=f"name = '{new_name}'") == []


def test_duplicate_names_and_bad_input_get_mlflows_errors(
    client: MlflowClient, unique_name: Callable[[str], str]
) -> None:
    name = unique_name("dup")
    client.create_registered_model(name)
    client.create_model_version(name, "s3://bucket/models/a")

    with pytest.raises(MlflowException) as duplicate:
        client.create_registered_model(name)
    with pytest.raises(MlflowException) as reserved:
        client.set_registered_model_alias(name, "latest", "1")
    with pytest.raises(MlflowException) as unknown_alias:
        client.get_model_version_by_alias(name, "nobody")
    with pytest.raises(MlflowException) as bad_stage:
        client.transition_model_version_stage(name, "1", "Shipped")
    with pytest.raises(MlflowException) as unknown_version:
        client.get_model_version(name, "7")

    assert _error_code(duplicate) == "RESOURCE_ALREADY_EXISTS"
    assert _error_code(reserved) == "INVALID_PARAMETER_VALUE"
    assert _error_code(unknown_alias) == "INVALID_PARAMETER_VALUE"
    assert _error_code(bad_stage) == "INVALID_PARAMETER_VALUE"
    assert _error_code(unknown_version) == "RESOURCE_DOES_NOT_EXIST"


@pytest.mark.backends
def test_versions_stages_aliases_and_models_uris(
    fluent: str, client: MlflowClient, unique_name: Callable[[str], str]
) -> None:
    name = unique_name("clf")
    first, x = _fitted(2.0)
    second, _ = _fitted(3.0)
    with mlflow.start_run() as run:
        mlflow.sklearn.log_model(first, name="model", pip_requirements=["scikit-learn"])
    v1 = mlflow.register_model(f"runs:/{run.info.run_id}/model", name)
    with mlflow.start_run():
        info = mlflow.sklearn.log_model(
            second, name="model", pip_requirements=["scikit-learn"], registered_model_name=name
        )

    client.transition_model_version_stage(name, v1.version, "production")
    client.transition_model_version_stage(name, "2", "Production", archive_existing_versions=True)
    client.set_registered_model_alias(name, "champion", "1")
    client.set_model_version_tag(name, "2", "validated", "yes")
    client.update_model_version(name, "2", description="the better one")

    assert (v1.version, str(info.registered_model_version)) == ("1", "2")
    assert v1.run_id == run.info.run_id
    assert client.get_model_version(name, "1").current_stage == "Archived"
    latest = client.get_latest_versions(name, stages=["Production"])
    assert [(v.version, v.tags, v.description) for v in latest] == [
        ("2", {"validated": "yes"}, "the better one")
    ]
    assert client.get_model_version_by_alias(name, "champion").version == "1"
    assert client.get_registered_model(name).aliases == {"champion": "1"}
    by_alias = mlflow.pyfunc.load_model(f"models:/{name}@champion")
    by_stage = mlflow.pyfunc.load_model(f"models:/{name}/Production")
    by_number = mlflow.pyfunc.load_model(f"models:/{name}/1")
    np.testing.assert_allclose(by_alias.predict(x), first.predict(x))
    np.testing.assert_allclose(by_stage.predict(x), second.predict(x))
    np.testing.assert_allclose(by_number.predict(x), first.predict(x))
    assert client.get_model_version_download_uri(name, "2").startswith("mlflow-artifacts:/")


@pytest.mark.backends
def test_search_tags_and_soft_delete(
    client: MlflowClient, unique_name: Callable[[str], str]
) -> None:
    name = unique_name("search")
    client.create_registered_model(name)
    for i in range(3):
        client.create_model_version(name, f"s3://bucket/{name}/{i}", tags={"i": str(i)})
    client.set_registered_model_alias(name, "old", "1")
    client.delete_model_version_tag(name, "3", "i")
    client.delete_model_version(name, "1")
    after = client.create_model_version(name, f"s3://bucket/{name}/again")

    versions = client.search_model_versions(f"name = '{name}'", order_by=["version_number ASC"])
    tagged = client.search_model_versions(f"name = '{name}' AND tag.i = '1'")

    assert [v.version for v in versions] == ["2", "3", "4"]
    assert after.version == "4"  # numbers of deleted versions are never reused
    assert [v.tags for v in versions] == [{"i": "1"}, {}, {}]
    assert [v.version for v in tagged] == ["2"]
    assert client.get_registered_model(name).aliases == {}  # removed with its version
    with pytest.raises(MlflowException) as deleted:
        client.get_model_version(name, "1")
    assert _error_code(deleted) == "RESOURCE_DOES_NOT_EXIST"


def test_sources_the_server_cannot_vouch_for_are_refused(
    client: MlflowClient,
    experiment_id: str,
    rest: Callable[..., Any],
    unique_name: Callable[[str], str],
) -> None:
    name = unique_name("src")
    client.create_registered_model(name)
    run = client.create_run(experiment_id).info
    other = client.create_run(experiment_id).info

    def create(source: str, **extra: str) -> Any:
        return rest(
            "POST", "/model-versions/create", json={"name": name, "source": source, **extra}
        )

    refused = {
        "local path outside the run": create("/etc/passwd", run_id=run.run_id),
        "local path without a run": create(f"{run.artifact_uri}/model"),
        "runs URI of another run": create(f"runs:/{other.run_id}/model", run_id=run.run_id),
        "proxied path of another run": create(f"{other.artifact_uri}/model", run_id=run.run_id),
        "encoded traversal": create("s3://bucket/models/%2e%2e/secrets"),
        "traversal out of the run": create(f"{run.artifact_uri}/../../x", run_id=run.run_id),
    }
    accepted = create(f"{run.artifact_uri}/model", run_id=run.run_id)

    for case, response in refused.items():
        assert response.status_code == 400, case
        assert response.json()["error_code"] == "INVALID_PARAMETER_VALUE", case
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["model_version"]["version"] == "1"


def test_audit_history_names_the_client_user(
    server: Any,
    client: MlflowClient,
    unique_name: Callable[[str], str],
    monkeypatch: pytest.MonkeyPatch,
    rest: Callable[..., Any],
) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", "alice")
    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", "unused")
    name = unique_name("audit")
    client.create_registered_model(name)
    client.create_model_version(name, "s3://bucket/a")
    client.transition_model_version_stage(name, "1", "Staging")

    events = rest("GET", f"{server.url}/api/2.0/cairn/registry/events", params={"name": name})

    assert [(e["event_type"], e.get("user_id")) for e in events.json()["events"]] == [
        ("model_created", "alice"),
        ("version_created", "alice"),
        ("stage_transitioned", "alice"),
    ]
