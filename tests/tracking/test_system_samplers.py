"""The samplers read the real machine through psutil; NVML gets a stand-in (no GPU here)."""

from __future__ import annotations

import doctest
import logging
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from cairn.tracking import system_samplers
from cairn.tracking.system_samplers import (
    CPU_UTILIZATION,
    NETWORK_RECEIVE_MB,
    NETWORK_TRANSMIT_MB,
    CpuSampler,
    DiskSampler,
    GpuSampler,
    MemorySampler,
    NetworkSampler,
    default_samplers,
    gpu_sampler,
)

LOGGER = "cairn.tracking.system_samplers"


def test_cpu_reading_covers_the_time_since_the_previous_one() -> None:
    sampler = CpuSampler()
    deadline = time.monotonic() + 0.2
    while time.monotonic() < deadline:  # keep one core busy
        pass

    busy = sampler.sample()[CPU_UTILIZATION]

    assert 0.0 < busy <= 100.0


def test_network_totals_start_near_zero_and_never_go_negative() -> None:
    sampler = NetworkSampler()
    readings = sampler.sample()
    if not readings:  # a machine without network interfaces reports nothing
        return
    assert 0.0 <= readings[NETWORK_RECEIVE_MB] < 100.0
    assert 0.0 <= readings[NETWORK_TRANSMIT_MB] < 100.0


def test_disk_sampler_reads_the_given_path(tmp_path: Path) -> None:
    readings = DiskSampler(tmp_path).sample()
    assert 0.0 <= readings["system/disk_usage_percentage"] <= 100.0


def test_a_source_that_cannot_start_is_left_out_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "pynvml", None)
    caplog.set_level(logging.WARNING, LOGGER)

    samplers = default_samplers(disk_path=tmp_path / "missing")

    assert [type(s) for s in samplers] == [CpuSampler, MemorySampler, NetworkSampler]
    assert [r.getMessage().split(":")[0] for r in caplog.records] == ["No disk system metrics"]


def test_no_pynvml_means_no_gpu_sampler_and_no_error(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, LOGGER)
    monkeypatch.setitem(sys.modules, "pynvml", None)  # what a missing cairn[gpu] looks like

    assert gpu_sampler() is None
    assert not any(isinstance(s, GpuSampler) for s in default_samplers())
    messages = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert len(messages) == 2  # one debug line per attempt, nothing louder
    assert all(r.levelno == logging.DEBUG for r in caplog.records if r.name == LOGGER)
    assert "cairn[gpu]" in messages[0]


class FakeNvml:
    """Stands in for pynvml (not installed here): two devices, the second without power."""

    class NVMLError(Exception):
        pass

    def __init__(self, init_error: bool = False) -> None:
        self.inits = 0
        self._init_error = init_error

    def nvmlInit(self) -> None:
        if self._init_error:
            raise self.NVMLError("Driver Not Loaded")
        self.inits += 1

    def nvmlDeviceGetCount(self) -> int:
        return 2

    def nvmlDeviceGetHandleByIndex(self, i: int) -> int:
        return i

    def nvmlDeviceGetMemoryInfo(self, h: int) -> SimpleNamespace:
        return SimpleNamespace(used=2_000_000_000, total=8_000_000_000)

    def nvmlDeviceGetUtilizationRates(self, h: int) -> SimpleNamespace:
        return SimpleNamespace(gpu=70 + h)

    def nvmlDeviceGetPowerUsage(self, h: int) -> int:
        if h == 1:
            raise self.NVMLError("Not Supported")
        return 150_000

    def nvmlDeviceGetEnforcedPowerLimit(self, h: int) -> int:
        return 300_000


def test_gpu_sampler_reports_mlflow_names_and_skips_unsupported_readings(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, LOGGER)
    sampler = GpuSampler(FakeNvml())

    first, second = sampler.sample(), sampler.sample()

    assert (
        first
        == second
        == {
            "system/gpu_0_memory_usage_percentage": 25.0,
            "system/gpu_0_memory_usage_megabytes": 2000.0,
            "system/gpu_0_utilization_percentage": 70.0,
            "system/gpu_0_power_usage_watts": 150.0,
            "system/gpu_0_power_usage_percentage": 50.0,
            "system/gpu_1_memory_usage_percentage": 25.0,
            "system/gpu_1_memory_usage_megabytes": 2000.0,
            "system/gpu_1_utilization_percentage": 71.0,
        }
    )
    assert [r.getMessage() for r in caplog.records] == [
        "No gpu 1 power readings (Not Supported); not reported again."
    ]


def test_gpu_sampler_is_none_when_nvml_cannot_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pynvml", FakeNvml(init_error=True))
    assert gpu_sampler() is None

    working = FakeNvml()
    monkeypatch.setitem(sys.modules, "pynvml", working)
    sampler = gpu_sampler()
    assert sampler is not None and sampler.device_count == 2 and working.inits == 1


def test_module_docstring_examples_run() -> None:
    result = doctest.testmod(system_samplers, raise_on_error=True)
    assert result.attempted > 0
