"""``mlflow.search_runs`` (pandas) and ``MlflowClient.search_runs``: filters, order, paging."""

from __future__ import annotations

import time

import mlflow
import mlflow.data
import pandas as pd
import pytest
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag, ViewType


def _seed(client: MlflowClient, experiment_id: str) -> dict[str, str]:
    """Four runs with distinct metrics/params/tags; returns run name -> run id."""
    now = int(time.time() * 1000)
    rows = [
        ("r-a", 0.9, "0.1", "alpha", "FINISHED"),
        ("r-b", 0.7, "0.01", "apple", "FAILED"),
        ("r-c", 0.3, "0.1", "beta", "FINISHED"),
        ("r-d", 0.6, "0.001", "gamma", "RUNNING"),
    ]
    ids = {}
    for i, (name, acc, lr, tag, status) in enumerate(rows):
        run = client.create_run(experiment_id, run_name=name, start_time=now + i)
        client.log_batch(
            run.info.run_id,
            metrics=[Metric("acc", acc, now, 0)],
            params=[Param("lr", lr)],
            tags=[RunTag("t", tag)],
        )
        if status != "RUNNING":
            client.set_terminated(run.info.run_id, status=status)
        ids[name] = run.info.run_id
    return ids


def _names(runs: list) -> list[str]:  # type: ignore[type-arg]
    return [r.info.run_name for r in runs]


@pytest.mark.backends
def test_client_filters_on_metrics_params_tags_and_attributes(
    client: MlflowClient, experiment_id: str
) -> None:
    _seed(client, experiment_id)

    def search(filter_string: str) -> list[str]:
        found = client.search_runs([experiment_id], filter_string, order_by=["run_name ASC"])
        return _names(found)

    assert search("metrics.acc > 0.5") == ["r-a", "r-b", "r-d"]
    assert search("params.lr = '0.1'") == ["r-a", "r-c"]
    assert search("tags.t LIKE 'a%'") == ["r-a", "r-b"]
    assert search("attributes.status = 'FINISHED'") == ["r-a", "r-c"]
    assert search("run_name = 'r-d'") == ["r-d"]
    assert search("metrics.acc > 0.5 AND params.lr = '0.1'") == ["r-a"]
    assert search("attributes.run_name ILIKE 'R-%' AND tags.t != 'alpha'") == ["r-b", "r-c", "r-d"]


@pytest.mark.backends
def test_client_orders_by_metric_descending(client: MlflowClient, experiment_id: str) -> None:
    _seed(client, experiment_id)

    runs = client.search_runs([experiment_id], order_by=["metrics.acc DESC"])
    default = client.search_runs([experiment_id])

    assert _names(runs) == ["r-a", "r-b", "r-d", "r-c"]
    assert _names(default) == ["r-d", "r-c", "r-b", "r-a"]  # start_time DESC
    assert runs[0].data.metrics == {"acc": 0.9}
    assert runs[0].data.params == {"lr": "0.1"}


def test_fluent_search_returns_a_dataframe(fluent: str, client: MlflowClient) -> None:
    ids = _seed(client, fluent)

    frame = mlflow.search_runs(
        experiment_ids=[fluent], filter_string="metrics.acc > 0.5", order_by=["metrics.acc DESC"]
    )

    assert list(frame["run_id"]) == [ids["r-a"], ids["r-b"], ids["r-d"]]
    assert list(frame["metrics.acc"]) == [0.9, 0.7, 0.6]
    assert list(frame["params.lr"]) == ["0.1", "0.01", "0.001"]
    assert list(frame["tags.t"]) == ["alpha", "apple", "gamma"]
    assert list(frame["status"]) == ["FINISHED", "FAILED", "RUNNING"]
    assert list(frame["tags.mlflow.runName"]) == ["r-a", "r-b", "r-d"]
    assert (frame["experiment_id"] == fluent).all()


