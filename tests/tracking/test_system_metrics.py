"""System metrics: real psutil readings, scripted samplers for the exact averaging rules."""

from __future__ import annotations

import doctest
import logging
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from cairn.errors import InvalidParameterValue
from cairn.tracking import system_metrics as sm
from cairn.tracking.system_metrics import (
    SystemMetricsMonitor,
    enabled_from_env,
    interval_from_env,
    samples_before_logging_from_env,
)
from cairn.tracking.system_samplers import (
    CPU_UTILIZATION,
    DISK_AVAILABLE_MB,
    DISK_USAGE_MB,
    DISK_USAGE_PERCENT,
    MEMORY_USAGE_MB,
    MEMORY_USAGE_PERCENT,
    NETWORK_RECEIVE_MB,
    NETWORK_TRANSMIT_MB,
)

LOGGER = "cairn.tracking.system_metrics"
HOST_KEYS = {
    CPU_UTILIZATION,
    MEMORY_USAGE_MB,
    MEMORY_USAGE_PERCENT,
    DISK_USAGE_PERCENT,
    DISK_USAGE_MB,
    DISK_AVAILABLE_MB,
    NETWORK_RECEIVE_MB,
    NETWORK_TRANSMIT_MB,
}


class Recorder:
    """A ``log`` callback that keeps every batch and lets a test wait for the n-th one."""

    def __init__(self, fail: bool = False) -> None:
        self.batches: list[tuple[dict[str, float], int]] = []
        self.calls = 0
        self.fail = fail
        self._changed = threading.Condition()

    def __call__(self, metrics: dict[str, float], step: int) -> None:
        with self._changed:
            self.calls += 1
            self.batches.append((metrics, step))
            self._changed.notify_all()
        if self.fail:
            raise ConnectionError("tracking server down")

    def wait_for(self, calls: int, timeout: float = 10.0) -> None:
        with self._changed:
            assert self._changed.wait_for(lambda: self.calls >= calls, timeout), self.calls


class Scripted:
    """Returns the scripted readings in turn, then nothing (so the monitor stops logging)."""

    def __init__(self, *readings: Mapping[str, float]) -> None:
        self._readings = list(readings)

    def sample(self) -> Mapping[str, float]:
        return self._readings.pop(0) if self._readings else {}


class Broken:
    def sample(self) -> Mapping[str, float]:
        raise OSError("sensor unplugged")


def _run(monitor: SystemMetricsMonitor, until: Callable[[], None]) -> None:
    with monitor:
        until()


def test_default_samplers_log_host_metrics_in_sane_ranges(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pynvml", None)  # no cairn[gpu]: host keys only
    log = Recorder()
    _run(SystemMetricsMonitor(log, interval=0.05), lambda: log.wait_for(3))

    assert [step for _, step in log.batches[:3]] == [0, 1, 2]
    for metrics, _ in log.batches:
        assert metrics.keys() == HOST_KEYS
        for key in (CPU_UTILIZATION, MEMORY_USAGE_PERCENT, DISK_USAGE_PERCENT):
            assert 0.0 <= metrics[key] <= 100.0, key
        assert metrics[MEMORY_USAGE_MB] > 0
        assert metrics[DISK_USAGE_MB] > 0
        assert metrics[DISK_AVAILABLE_MB] >= 0
        assert metrics[NETWORK_RECEIVE_MB] >= 0
        assert metrics[NETWORK_TRANSMIT_MB] >= 0


def test_a_window_logs_the_mean_of_its_samples() -> None:
    log = Recorder()
    sampler = Scripted({"a": 1.0, "b": 10.0}, {"a": 2.0}, {"a": 6.0, "b": 20.0}, {"a": 10.0})
    monitor = SystemMetricsMonitor(log, interval=0.01, samples_before_logging=2, samplers=[sampler])
    _run(monitor, lambda: log.wait_for(2))
    time.sleep(0.1)  # the script is spent: no further window may produce a batch

    assert log.batches == [({"a": 1.5, "b": 10.0}, 0), ({"a": 8.0, "b": 20.0}, 1)]


def test_running_totals_log_their_latest_value_not_the_mean() -> None:
    log = Recorder()
    sampler = Scripted({NETWORK_RECEIVE_MB: 1.0}, {NETWORK_RECEIVE_MB: 4.0})
    monitor = SystemMetricsMonitor(log, interval=0.01, samples_before_logging=2, samplers=[sampler])
    _run(monitor, lambda: log.wait_for(1))

    assert log.batches == [({NETWORK_RECEIVE_MB: 4.0}, 0)]


def test_stop_returns_promptly_even_with_a_long_interval() -> None:
    monitor = SystemMetricsMonitor(Recorder(), interval=10.0, samplers=[Scripted()])
    monitor.start()
    started = time.monotonic()
    monitor.stop()

    assert time.monotonic() - started < 5.0  # far below the 10 s interval, even on a busy box
    assert not any(t.name == "cairn-system-metrics" for t in threading.enumerate())


def test_a_failing_sampler_is_reported_once_and_the_others_keep_logging(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, LOGGER)
    log = Recorder()
    steady = Scripted(*({"ok": float(i)} for i in range(5)))
    _run(
        SystemMetricsMonitor(log, interval=0.01, samplers=[Broken(), steady]),
        lambda: log.wait_for(4),
    )

    assert [m for m, _ in log.batches[:4]] == [{"ok": 0.0}, {"ok": 1.0}, {"ok": 2.0}, {"ok": 3.0}]
    warnings = [r for r in caplog.records if r.name == LOGGER]
    assert len(warnings) == 1
    assert "sampler Broken failed" in warnings[0].getMessage()
    assert warnings[0].exc_info is not None


def test_a_failing_log_callback_is_reported_once_and_counted_at_stop(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, LOGGER)
    log = Recorder(fail=True)
    monitor = SystemMetricsMonitor(log, interval=0.01, samplers=[Scripted(*[{"x": 1.0}] * 3)])
    monitor.start()
    log.wait_for(3)
    running = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    monitor.stop()

    assert [step for _, step in log.batches] == [0, 1, 2]
    assert len(running) == 1
    assert "log callback failed" in running[0]
    summary = [r.getMessage() for r in caplog.records if r.name == LOGGER][1:]
    assert summary == ["3 of 3 system metrics batches could not be logged."]


def test_a_monitor_runs_once() -> None:
    monitor = SystemMetricsMonitor(Recorder(), interval=10.0, samplers=[])
    monitor.start()
    monitor.start()  # already running: nothing happens
    monitor.stop()
    monitor.stop()
    with pytest.raises(RuntimeError, match="runs once"):
        monitor.start()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"interval": 0.0}, "interval must be a positive number"),
        ({"interval": float("nan")}, "interval must be a positive number"),
        ({"samples_before_logging": 0}, "samples_before_logging must be at least 1"),
    ],
)
def test_monitor_rejects_bad_settings(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidParameterValue, match=message):
        SystemMetricsMonitor(Recorder(), **kwargs)


