"""``cairn experiments``: every command, table and JSON output, and its errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import Result

from cairn.tracking.client import CairnClient

Invoke = Callable[..., Result]


def _listed(invoke: Invoke, *args: str) -> list[dict[str, Any]]:
    result = invoke("experiments", "list", "--json", *args)
    assert result.exit_code == 0, result.output
    experiments: list[dict[str, Any]] = json.loads(result.stdout)["experiments"]
    return experiments


def test_create_prints_the_new_id(invoke: Invoke) -> None:
    result = invoke("experiments", "create", "fraud")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Created experiment 'fraud' with id 1.\n"


def test_create_json_has_tags_and_artifact_location(invoke: Invoke, tmp_path: Path) -> None:
    location = (tmp_path / "elsewhere").as_uri()
    result = invoke(
        "experiments",
        "create",
        "fraud",
        "-l",
        location,
        "--tag",
        "team=risk",
        "-t",
        "k=a=b",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"experiment_id": "1"}
    (exp,) = [e for e in _listed(invoke) if e["name"] == "fraud"]
    assert exp["artifact_location"] == location
    assert sorted(exp["tags"], key=lambda t: t["key"]) == [
        {"key": "k", "value": "a=b"},
        {"key": "team", "value": "risk"},
    ]


def test_create_rejects_a_tag_without_equals_as_usage_error(invoke: Invoke) -> None:
    result = invoke("experiments", "create", "fraud", "--tag", "oops")
    assert result.exit_code == 2
    assert "expected KEY=VALUE" in result.stderr


def test_create_duplicate_name_exits_1_and_says_what_to_do(invoke: Invoke) -> None:
    invoke("experiments", "create", "fraud")
    result = invoke("experiments", "create", "fraud")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: An experiment named 'fraud' already exists")
    assert "rename" in result.stderr


def test_list_json_has_stable_snake_case_keys(invoke: Invoke) -> None:
    invoke("experiments", "create", "fraud")
    exps = _listed(invoke)
    # both may be created in the same millisecond, so their order is not fixed
    assert sorted(e["name"] for e in exps) == ["Default", "fraud"]
    assert set(exps[0]) == {
        "experiment_id",
        "name",
        "artifact_location",
        "lifecycle_stage",
        "creation_time",
        "last_update_time",
        "tags",
    }
    assert exps[0]["lifecycle_stage"] == "active"
    assert isinstance(exps[0]["creation_time"], int)


def test_list_table_shows_names_verbatim(invoke: Invoke) -> None:
    invoke("experiments", "create", "[red]not markup")
    result = invoke("experiments", "list")
    assert result.exit_code == 0, result.output
    assert "[red]not markup" in result.stdout
    assert "Default" in result.stdout


def test_list_views_filter_and_order(invoke: Invoke) -> None:
    for name in ("b-exp", "a-exp", "c-exp"):
        invoke("experiments", "create", name)
    invoke("experiments", "delete", "3")
    assert [e["name"] for e in _listed(invoke, "--view", "deleted")] == ["c-exp"]
    assert len(_listed(invoke, "--view", "all")) == 4
    filtered = _listed(invoke, "--filter", "name LIKE '%-exp'")
    assert sorted(e["name"] for e in filtered) == ["a-exp", "b-exp"]
    names = [e["name"] for e in _listed(invoke, "--order-by", "name ASC")]
    assert names == ["Default", "a-exp", "b-exp"]


def test_list_max_results_and_page_token_continue(invoke: Invoke) -> None:
    for i in range(5):
        invoke("experiments", "create", f"e{i}")
    first = json.loads(invoke("experiments", "list", "--json", "--max-results", "2").stdout)
    assert len(first["experiments"]) == 2
    assert first["next_page_token"]
    rest = _listed(invoke, "--page-token", first["next_page_token"])
    ids = [e["experiment_id"] for e in first["experiments"] + rest]
    assert sorted(ids) == ["0", "1", "2", "3", "4", "5"]


def test_list_table_points_to_the_next_page(invoke: Invoke) -> None:
    invoke("experiments", "create", "more")
    result = invoke("experiments", "list", "--max-results", "1")
    assert "--page-token" in result.stdout


def test_list_bad_filter_exits_1_with_the_parser_message(invoke: Invoke) -> None:
    result = invoke("experiments", "list", "--filter", "nme = 'x'")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Invalid filter")
    assert "unknown experiment attribute 'nme'" in result.stderr


def test_list_bad_view_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("experiments", "list", "--view", "gone")
    assert result.exit_code == 2


def test_get_shows_experiment_and_tags(invoke: Invoke) -> None:
    invoke("experiments", "create", "fraud", "-t", "team=risk")
    table = invoke("experiments", "get", "1")
    assert table.exit_code == 0, table.output
    assert "fraud" in table.stdout and "team" in table.stdout and "risk" in table.stdout
    payload = json.loads(invoke("experiments", "get", "1", "--json").stdout)
    assert payload["experiment"]["name"] == "fraud"


def test_get_unknown_id_exits_1_with_hint(invoke: Invoke) -> None:
    result = invoke("experiments", "get", "99")
    assert result.exit_code == 1
    assert "No experiment with id 99" in result.stderr
    assert "cairn experiments list --view all" in result.stderr


def test_get_non_integer_id_exits_1(invoke: Invoke) -> None:
    result = invoke("experiments", "get", "abc")
    assert result.exit_code == 1
    assert "Invalid experiment id 'abc'" in result.stderr


def test_rename_changes_the_name(invoke: Invoke) -> None:
    invoke("experiments", "create", "old")
    result = invoke("experiments", "rename", "1", "new")
    assert result.exit_code == 0, result.output
    assert "Renamed experiment 1 to 'new'" in result.stdout
    assert {e["name"] for e in _listed(invoke)} == {"new", "Default"}


def test_rename_to_a_taken_name_exits_1(invoke: Invoke) -> None:
    invoke("experiments", "create", "old")
    result = invoke("experiments", "rename", "1", "Default")
    assert result.exit_code == 1
    assert "already exists" in result.stderr


def test_rename_unknown_id_exits_1(invoke: Invoke) -> None:
    result = invoke("experiments", "rename", "7", "x")
    assert result.exit_code == 1
    assert "No experiment with id 7" in result.stderr


def test_delete_and_restore_move_experiment_and_runs(invoke: Invoke, client: CairnClient) -> None:
    invoke("experiments", "create", "fraud")
    run = client.create_run("1")
    deleted = invoke("experiments", "delete", "1")
    assert deleted.exit_code == 0, deleted.output
    assert "cairn experiments restore 1" in deleted.stdout
    assert client.get_run(run.info.run_id).info.lifecycle_stage.value == "deleted"
    restored = invoke("experiments", "restore", "1")
    assert restored.exit_code == 0, restored.output
    assert [e["lifecycle_stage"] for e in _listed(invoke) if e["name"] == "fraud"] == ["active"]
    assert client.get_run(run.info.run_id).info.lifecycle_stage.value == "active"


def test_delete_twice_reports_already_deleted(invoke: Invoke) -> None:
    invoke("experiments", "create", "fraud")
    invoke("experiments", "delete", "1")
    result = invoke("experiments", "delete", "1")
    assert result.exit_code == 0
    assert "already deleted" in result.stdout


def test_restore_active_reports_already_active(invoke: Invoke) -> None:
    invoke("experiments", "create", "fraud")
    result = invoke("experiments", "restore", "1")
    assert result.exit_code == 0
    assert "already active" in result.stdout


def test_delete_unknown_id_exits_1_with_hint(invoke: Invoke) -> None:
    result = invoke("experiments", "delete", "12")
    assert result.exit_code == 1
    assert "No experiment with id 12" in result.stderr
    assert "--view all" in result.stderr
