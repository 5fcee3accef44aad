"""``cairn runs``: list, describe, delete, restore; tables, JSON and errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import Result

from cairn.entities import Dataset, Run
from cairn.tracking.client import CairnClient

Invoke = Callable[..., Result]


@pytest.fixture
def runs(client: CairnClient) -> list[Run]:
    """Three runs in experiment 1: two finished ones with metrics, one still running."""
    client.create_experiment("fraud")
    made = []
    for i in range(3):
        run = client.create_run("1", run_name=f"trial-{i}", start_time=1_000_000 + i)
        client.log_param(run.info.run_id, "lr", 0.1 * (i + 1))
        client.log_metric(run.info.run_id, "loss", 1 / (i + 1), step=i)
        client.log_metric(run.info.run_id, "acc", float("nan"))
        if i < 2:
            client.set_terminated(run.info.run_id, end_time=1_000_000 + i + 65_000)
        made.append(run)
    client.log_input(
        made[0].info.run_id, Dataset("iris", "abc123", "local", "/data/iris.csv"), "training"
    )
    return made


def _list_json(invoke: Invoke, *args: str) -> dict[str, Any]:
    result = invoke("runs", "list", "--experiment-id", "1", "--json", *args)
    assert result.exit_code == 0, result.output
    payload: dict[str, Any] = json.loads(result.stdout)
    return payload


def test_list_table_shows_id_name_status_duration_and_metrics(
    invoke: Invoke, runs: list[Run]
) -> None:
    result = invoke("runs", "list", "-e", "1")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for header in ("Run ID", "Name", "Status", "Start time", "Duration", "acc", "loss"):
        assert header in out
    for run in runs:
        assert run.info.run_id in out
    assert "trial-2" in out and "RUNNING" in out and "FINISHED" in out
    assert "1m 05s" in out
    assert "NaN" in out and "0.3333" in out


def test_list_on_a_narrow_terminal_drops_metrics_not_id_characters(
    invoke: Invoke, runs: list[Run]
) -> None:
    result = invoke("runs", "list", "-e", "1", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    for run in runs:
        assert run.info.run_id in result.stdout
    assert "loss" not in result.stdout


def test_list_metric_option_picks_the_columns(invoke: Invoke, runs: list[Run]) -> None:
    result = invoke("runs", "list", "-e", "1", "--metric", "loss")
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0]
    assert "loss" in header
    # Only the header: run ids are hex and may contain "acc" by chance.
    assert "acc" not in header


def test_list_json_has_runs_with_info_data_inputs(invoke: Invoke, runs: list[Run]) -> None:
    payload = _list_json(invoke)
    assert payload["next_page_token"] is None
    listed = payload["runs"]
    assert [r["info"]["run_name"] for r in listed] == ["trial-2", "trial-1", "trial-0"]
    first = listed[-1]
    assert first["info"]["status"] == "FINISHED"
    assert first["info"]["run_id"] == first["info"]["run_uuid"] == runs[0].info.run_id
    assert first["info"]["end_time"] == 1_065_000
    assert {"key": "lr", "value": "0.1"} in first["data"]["params"]
    metrics = {m["key"]: m["value"] for m in first["data"]["metrics"]}
    assert metrics == {"loss": 1.0, "acc": "NaN"}
    assert first["inputs"]["dataset_inputs"][0]["dataset"]["name"] == "iris"
    assert listed[0]["info"]["status"] == "RUNNING"
    assert listed[0]["info"]["end_time"] is None


def test_list_filter_order_and_max_results(invoke: Invoke, runs: list[Run]) -> None:
    filtered = _list_json(invoke, "--filter", "metrics.loss < 0.9")["runs"]
    assert {r["info"]["run_name"] for r in filtered} == {"trial-1", "trial-2"}
    ordered = _list_json(invoke, "--order-by", "metrics.loss DESC")["runs"]
    assert [r["info"]["run_name"] for r in ordered] == ["trial-0", "trial-1", "trial-2"]
    page = _list_json(invoke, "--max-results", "2")
    assert len(page["runs"]) == 2 and page["next_page_token"]
    rest = _list_json(invoke, "--page-token", page["next_page_token"])["runs"]
    assert [r["info"]["run_name"] for r in rest] == ["trial-0"]


def test_list_views_deleted_runs(invoke: Invoke, runs: list[Run]) -> None:
    invoke("runs", "delete", runs[1].info.run_id)
    assert len(_list_json(invoke)["runs"]) == 2
    deleted = _list_json(invoke, "--view", "deleted")["runs"]
    assert [r["info"]["run_id"] for r in deleted] == [runs[1].info.run_id]
    assert len(_list_json(invoke, "--view", "all")["runs"]) == 3


def test_list_bad_filter_exits_1(invoke: Invoke, runs: list[Run]) -> None:
    result = invoke("runs", "list", "-e", "1", "--filter", "metrics.loss >")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Invalid filter at position")


def test_list_bad_order_by_exits_1(invoke: Invoke, runs: list[Run]) -> None:
    result = invoke("runs", "list", "-e", "1", "--order-by", "bogus")
    assert result.exit_code == 1
    assert "Invalid order_by clause 'bogus'" in result.stderr


def test_list_unknown_experiment_exits_1_with_hint(invoke: Invoke) -> None:
    result = invoke("runs", "list", "-e", "9")
    assert result.exit_code == 1
    assert "No experiment with id 9" in result.stderr
    assert "cairn experiments list" in result.stderr


def test_list_requires_an_experiment_id(invoke: Invoke) -> None:
    result = invoke("runs", "list")
    assert result.exit_code == 2
    assert "--experiment-id" in result.stderr


def test_list_of_empty_experiment_prints_empty_table(invoke: Invoke) -> None:
    result = invoke("runs", "list", "-e", "0")
    assert result.exit_code == 0, result.output
    assert "Run ID" in result.stdout
    assert _list_json_for(invoke, "0") == {"runs": [], "next_page_token": None}


def _list_json_for(invoke: Invoke, experiment_id: str) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(
        invoke("runs", "list", "-e", experiment_id, "--json").stdout
    )
    return payload


def test_describe_shows_info_params_metrics_tags_datasets(invoke: Invoke, runs: list[Run]) -> None:
    result = invoke("runs", "describe", runs[0].info.run_id)
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in (
        "trial-0",
        "FINISHED",
        "Params",
        "lr",
        "Metrics",
        "loss",
        "Tags",
        "mlflow.runName",
        "Datasets",
        "iris",
        "training",
        "abc123",
    ):
        assert text in out, text


def test_describe_json_matches_the_run(invoke: Invoke, runs: list[Run]) -> None:
    result = invoke("runs", "describe", runs[2].info.run_id, "--json")
    assert result.exit_code == 0, result.output
    run = json.loads(result.stdout)["run"]
    assert run["info"]["run_id"] == runs[2].info.run_id
    assert run["info"]["lifecycle_stage"] == "active"
    loss = next(m for m in run["data"]["metrics"] if m["key"] == "loss")
    assert loss["step"] == 2
    assert loss["value"] == pytest.approx(1 / 3)
    assert {"key": "mlflow.runName", "value": "trial-2"} in run["data"]["tags"]
    assert run["inputs"] == {"dataset_inputs": []}


def test_describe_unknown_run_exits_1_with_hint(invoke: Invoke) -> None:
    result = invoke("runs", "describe", "deadbeef")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: No run with id 'deadbeef'.")
    assert "cairn runs list" in result.stderr


def test_delete_then_restore(invoke: Invoke, client: CairnClient, runs: list[Run]) -> None:
    run_id = runs[0].info.run_id
    deleted = invoke("runs", "delete", run_id)
    assert deleted.exit_code == 0, deleted.output
    assert f"cairn runs restore {run_id}" in deleted.stdout
    assert client.get_run(run_id).info.lifecycle_stage.value == "deleted"
    restored = invoke("runs", "restore", run_id)
    assert restored.exit_code == 0, restored.output
    assert client.get_run(run_id).info.lifecycle_stage.value == "active"


def test_delete_and_restore_unknown_run_exit_1(invoke: Invoke) -> None:
    for command in ("delete", "restore"):
        result = invoke("runs", command, "nope")
        assert result.exit_code == 1
        assert "No run with id 'nope'" in result.stderr
