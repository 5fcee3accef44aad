"""Params, metrics and tags through the fluent API and ``MlflowClient`` (incl. log_batch)."""

from __future__ import annotations

import math
import time

import mlflow
import pytest
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag
from mlflow.exceptions import MlflowException

MAX_DOUBLE = 1.7976931348623157e308  # what +/-inf comes back as (SQL stores cannot hold inf)


@pytest.mark.backends
def test_params_round_trip_and_cannot_change(fluent: str, client: MlflowClient) -> None:
    with mlflow.start_run() as run:
        mlflow.log_param("lr", 0.1)
        mlflow.log_params({"layers": 3, "act": "relu", "lr": 0.1})  # same value again is fine
        with pytest.raises(MlflowException) as excinfo:
            mlflow.log_param("lr", 0.2)

    assert excinfo.value.error_code == "INVALID_PARAMETER_VALUE"
    params = client.get_run(run.info.run_id).data.params
    assert params == {"lr": "0.1", "layers": "3", "act": "relu"}


def test_log_batch_rejects_changed_param_and_writes_nothing(
    client: MlflowClient, experiment_id: str
) -> None:
    run_id = client.create_run(experiment_id).info.run_id
    client.log_param(run_id, "lr", "0.1")

    with pytest.raises(MlflowException) as excinfo:
        client.log_batch(run_id, metrics=[Metric("m", 1.0, 0, 0)], params=[Param("lr", "0.2")])

    assert excinfo.value.error_code == "INVALID_PARAMETER_VALUE"
    assert client.get_run(run_id).data.params == {"lr": "0.1"}


def test_async_logging_flushes_everything(fluent: str, client: MlflowClient) -> None:
    with mlflow.start_run() as run:
        for step in range(50):
            mlflow.log_metric("async", float(step), step=step, synchronous=False)
        mlflow.log_param("mode", "async", synchronous=False)
        mlflow.set_tag("t", "async", synchronous=False)
        mlflow.flush_async_logging()

    data = client.get_run(run.info.run_id).data
    history = client.get_metric_history(run.info.run_id, "async")
    assert sorted((m.step, m.value) for m in history) == [(s, float(s)) for s in range(50)]
    assert data.params == {"mode": "async"}
    assert data.tags["t"] == "async"


def test_run_description_is_the_note_tag(fluent: str, client: MlflowClient) -> None:
    with mlflow.start_run(description="# Trial\nwith *markdown*") as run:
        pass

    assert client.get_run(run.info.run_id).data.tags["mlflow.note.content"] == (
        "# Trial\nwith *markdown*"
    )


@pytest.mark.backends
def test_metric_steps_and_history(fluent: str, client: MlflowClient) -> None:
    with mlflow.start_run() as run:
        for step in range(5):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
        mlflow.log_metrics({"acc": 0.5, "f1": 0.25}, step=7)

    history = client.get_metric_history(run.info.run_id, "loss")
    data = client.get_run(run.info.run_id).data

    assert [(m.step, m.value) for m in history] == [(s, 1.0 / (s + 1)) for s in range(5)]
    assert all(m.key == "loss" and m.timestamp > 0 for m in history)
    assert data.metrics == {"loss": 0.2, "acc": 0.5, "f1": 0.25}
    assert [(m.step, m.value) for m in client.get_metric_history(run.info.run_id, "acc")] == [
        (7, 0.5)
    ]


@pytest.mark.backends
def test_nan_and_infinities_round_trip(client: MlflowClient, experiment_id: str) -> None:
    run_id = client.create_run(experiment_id).info.run_id

    client.log_metric(run_id, "nan", float("nan"))
    client.log_metric(run_id, "pinf", float("inf"))
    client.log_metric(run_id, "ninf", float("-inf"))

    metrics = client.get_run(run_id).data.metrics
    assert math.isnan(metrics["nan"])
    assert metrics["pinf"] == MAX_DOUBLE
    assert metrics["ninf"] == -MAX_DOUBLE
    assert math.isnan(client.get_metric_history(run_id, "nan")[0].value)
    assert client.get_metric_history(run_id, "ninf")[0].value == -MAX_DOUBLE


def test_latest_metric_is_the_highest_step(client: MlflowClient, experiment_id: str) -> None:
    run_id = client.create_run(experiment_id).info.run_id
    now = int(time.time() * 1000)

    client.log_metric(run_id, "m", 1.0, timestamp=now, step=5)
    client.log_metric(run_id, "m", 2.0, timestamp=now + 10, step=3)  # newer, but lower step
    client.log_metric(run_id, "t", 1.0, timestamp=now, step=1)
    client.log_metric(run_id, "t", 3.0, timestamp=now + 5, step=1)  # same step, newer wins

    metrics = client.get_run(run_id).data.metrics
    assert metrics["m"] == 1.0
    assert metrics["t"] == 3.0
    assert len(client.get_metric_history(run_id, "m")) == 2


