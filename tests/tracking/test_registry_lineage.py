"""Lineage of a registered version and the registry's audit history, through the client."""

from __future__ import annotations

from pathlib import Path

import pytest

from cairn.config import Settings
from cairn.entities import Dataset, ModelVersionStage, RegistryEventType, RunStatus
from cairn.entities.lineage import LineageDataset
from cairn.store.registry.sql.store import SqlRegistryStore
from cairn.tracking import context
from cairn.tracking.client import CairnClient, close_stores

E = RegistryEventType


class _Clock:
    """Milliseconds the test sets; the registry stamps every event with the current value."""

    def __init__(self) -> None:
        self.now = 1_000

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def clock() -> _Clock:
    return _Clock()


@pytest.fixture
def client(backend_uri: str, tmp_path: Path, clock: _Clock) -> CairnClient:
    settings = Settings(
        tracking_uri=backend_uri, artifact_root=str(tmp_path / "artifacts"), username="bob"
    )
    client = CairnClient(backend_uri, settings=settings)
    # the real SQL registry on the tracking engine, with the test's clock
    client._registry_store = SqlRegistryStore(client.store.engine, clock, owns_engine=False)  # type: ignore[attr-defined]
    return client


@pytest.fixture(autouse=True)
def _close() -> object:
    yield
    close_stores()


def _trained_run(client: CairnClient) -> str:
    exp_id = client.create_experiment("fraud")
    tags = {
        context.GIT_COMMIT: "abc123",
        context.SOURCE_NAME: "train.py",
        context.SOURCE_TYPE: "LOCAL",
    }
    run = client.create_run(exp_id, run_name="nightly", tags=tags)
    run_id = run.info.run_id
    client.log_param(run_id, "lr", 0.1)
    client.log_metric(run_id, "auc", 0.8, step=1)
    client.log_metric(run_id, "auc", 0.9, step=2)
    dataset = Dataset("transactions", "d1g3st", "local", '{"uri": "/data/tx.parquet"}')
    client.log_input(run_id, dataset, context="training")
    client.set_terminated(run_id)
    return run_id


def test_lineage_gathers_run_experiment_code_and_data(client: CairnClient) -> None:
    run_id = _trained_run(client)
    run = client.get_run(run_id)
    model = client.create_logged_model(run.info.experiment_id, "clf", source_run_id=run_id)
    client.create_registered_model("fraud")
    client.create_model_version("fraud", f"models:/{model.model_id}", model_id=model.model_id)

    lineage = client.get_model_version_lineage("fraud", 1)

    assert lineage.version.version == 1 and lineage.model_id == model.model_id
    assert lineage.run is not None
    assert (lineage.run.run_id, lineage.run.run_name) == (run_id, "nightly")
    assert lineage.run.status is RunStatus.FINISHED and lineage.run.end_time is not None
    assert (lineage.run.experiment_id, lineage.run.experiment_name) == (
        run.info.experiment_id,
        "fraud",
    )
    assert (lineage.run.git_commit, lineage.run.source_name, lineage.run.source_type) == (
        "abc123",
        "train.py",
        "LOCAL",
    )
    assert lineage.params == {"lr": "0.1"} and lineage.metrics == {"auc": 0.9}
    assert lineage.datasets == (
        LineageDataset(
            "transactions", "d1g3st", "local", '{"uri": "/data/tx.parquet"}', "training"
        ),
    )


def test_lineage_of_a_version_without_a_run_is_only_the_version(client: CairnClient) -> None:
    client.create_registered_model("m")
    client.create_model_version("m", "/models/m")

    lineage = client.get_model_version_lineage("m", 1)

    assert lineage.version.source == "/models/m"
    assert lineage.run is None and lineage.model_id is None
    assert lineage.params == {} and lineage.metrics == {} and lineage.datasets == ()


def test_lineage_finds_the_run_through_the_logged_model_or_a_runs_source(
    client: CairnClient,
) -> None:
    run_id = _trained_run(client)
    model = client.create_logged_model("0", "clf", source_run_id=run_id)
    client.create_registered_model("m")
    # as a server that keeps neither run_id nor model_id on the version would store them
    client.registry_store.create_model_version("m", f"models:/{model.model_id}")
    client.registry_store.create_model_version("m", f"runs:/{run_id}/clf")

    by_model = client.get_model_version_lineage("m", 1)
    by_runs_source = client.get_model_version_lineage("m", 2)

    assert by_model.model_id == model.model_id and by_model.run is not None
    assert by_model.run.run_id == run_id
    assert by_runs_source.run is not None and by_runs_source.run.run_id == run_id


def test_history_records_who_did_what_in_order(client: CairnClient, clock: _Clock) -> None:
    client.create_registered_model("m")
    client.create_model_version("m", "/m")
    client.create_model_version("m", "/m")
    client.set_registered_model_alias("m", "champion", 1)
    client.set_registered_model_alias("m", "champion", 2)
    client.transition_model_version_stage("m", 2, "Production")

    events = client.get_registry_history("m")
    only_v2 = client.get_registry_history("m", version=2)

    assert [e.event_type for e in events] == [
        E.MODEL_CREATED,
        E.VERSION_CREATED,
        E.VERSION_CREATED,
        E.ALIAS_SET,
        E.ALIAS_SET,
        E.STAGE_TRANSITIONED,
    ]
    assert {e.user_id for e in events} == {"bob"}
    assert events[4].details["previous_version"] == 1 and events[4].details["version"] == 2
    assert [e.event_type for e in only_v2] == [
        E.VERSION_CREATED,
        E.ALIAS_SET,
        E.STAGE_TRANSITIONED,
    ]


def test_which_version_was_in_a_stage_at_a_given_time(client: CairnClient, clock: _Clock) -> None:
    client.create_registered_model("m")
    for _ in range(3):
        client.create_model_version("m", "/m")
    clock.now = 2_000
    client.transition_model_version_stage("m", 1, "Production")
    clock.now = 3_000
    client.transition_model_version_stage("m", 2, "production", archive_existing_versions=True)
    clock.now = 4_000
    client.delete_model_version("m", 2)

    def production_at(ms: int) -> int | None:
        return client.get_version_in_stage_at("m", ModelVersionStage.PRODUCTION, ms)

    assert production_at(1_500) is None
    assert production_at(2_500) == 1
    assert production_at(3_000) == 2
    assert production_at(5_000) is None
    assert client.get_version_in_stage_at("m", "archived", 3_500) == 1


def test_a_recreated_model_does_not_inherit_the_old_stages(
    client: CairnClient, clock: _Clock
) -> None:
    client.create_registered_model("m")
    client.create_model_version("m", "/m")
    client.transition_model_version_stage("m", 1, "Production")
    clock.now = 2_000
    client.delete_registered_model("m")
    clock.now = 3_000
    client.create_registered_model("m")

    assert client.get_version_in_stage_at("m", "Production", 1_500) == 1
    assert client.get_version_in_stage_at("m", "Production", 3_500) is None
