"""Asynchronous logging through the fluent API and the client: delivery, order, errors."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import cairn
from cairn.entities import Param, RunStatus
from cairn.errors import InvalidParameterValue, LoggingIncomplete
from cairn.tracking import fluent
from cairn.tracking.client import CairnClient


def _history(run_id: str, key: str) -> list[tuple[int, float]]:
    return [(p.step, p.value) for p in CairnClient().get_metric_history(run_id, key)]


def test_async_metrics_params_and_tags_arrive_in_order_per_key(tracking_dir: Path) -> None:
    keys = [f"layer{k}/loss" for k in range(20)]
    with cairn.start_run() as run:
        for step in range(500):
            for k, key in enumerate(keys):
                cairn.log_metric(key, step * 0.5 + k, step=step)
        cairn.log_metrics({"a": 1.0, "b": math.inf}, step=7)
        cairn.log_params({"lr": 0.01, "layers": 20})
        cairn.log_param("optimizer", "adam")
        cairn.set_tags({"team": "cv"})
        cairn.set_tag("stage", "one")
        cairn.set_tag("stage", "two")  # a later value wins, as with two blocking calls
    for k, key in enumerate(keys):
        assert _history(run.info.run_id, key) == [(s, s * 0.5 + k) for s in range(500)]
    data = cairn.get_run(run.info.run_id).data
    assert data.param_dict == {"lr": "0.01", "layers": "20", "optimizer": "adam"}
    assert {"team": "cv", "stage": "two"}.items() <= data.tag_dict.items()
    assert data.metric_dict["a"] == 1.0 and data.metric_dict["b"] > 1e308
    assert cairn.get_run(run.info.run_id).info.status is RunStatus.FINISHED


def test_reads_in_the_same_process_see_every_earlier_write(tracking_dir: Path) -> None:
    with cairn.start_run() as run:
        for step in range(1, 101):
            cairn.log_metric("acc", step / 100, step=step)
            cairn.set_tag("last", str(step))
            # no flush: a read waits for the queue first
            assert run.data.metric_dict["acc"] == step / 100
            assert run.data.tag_dict["last"] == str(step)
        frame = cairn.search_runs(output_format="list")
        assert frame[0].data.metric_dict == {"acc": 1.0}


def test_a_blocking_write_after_queued_ones_keeps_program_order(tracking_dir: Path) -> None:
    with cairn.start_run() as run:
        cairn.set_tag("temp", "x")
        cairn.delete_tag("temp")  # blocking: must not overtake the queued set_tag
        cairn.log_param("p", "1")
        cairn.log_param("p", "1", synchronous=True)  # same value: fine, and in order
    assert "temp" not in cairn.get_run(run.info.run_id).data.tag_dict


def test_changed_param_is_reported_at_end_run_and_nothing_else_is_lost(
    tracking_dir: Path,
) -> None:
    run_id = cairn.start_run().info.run_id
    cairn.log_param("lr", 0.1)
    cairn.flush()
    for step in range(50):
        cairn.log_metric("loss", 1.0 / (step + 1), step=step)
    cairn.log_param("lr", 0.2)  # refused by the store, but not here: training goes on
    cairn.log_param("momentum", 0.9)
    cairn.set_tag("kept", "yes")
    with pytest.raises(LoggingIncomplete) as caught:
        cairn.end_run()
    message = str(caught.value)
    assert run_id in message and "1 param " in message and "0 metric points" in message
    assert "Changing param values is not allowed" in message
    assert cairn.active_run() is None  # the run did end
    run = cairn.get_run(run_id)
    assert run.info.status is RunStatus.FINISHED
    assert run.data.param_dict == {"lr": "0.1", "momentum": "0.9"}
    assert run.data.tag_dict["kept"] == "yes"
    assert len(_history(run_id, "loss")) == 50
    cairn.flush()  # each loss is reported once


def test_logging_to_a_deleted_run_is_reported_at_flush_with_counts(tracking_dir: Path) -> None:
    client = CairnClient()
    run_id = client.create_run("0").info.run_id
    client.delete_run(run_id)
    for step in range(5):
        client.log_metric(run_id, "m", float(step), step=step, synchronous=False)
    client.log_param(run_id, "p", 1, synchronous=False)
    client.set_tag(run_id, "t", "v", synchronous=False)
    with pytest.raises(LoggingIncomplete, match="5 metric points, 1 param and 1 tag") as caught:
        cairn.flush()
    assert run_id in str(caught.value) and "active" in str(caught.value)


def test_client_logging_is_synchronous_by_default(tracking_dir: Path) -> None:
    client = CairnClient()
    run_id = client.create_run("0").info.run_id
    client.log_param(run_id, "p", "a")
    with pytest.raises(InvalidParameterValue, match="Changing param values"):
        client.log_param(run_id, "p", "b")
    client.log_batch(run_id, params=[Param("q", "1")], synchronous=False)
    client.flush()
    assert client.get_run(run_id).data.param_dict == {"p": "a", "q": "1"}


def test_synchronous_true_raises_at_the_call(tracking_dir: Path) -> None:
    with cairn.start_run():
        cairn.log_param("lr", 0.1, synchronous=True)
        with pytest.raises(InvalidParameterValue, match="Changing param values"):
            cairn.log_param("lr", 0.2, synchronous=True)
        with pytest.raises(InvalidParameterValue, match="Changing param values"):
            cairn.log_params({"lr": 0.3}, synchronous=True)


def test_async_logging_switched_off_raises_at_the_call(
    tracking_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAIRN_ASYNC_LOGGING", "false")
    fluent._state.settings = None
    with cairn.start_run() as run:
        cairn.log_param("lr", 0.1)
        with pytest.raises(InvalidParameterValue, match="Changing param values"):
            cairn.log_param("lr", 0.2)
        cairn.log_metric("m", 1.0, step=1)
        cairn.log_metric("m", 2.0, step=2, synchronous=False)  # opt back in per call
    assert _history(run.info.run_id, "m") == [(1, 1.0), (2, 2.0)]


def test_bad_arguments_raise_at_the_call_even_when_asynchronous(tracking_dir: Path) -> None:
    with cairn.start_run() as run:
        with pytest.raises(InvalidParameterValue, match="Invalid metric key"):
            cairn.log_metric("../escape", 1.0)
        with pytest.raises(InvalidParameterValue, match="must be a number"):
            cairn.log_metric("loss", "high")  # type: ignore[arg-type]
        with pytest.raises(InvalidParameterValue, match="integer"):
            cairn.log_metric("loss", 1.0, step=1.5)  # type: ignore[arg-type]
        with pytest.raises(InvalidParameterValue, match="tag key"):
            cairn.set_tags({"": "x"})
        cairn.log_metric("loss", 2, step=3)  # ints are numbers
    assert _history(run.info.run_id, "loss") == [(3, 2.0)]


def test_an_exception_in_the_run_keeps_its_type_and_losses_go_to_stderr(
    tracking_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ZeroDivisionError), cairn.start_run() as run:
        cairn.log_param("x", 1, synchronous=True)
        cairn.log_param("x", 2)
        _ = 1 / 0
    assert cairn.get_run(run.info.run_id).info.status is RunStatus.FAILED
    err = capsys.readouterr().err
    assert "1 param " in err and run.info.run_id in err
    cairn.flush()  # already reported on stderr: not raised again


def test_flush_with_nothing_logged_returns_at_once(tracking_dir: Path) -> None:
    cairn.flush()
    cairn.flush(timeout=0)