def test_metric_history_pages_past_the_client_page_size(
    client: MlflowClient, experiment_id: str
) -> None:
    """The client asks for 25000 points per page; 30000 points need a second page."""
    run_id = client.create_run(experiment_id).info.run_id
    now = int(time.time() * 1000)
    points = [Metric("long", float(i), now + i, i) for i in range(30000)]

    for start in range(0, len(points), 1000):
        client.log_batch(run_id, metrics=points[start : start + 1000])

    history = client.get_metric_history(run_id, "long")
    assert len(history) == 30000
    assert sorted((m.step, m.value) for m in history) == [(i, float(i)) for i in range(30000)]
    assert client.get_run(run_id).data.metrics["long"] == 29999.0


def test_tags_set_overwrite_and_delete(client: MlflowClient, experiment_id: str) -> None:
    run_id = client.create_run(experiment_id).info.run_id

    client.set_tag(run_id, "t", "one")
    client.set_tag(run_id, "t", "two")
    client.set_tag(run_id, "gone", "x")
    client.set_tag(run_id, "unicode", "μ-ü-✓")
    client.delete_tag(run_id, "gone")

    tags = client.get_run(run_id).data.tags
    assert tags["t"] == "two"
    assert tags["unicode"] == "μ-ü-✓"
    assert "gone" not in tags


@pytest.mark.backends
def test_log_batch_of_a_thousand_metrics(client: MlflowClient, experiment_id: str) -> None:
    run_id = client.create_run(experiment_id).info.run_id
    now = int(time.time() * 1000)
    metrics = [Metric(f"m{i % 100}", float(i), now, i // 100) for i in range(1000)]

    client.log_batch(
        run_id,
        metrics=metrics,
        params=[Param(f"p{i}", str(i)) for i in range(50)],
        tags=[RunTag("batch", "yes")],
    )

    data = client.get_run(run_id).data
    assert data.metrics == {f"m{k}": float(900 + k) for k in range(100)}
    assert data.params == {f"p{i}": str(i) for i in range(50)}
    assert data.tags["batch"] == "yes"
    assert [m.value for m in client.get_metric_history(run_id, "m7")] == [
        float(s * 100 + 7) for s in range(10)
    ]


@pytest.mark.backends
def test_client_splits_an_oversize_batch(client: MlflowClient, experiment_id: str) -> None:
    run_id = client.create_run(experiment_id).info.run_id
    now = int(time.time() * 1000)

    client.log_batch(
        run_id,
        metrics=[Metric("big", float(i), now, i) for i in range(2500)],
        params=[Param(f"p{i}", "v") for i in range(250)],
        tags=[RunTag(f"t{i}", "v") for i in range(150)],
    )

    data = client.get_run(run_id).data
    assert len(client.get_metric_history(run_id, "big")) == 2500
    assert data.metrics["big"] == 2499.0
    assert len(data.params) == 250
    assert {k for k in data.tags if k.startswith("t")} == {f"t{i}" for i in range(150)}


def test_extreme_values_round_trip(client: MlflowClient, experiment_id: str) -> None:
    run_id = client.create_run(experiment_id).info.run_id
    values = {"tiny": 5e-324, "small": 1e-300, "big": 1.5e308, "neg0": -0.0, "int": 42}
    big_step, big_ts = 2**40, 2**42

    for key, value in values.items():
        client.log_metric(run_id, key, value, timestamp=big_ts, step=big_step)
    client.log_param(run_id, "long", "p" * 6000)
    client.set_tag(run_id, "long", "t" * 8000)

    data = client.get_run(run_id).data
    assert data.metrics == {k: float(v) for k, v in values.items()}
    history = client.get_metric_history(run_id, "big")
    assert [(m.step, m.timestamp) for m in history] == [(big_step, big_ts)]
    assert data.params["long"] == "p" * 6000
    assert data.tags["long"] == "t" * 8000


def test_resuming_a_run_appends_to_it(fluent: str, client: MlflowClient) -> None:
    with mlflow.start_run() as first:
        mlflow.log_metric("m", 1.0, step=0)
    with mlflow.start_run(run_id=first.info.run_id) as resumed:
        assert client.get_run(first.info.run_id).info.status == "RUNNING"
        mlflow.log_metric("m", 2.0, step=1)

    run = client.get_run(first.info.run_id)
    assert resumed.info.run_id == first.info.run_id
    assert run.info.status == "FINISHED"
    assert run.data.metrics == {"m": 2.0}
    assert mlflow.last_active_run().info.run_id == first.info.run_id  # type: ignore[union-attr]


def test_missing_things_read_as_empty_or_not_found(
    client: MlflowClient, experiment_id: str
) -> None:
    run_id = client.create_run(experiment_id).info.run_id

    assert client.get_metric_history(run_id, "never-logged") == []
    assert client.list_artifacts(run_id) == []
    with pytest.raises(MlflowException) as excinfo:
        client.delete_tag(run_id, "never-set")
    assert excinfo.value.error_code == "RESOURCE_DOES_NOT_EXIST"
