"""Run lifecycle through ``mlflow.start_run`` and ``MlflowClient``."""

from __future__ import annotations

import time

import mlflow
import pytest
from mlflow import MlflowClient
from mlflow.entities import RunStatus


@pytest.mark.backends
def test_start_run_context_finishes_with_system_tags(fluent: str, client: MlflowClient) -> None:
    before = int(time.time() * 1000)
    with mlflow.start_run(run_name="first-run") as active:
        run_id = active.info.run_id
        assert client.get_run(run_id).info.status == "RUNNING"

    run = client.get_run(run_id)

    assert run.info.status == "FINISHED"
    assert run.info.experiment_id == fluent
    assert run.info.run_name == "first-run"
    assert run.info.lifecycle_stage == "active"
    assert before <= run.info.start_time <= run.info.end_time
    assert run.info.artifact_uri == f"mlflow-artifacts:/{fluent}/{run_id}/artifacts"
    tags = run.data.tags
    assert tags["mlflow.runName"] == "first-run"
    assert tags["mlflow.user"]
    assert tags["mlflow.source.name"]
    assert tags["mlflow.source.type"] == "LOCAL"


def test_exception_inside_run_marks_it_failed(fluent: str, client: MlflowClient) -> None:
    with pytest.raises(ZeroDivisionError), mlflow.start_run() as active:
        1 / 0  # noqa: B018

    run = client.get_run(active.info.run_id)
    assert run.info.status == "FAILED"
    assert run.info.end_time is not None


def test_nested_run_records_parent(fluent: str, client: MlflowClient) -> None:
    with mlflow.start_run() as parent, mlflow.start_run(nested=True) as child:
        assert mlflow.active_run().info.run_id == child.info.run_id  # type: ignore[union-attr]

    got = client.get_run(child.info.run_id)
    assert got.data.tags["mlflow.parentRunId"] == parent.info.run_id
    assert client.get_parent_run(child.info.run_id).info.run_id == parent.info.run_id  # type: ignore[union-attr]
    assert got.info.status == client.get_run(parent.info.run_id).info.status == "FINISHED"


def test_server_names_an_unnamed_run(client: MlflowClient, experiment_id: str) -> None:
    run = client.create_run(experiment_id)

    assert run.info.run_name
    assert client.get_run(run.info.run_id).data.tags["mlflow.runName"] == run.info.run_name


@pytest.mark.backends
def test_update_run_changes_status_and_name(client: MlflowClient, experiment_id: str) -> None:
    run_id = client.create_run(experiment_id, run_name="before").info.run_id

    client.update_run(run_id, name="after")
    renamed = client.get_run(run_id)
    client.update_run(run_id, status="KILLED")
    killed = client.get_run(run_id)
    client.set_terminated(run_id, status="FINISHED", end_time=1234567890123)
    finished = client.get_run(run_id)

    assert renamed.info.run_name == "after"
    assert renamed.data.tags["mlflow.runName"] == "after"
    assert renamed.info.status == "RUNNING"  # a rename leaves the status alone
    assert killed.info.status == RunStatus.to_string(RunStatus.KILLED)
    assert killed.info.run_name == "after"
    assert finished.info.status == "FINISHED"
    assert finished.info.end_time == 1234567890123


def test_set_run_name_tag_renames_the_run(client: MlflowClient, experiment_id: str) -> None:
    run_id = client.create_run(experiment_id, run_name="old").info.run_id

    client.set_tag(run_id, "mlflow.runName", "new-name")

    run = client.get_run(run_id)
    assert run.info.run_name == "new-name"
    assert run.data.tags["mlflow.runName"] == "new-name"


@pytest.mark.backends
def test_delete_and_restore_run(client: MlflowClient, experiment_id: str) -> None:
    run_id = client.create_run(experiment_id).info.run_id

    client.delete_run(run_id)
    deleted = client.get_run(run_id)
    active_hits = client.search_runs([experiment_id])
    client.restore_run(run_id)

    assert deleted.info.lifecycle_stage == "deleted"
    assert active_hits == []
    assert client.get_run(run_id).info.lifecycle_stage == "active"
    assert [r.info.run_id for r in client.search_runs([experiment_id])] == [run_id]