@pytest.mark.backends
def test_paging_over_twenty_five_runs(client: MlflowClient, experiment_id: str) -> None:
    now = int(time.time() * 1000)
    expected = []
    for i in range(25):
        run = client.create_run(experiment_id, start_time=now + i)
        client.log_metric(run.info.run_id, "i", float(i), timestamp=now, step=0)
        expected.append(run.info.run_id)

    seen, sizes, token = [], [], None
    while True:
        page = client.search_runs(
            [experiment_id], order_by=["metrics.i ASC"], max_results=10, page_token=token
        )
        seen += [r.info.run_id for r in page]
        sizes.append(len(page))
        token = page.token
        if not token:
            break

    assert sizes == [10, 10, 5]
    assert seen == expected


def test_run_view_type(client: MlflowClient, experiment_id: str) -> None:
    keep = client.create_run(experiment_id, run_name="keep").info.run_id
    gone = client.create_run(experiment_id, run_name="gone").info.run_id
    client.delete_run(gone)

    def ids(view: int) -> set[str]:
        return {r.info.run_id for r in client.search_runs([experiment_id], run_view_type=view)}

    assert ids(ViewType.ACTIVE_ONLY) == {keep}
    assert ids(ViewType.DELETED_ONLY) == {gone}
    assert ids(ViewType.ALL) == {keep, gone}


def test_odd_keys_need_backticks(client: MlflowClient, experiment_id: str) -> None:
    run_id = client.create_run(experiment_id).info.run_id
    other = client.create_run(experiment_id).info.run_id
    client.log_batch(
        run_id,
        metrics=[Metric("val/loss", 0.25, 0, 0)],
        params=[Param("with space", "1"), Param("a.b", "x")],
        tags=[RunTag("team-name", "core")],
    )

    def search(filter_string: str) -> list[str]:
        return [r.info.run_id for r in client.search_runs([experiment_id], filter_string)]

    assert search("metrics.`val/loss` < 0.5") == [run_id]
    assert search("params.`with space` = '1'") == [run_id]
    assert search("params.\"a.b\" = 'x'") == [run_id]
    assert search("tags.`team-name` = 'core'") == [run_id]
    assert set(search(f"attributes.run_id IN ('{run_id}', '{other}')")) == {run_id, other}


def test_order_by_params_tags_and_attributes(client: MlflowClient, experiment_id: str) -> None:
    ids = _seed(client, experiment_id)

    def order(*keys: str) -> list[str]:
        return _names(client.search_runs([experiment_id], order_by=list(keys)))

    # string order; the r-a/r-c tie falls back to MLflow's default start_time DESC
    assert order("params.lr ASC") == ["r-d", "r-b", "r-c", "r-a"]
    assert order("tags.t DESC") == ["r-d", "r-c", "r-b", "r-a"]
    assert order("attributes.start_time ASC") == ["r-a", "r-b", "r-c", "r-d"]
    assert order("attributes.status ASC", "run_name DESC") == ["r-b", "r-c", "r-a", "r-d"]
    assert set(ids) == {"r-a", "r-b", "r-c", "r-d"}


# mlflow's dataset digest calls DataFrame.all(0) positionally, which pandas 3 deprecates.
@pytest.mark.filterwarnings(
    "ignore:Starting with pandas version 4.0 all arguments of all:pandas.errors.Pandas4Warning"
)
def test_filter_on_dataset_inputs(fluent: str, client: MlflowClient) -> None:
    dataset = mlflow.data.from_pandas(pd.DataFrame({"x": [1.0]}), name="train-set")
    with mlflow.start_run() as with_data:
        mlflow.log_input(dataset, context="training")
    with mlflow.start_run():
        pass

    def search(filter_string: str) -> list[str]:
        return [r.info.run_id for r in client.search_runs([fluent], filter_string)]

    assert search("dataset.name = 'train-set'") == [with_data.info.run_id]
    assert search(f"dataset.digest = '{dataset.digest}'") == [with_data.info.run_id]
    assert search("dataset.context = 'training'") == [with_data.info.run_id]
    assert search("dataset.context = 'eval'") == []
