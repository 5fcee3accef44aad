"""start_run(log_system_metrics=...) samples system metrics into the run until it ends."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import cairn


@pytest.fixture(autouse=True)
def fast_sampling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAIRN_SYSTEM_METRICS_SAMPLING_INTERVAL", "0.05")
    monkeypatch.delenv("CAIRN_ENABLE_SYSTEM_METRICS_LOGGING", raising=False)
    monkeypatch.delenv("MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING", raising=False)


MEMORY = "system/system_memory_usage_megabytes"


def _wait_for_points(run_id: str, key: str, count: int, timeout: float = 30.0) -> None:
    """Poll (reads flush the queue) instead of sleeping a fixed time: a busy machine may
    sample late, but the test only fails if nothing arrives at all."""
    deadline = time.monotonic() + timeout
    while len(cairn.CairnClient().get_metric_history(run_id, key)) < count:
        assert time.monotonic() < deadline, f"fewer than {count} '{key}' points in {timeout} s"
        time.sleep(0.02)


def _system_keys(run_id: str) -> set[str]:
    metrics = cairn.get_run(run_id).data.metric_dict
    return {k for k in metrics if k.startswith("system/")}


def test_run_with_system_metrics_gets_cpu_and_memory_series(tracking_dir: Path) -> None:
    with cairn.start_run(log_system_metrics=True) as run:
        _wait_for_points(run.info.run_id, MEMORY, 2)
    keys = _system_keys(run.info.run_id)
    assert {"system/cpu_utilization_percentage", "system/system_memory_usage_megabytes"} <= keys
    history = cairn.CairnClient().get_metric_history(run.info.run_id, MEMORY)
    assert len(history) >= 2 and [m.step for m in history] == list(range(len(history)))


def test_monitor_stops_with_the_run(tracking_dir: Path) -> None:
    with cairn.start_run(log_system_metrics=True) as run:
        _wait_for_points(run.info.run_id, "system/disk_usage_percentage", 1)
    count = len(
        cairn.CairnClient().get_metric_history(run.info.run_id, "system/disk_usage_percentage")
    )
    time.sleep(0.3)  # six sampling intervals: a monitor still running would log more
    after = cairn.CairnClient().get_metric_history(run.info.run_id, "system/disk_usage_percentage")
    assert len(after) == count


def test_system_metrics_are_off_by_default(tracking_dir: Path) -> None:
    with cairn.start_run() as run:
        time.sleep(0.2)
    assert _system_keys(run.info.run_id) == set()


def test_environment_and_process_switch_turn_it_on(
    tracking_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAIRN_ENABLE_SYSTEM_METRICS_LOGGING", "true")
    with cairn.start_run() as run:
        _wait_for_points(run.info.run_id, MEMORY, 1)
    assert _system_keys(run.info.run_id)
    cairn.disable_system_metrics_logging()  # wins over the environment
    with cairn.start_run() as quiet:
        time.sleep(0.2)
    assert _system_keys(quiet.info.run_id) == set()