def test_env_defaults_when_nothing_is_set() -> None:
    assert enabled_from_env({}) is False
    assert interval_from_env({}) == 10.0
    assert samples_before_logging_from_env({}) == 1


def test_env_cairn_names_win_over_mlflow_twins_which_still_work() -> None:
    env = {
        "CAIRN_ENABLE_SYSTEM_METRICS_LOGGING": "false",
        "MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING": "true",
        "CAIRN_SYSTEM_METRICS_SAMPLING_INTERVAL": " 2.5 ",
        "MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL": "7",
        "CAIRN_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING": "",  # blank counts as unset
        "MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING": "3",
    }
    assert enabled_from_env(env) is False
    assert interval_from_env(env) == 2.5
    assert samples_before_logging_from_env(env) == 3
    assert enabled_from_env({"MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING": "TRUE"}) is True
    assert enabled_from_env({"CAIRN_ENABLE_SYSTEM_METRICS_LOGGING": "1"}) is True


@pytest.mark.parametrize(
    ("read", "name", "value", "expected"),
    [
        (enabled_from_env, "CAIRN_ENABLE_SYSTEM_METRICS_LOGGING", "maybe", "'true' or 'false'"),
        (interval_from_env, "MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL", "fast", "positive number"),
        (interval_from_env, "CAIRN_SYSTEM_METRICS_SAMPLING_INTERVAL", "0", "positive number"),
        (interval_from_env, "CAIRN_SYSTEM_METRICS_SAMPLING_INTERVAL", "inf", "positive number"),
        (
            samples_before_logging_from_env,
            "CAIRN_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING",
            "2.5",
            "whole number >= 1",
        ),
        (
            samples_before_logging_from_env,
            "MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING",
            "0",
            "whole number >= 1",
        ),
    ],
)
def test_env_bad_values_name_the_variable_and_what_it_expects(
    read: Callable[[Mapping[str, str]], object], name: str, value: str, expected: str
) -> None:
    with pytest.raises(InvalidParameterValue) as caught:
        read({name: value})
    assert name in caught.value.message
    assert expected in caught.value.message
    assert repr(value) in caught.value.message


def test_env_helpers_read_the_process_environment_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL", "0.5")
    assert interval_from_env() == 0.5


def test_importing_the_module_loads_neither_psutil_nor_pynvml() -> None:
    code = (
        "import sys, cairn, cairn.tracking.system_metrics\n"
        "print([m for m in ('psutil', 'pynvml') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_module_docstring_example_runs() -> None:
    result = doctest.testmod(sm, raise_on_error=True)
    assert result.attempted > 0
