"""``cairn models history`` and ``cairn models lineage`` on a local registry."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from cairn.entities import Dataset
from cairn.tracking import context
from cairn.tracking.client import CairnClient

Invoke = Callable[..., Result]


@pytest.fixture
def seeded(tracking_dir: Path, monkeypatch: pytest.MonkeyPatch) -> CairnClient:
    """``churn``: v1 from a run (Production, then Archived), v2 from a plain path, with the
    alias ``champion`` moved from v1 to v2; everything done by ``carol``."""
    monkeypatch.setenv("CAIRN_TRACKING_USERNAME", "carol")
    client = CairnClient(str(tracking_dir))
    exp_id = client.create_experiment("fraud")
    run = client.create_run(exp_id, run_name="nightly", tags={context.GIT_COMMIT: "abc123"})
    run_id = run.info.run_id
    client.log_param(run_id, "lr", "0.1")
    client.log_metric(run_id, "auc", 0.91)
    client.log_input(run_id, Dataset("tx", "d1g3st", "local", "/data/tx"), context="training")
    client.create_registered_model("churn")
    client.create_model_version("churn", "/models/v1", run_id=run_id)
    client.create_model_version("churn", "/models/v2")
    client.set_registered_model_alias("churn", "champion", 1)
    client.set_registered_model_alias("churn", "champion", 2)
    client.transition_model_version_stage("churn", 1, "Production")
    client.transition_model_version_stage("churn", 2, "Production", True)
    return client


def test_history_is_a_changelog(invoke: Invoke, seeded: CairnClient) -> None:
    result = invoke("models", "history", "churn")

    assert result.exit_code == 0, result.output
    out = result.output
    for text in (
        "History of churn",
        "model created",
        "version created",
        "alias champion: (none) -> v1",
        "alias champion: v1 -> v2",
        "stage None -> Production",
        "stage Production -> Archived (archived by v2)",
        "carol",
    ):
        assert text in out, text
    assert out.index("model created") < out.index("alias champion: v1 -> v2")


def test_history_of_one_version(invoke: Invoke, seeded: CairnClient) -> None:
    result = invoke("models", "history", "churn", "--version", "2")

    assert result.exit_code == 0, result.output
    assert "History of churn v2" in result.output
    assert "model created" not in result.output and "source /models/v2" in result.output


def test_history_json(invoke: Invoke, seeded: CairnClient) -> None:
    result = invoke("models", "history", "churn", "--json")

    data = json.loads(result.output)
    assert result.exit_code == 0
    assert data["name"] == "churn" and data["version"] is None
    first, alias_move = data["events"][0], data["events"][4]
    assert first["event_type"] == "model_created" and first["user_id"] == "carol"
    assert alias_move["summary"] == "alias set: alias champion: v1 -> v2"
    assert alias_move["details"] == {"alias": "champion", "version": 2, "previous_version": 1}
    assert set(first) == {
        "event_id",
        "timestamp",
        "user_id",
        "name",
        "version",
        "event_type",
        "summary",
        "details",
    }


def test_history_of_an_unknown_model_says_so(invoke: Invoke, seeded: CairnClient) -> None:
    result = invoke("models", "history", "nope")

    assert result.exit_code == 0
    assert "No history recorded for 'nope'." in result.output


def test_lineage_shows_run_code_params_metrics_and_data(
    invoke: Invoke, seeded: CairnClient
) -> None:
    result = invoke("models", "lineage", "churn", "1")

    assert result.exit_code == 0, result.output
    for text in (
        "Model version churn v1",
        "Archived",
        "nightly",
        "fraud (id 1)",
        "abc123",
        "lr",
        "0.91",
        "d1g3st",
        "training",
    ):
        assert text in result.output, text


def test_lineage_json(invoke: Invoke, seeded: CairnClient) -> None:
    result = invoke("models", "lineage", "churn", "1", "--json")

    data = json.loads(result.output)
    assert result.exit_code == 0
    assert data["model_version"]["version"] == 1
    assert data["model_version"]["current_stage"] == "Archived"
    assert data["run"]["run_name"] == "nightly" and data["run"]["git_commit"] == "abc123"
    assert data["run"]["experiment_name"] == "fraud"
    assert data["params"] == {"lr": "0.1"} and data["metrics"] == {"auc": 0.91}
    assert data["datasets"] == [
        {
            "name": "tx",
            "digest": "d1g3st",
            "source_type": "local",
            "source": "/data/tx",
            "context": "training",
        }
    ]


def test_lineage_of_a_version_without_a_run(invoke: Invoke, seeded: CairnClient) -> None:
    table = invoke("models", "lineage", "churn", "2")
    as_json = json.loads(invoke("models", "lineage", "churn", "2", "--json").output)

    assert table.exit_code == 0 and "No run is recorded for this version" in table.output
    assert "champion" in table.output
    assert as_json["run"] is None and as_json["params"] == {} and as_json["datasets"] == []


def test_lineage_of_an_unknown_version_is_a_clean_error(
    invoke: Invoke, seeded: CairnClient
) -> None:
    result = invoke("models", "lineage", "churn", "9")

    assert result.exit_code == 1
    assert result.stderr.startswith("Error:") and "Traceback" not in result.output
