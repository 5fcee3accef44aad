"""The fluent API: active runs, nesting, ending status, logging, search."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import cairn
from cairn.entities import RunStatus
from cairn.errors import InvalidParameterValue


def test_start_run_context_manager_finishes_the_run(tracking_dir: Path) -> None:
    with cairn.start_run(run_name="demo") as run:
        cairn.log_param("lr", 0.01)
        cairn.log_metric("loss", 0.5, step=1)
        assert cairn.active_run() is run
    finished = cairn.get_run(run.info.run_id)
    assert finished.info.status is RunStatus.FINISHED
    assert finished.info.end_time is not None
    assert finished.info.run_name == "demo"
    assert finished.data.param_dict == {"lr": "0.01"}
    assert finished.data.metric_dict == {"loss": 0.5}
    assert cairn.active_run() is None


def test_exception_in_with_block_marks_run_failed(tracking_dir: Path) -> None:
    with pytest.raises(ZeroDivisionError), cairn.start_run() as run:
        _ = 1 / 0
    assert cairn.get_run(run.info.run_id).info.status is RunStatus.FAILED


def test_keyboard_interrupt_marks_run_killed(tracking_dir: Path) -> None:
    with pytest.raises(KeyboardInterrupt), cairn.start_run() as run:
        raise KeyboardInterrupt
    assert cairn.get_run(run.info.run_id).info.status is RunStatus.KILLED


def test_nested_run_records_its_parent(tracking_dir: Path) -> None:
    with cairn.start_run() as parent, cairn.start_run(nested=True) as child:
        assert cairn.active_run() is child
    tags = cairn.get_run(child.info.run_id).data.tag_dict
    assert tags["mlflow.parentRunId"] == parent.info.run_id


def test_second_run_without_nested_is_refused(tracking_dir: Path) -> None:
    with cairn.start_run(), pytest.raises(InvalidParameterValue, match="nested=True"):
        cairn.start_run()


def test_start_run_sets_system_tags_and_description(tracking_dir: Path) -> None:
    with cairn.start_run(description="why this run", tags={"team": "cv"}) as run:
        pass
    tags = cairn.get_run(run.info.run_id).data.tag_dict
    assert tags["mlflow.note.content"] == "why this run"
    assert tags["team"] == "cv"
    assert tags["mlflow.source.type"] == "LOCAL"
    assert tags["mlflow.user"]
    assert "mlflow.source.name" in tags


def test_resume_run_by_id_appends_to_it(tracking_dir: Path) -> None:
    with cairn.start_run() as run:
        cairn.log_metric("m", 1.0, step=0)
    with cairn.start_run(run_id=run.info.run_id):
        cairn.log_metric("m", 2.0, step=1)
    resumed = cairn.get_run(run.info.run_id)
    assert resumed.data.metric_dict == {"m": 2.0}
    assert resumed.info.status is RunStatus.FINISHED


def test_run_id_from_environment_resumes_once(
    tracking_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with cairn.start_run() as first:
        pass
    from cairn.tracking import fluent

    monkeypatch.setenv("MLFLOW_RUN_ID", first.info.run_id)
    fluent._state.settings = None
    with cairn.start_run() as resumed:
        assert resumed.info.run_id == first.info.run_id
    with cairn.start_run() as fresh:
        assert fresh.info.run_id != first.info.run_id


def test_logging_without_a_run_starts_one(tracking_dir: Path) -> None:
    cairn.log_metric("auto", 1.0)
    run = cairn.active_run()
    assert run is not None
    cairn.end_run()
    last = cairn.last_active_run()
    assert last is not None and last.info.run_id == run.info.run_id
    assert last.info.status is RunStatus.FINISHED


def test_log_params_metrics_and_tags_in_bulk(tracking_dir: Path) -> None:
    with cairn.start_run() as run:
        cairn.log_params({f"p{i}": i for i in range(150)})
        cairn.log_metrics({"a": 1.0, "b": math.nan}, step=3)
        cairn.set_tags({"x": 1, "y": "two"})
        cairn.set_tag("z", "3")
        cairn.delete_tag("z")
    data = cairn.get_run(run.info.run_id).data
    assert len(data.params) == 150
    assert data.metric_dict["a"] == 1.0 and math.isnan(data.metric_dict["b"])
    assert {"x": "1", "y": "two"}.items() <= data.tag_dict.items()
    assert "z" not in data.tag_dict


def test_set_experiment_creates_then_reuses_by_name(tracking_dir: Path) -> None:
    first = cairn.set_experiment("exp-a")
    again = cairn.set_experiment("exp-a")
    assert first.experiment_id == again.experiment_id
    with cairn.start_run() as run:
        pass
    assert run.info.experiment_id == first.experiment_id


def test_set_experiment_refuses_a_deleted_experiment(tracking_dir: Path) -> None:
    exp = cairn.set_experiment("doomed")
    cairn.delete_experiment(exp.experiment_id)
    with pytest.raises(InvalidParameterValue, match="restore"):
        cairn.set_experiment("doomed")


def test_experiment_name_from_environment(
    tracking_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLFLOW_EXPERIMENT_NAME", "from-env")
    from cairn.tracking import fluent

    fluent._state.settings = None
    with cairn.start_run() as run:
        pass
    exp = cairn.get_experiment_by_name("from-env")
    assert exp is not None and run.info.experiment_id == exp.experiment_id


def test_search_runs_returns_a_dataframe_with_mlflow_columns(tracking_dir: Path) -> None:
    for lr in (0.1, 0.2, 0.3):
        with cairn.start_run():
            cairn.log_param("lr", lr)
            cairn.log_metric("acc", lr * 2)
    frame = cairn.search_runs(filter_string="metrics.acc > 0.3", order_by=["metrics.acc DESC"])
    assert list(frame["params.lr"]) == ["0.3", "0.2"]
    assert {"run_id", "status", "start_time", "metrics.acc", "tags.mlflow.runName"} <= set(
        frame.columns
    )
    runs = cairn.search_runs(output_format="list")
    assert len(runs) == 3


def test_search_runs_on_an_empty_experiment_gives_an_empty_frame(tracking_dir: Path) -> None:
    frame = cairn.search_runs()
    assert frame.empty and "run_id" in frame.columns


def test_search_experiments_lists_default_and_created(tracking_dir: Path) -> None:
    cairn.create_experiment("other")
    assert {e.name for e in cairn.search_experiments()} == {"Default", "other"}


def test_default_tracking_dir_holds_database_and_artifacts(tracking_dir: Path) -> None:
    with cairn.start_run():
        cairn.log_text("hello", "notes.txt")
    assert (tracking_dir / "cairn.db").is_file()
    assert list((tracking_dir / "artifacts").rglob("notes.txt"))


def test_client_without_uri_follows_set_tracking_uri(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    cairn.set_tracking_uri(str(target))
    assert cairn.CairnClient().tracking_uri == str(target)
