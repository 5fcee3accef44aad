"""What the machine reads: CPU, memory, disk, network and NVIDIA GPUs, under MLflow's names.

Each sampler reads *now*; averaging over a logging window is the monitor's job
(:mod:`cairn.tracking.system_metrics`). The keys are MLflow's own
(``system/cpu_utilization_percentage``...), so MLflow's UI charts them and users' dashboards
keep working. psutil and pynvml (``cairn[gpu]``) are imported on first use, never at import.
"""

from __future__ import annotations

import functools
import importlib
import logging
import os
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any, Protocol

logger = logging.getLogger(__name__)

PREFIX = "system/"
CPU_UTILIZATION = "system/cpu_utilization_percentage"
MEMORY_USAGE_MB = "system/system_memory_usage_megabytes"
MEMORY_USAGE_PERCENT = "system/system_memory_usage_percentage"
DISK_USAGE_PERCENT = "system/disk_usage_percentage"
DISK_USAGE_MB = "system/disk_usage_megabytes"
DISK_AVAILABLE_MB = "system/disk_available_megabytes"
NETWORK_RECEIVE_MB = "system/network_receive_megabytes"
NETWORK_TRANSMIT_MB = "system/network_transmit_megabytes"

#: Running totals: a logging window reports their latest value, not the mean of the window.
RUNNING_TOTALS = frozenset({NETWORK_RECEIVE_MB, NETWORK_TRANSMIT_MB})
#: MLflow reports decimal megabytes (bytes / 1e6); we keep its unit so charts line up.
_MB = 1e6


def gpu_metric(index: int, name: str) -> str:
    """The key of one GPU's metric; MLflow numbers devices in NVML's order.

    >>> gpu_metric(0, "utilization_percentage")
    'system/gpu_0_utilization_percentage'
    """
    return f"{PREFIX}gpu_{index}_{name}"


class Sampler(Protocol):
    """One source of readings; the monitor averages them, so a sampler only reads *now*."""

    def sample(self) -> Mapping[str, float]: ...


def _psutil() -> ModuleType:
    # Imported here so neither `import cairn` nor this module's import loads psutil.
    return importlib.import_module("psutil")


class CpuSampler:
    """System-wide CPU busy share since the previous sample.

    Computed from our own ``cpu_times()`` deltas rather than ``psutil.cpu_percent()``, whose
    first call per thread returns a meaningless 0.0 and whose state other code can reset.
    The baseline is read here, so the first sample covers the time since construction.
    """

    def __init__(self) -> None:
        self._last = self._busy_and_total()

    @staticmethod
    def _busy_and_total() -> tuple[float, float]:
        fields: dict[str, float] = _psutil().cpu_times()._asdict()
        # Linux counts guest time inside user/nice too; psutil subtracts it the same way.
        total = sum(fields.values()) - fields.get("guest", 0.0) - fields.get("guest_nice", 0.0)
        idle = fields.get("idle", 0.0) + fields.get("iowait", 0.0)
        return total - idle, total

    def sample(self) -> dict[str, float]:
        busy, total = self._busy_and_total()
        d_busy, d_total = busy - self._last[0], total - self._last[1]
        self._last = (busy, total)
        percent = 100.0 * d_busy / d_total if d_total > 0 else 0.0
        return {CPU_UTILIZATION: min(100.0, max(0.0, percent))}


class MemorySampler:
    """Used system memory; the percentage is used/total, as MLflow computes it."""

    def sample(self) -> dict[str, float]:
        memory = _psutil().virtual_memory()
        return {
            MEMORY_USAGE_MB: memory.used / _MB,
            MEMORY_USAGE_PERCENT: 100.0 * memory.used / memory.total,
        }


class DiskSampler:
    """Usage of the file system holding ``path`` (the root by default, like MLflow).

    The path is read once here, so a mistyped one fails when the monitor starts, not later.
    """

    def __init__(self, path: str | os.PathLike[str] = os.sep) -> None:
        self._path = os.fspath(path)
        self.sample()

    def sample(self) -> dict[str, float]:
        usage = _psutil().disk_usage(self._path)
        return {
            DISK_USAGE_PERCENT: float(usage.percent),
            DISK_USAGE_MB: usage.used / _MB,
            DISK_AVAILABLE_MB: usage.free / _MB,
        }


class NetworkSampler:
    """Megabytes received and sent since this sampler was built (counters start at boot)."""

    def __init__(self) -> None:
        self._start = self._counters() or (0.0, 0.0)

    @staticmethod
    def _counters() -> tuple[float, float] | None:
        counters = _psutil().net_io_counters()
        if counters is None:  # a machine without network interfaces
            return None
        return counters.bytes_recv / _MB, counters.bytes_sent / _MB

    def sample(self) -> dict[str, float]:
        now = self._counters()
        if now is None:
            return {}
        return {
            NETWORK_RECEIVE_MB: now[0] - self._start[0],
            NETWORK_TRANSMIT_MB: now[1] - self._start[1],
        }


class GpuSampler:
    """Utilisation, memory and power of every NVIDIA GPU, through an initialised NVML.

    ``nvml`` is the ``pynvml`` module (passed in, so tests can hand a stand-in). A reading
    a device does not support (power on some boards) is skipped and reported once, while the
    other readings keep flowing.
    """

    def __init__(self, nvml: Any) -> None:
        self._nvml = nvml
        count = int(nvml.nvmlDeviceGetCount())
        self._handles = [nvml.nvmlDeviceGetHandleByIndex(i) for i in range(count)]
        self._reported: set[str] = set()

    @property
    def device_count(self) -> int:
        return len(self._handles)

    def _memory(self, i: int, handle: Any) -> dict[str, float]:
        memory = self._nvml.nvmlDeviceGetMemoryInfo(handle)
        return {
            gpu_metric(i, "memory_usage_percentage"): 100.0 * memory.used / memory.total,
            gpu_metric(i, "memory_usage_megabytes"): memory.used / _MB,
        }

    def _utilization(self, i: int, handle: Any) -> dict[str, float]:
        rates = self._nvml.nvmlDeviceGetUtilizationRates(handle)
        return {gpu_metric(i, "utilization_percentage"): float(rates.gpu)}

    def _power(self, i: int, handle: Any) -> dict[str, float]:
        milliwatts = float(self._nvml.nvmlDeviceGetPowerUsage(handle))
        limit = float(self._nvml.nvmlDeviceGetEnforcedPowerLimit(handle))
        readings = {gpu_metric(i, "power_usage_watts"): milliwatts / 1000}
        if limit > 0:
            readings[gpu_metric(i, "power_usage_percentage")] = 100.0 * milliwatts / limit
        return readings

    def sample(self) -> dict[str, float]:
        readings: dict[str, float] = {}
        for i, handle in enumerate(self._handles):
            for read in (self._memory, self._utilization, self._power):
                try:
                    readings.update(read(i, handle))
                except self._nvml.NVMLError as exc:
                    what = f"gpu {i} {read.__name__.strip('_')}"
                    if what not in self._reported:
                        self._reported.add(what)
                        logger.warning("No %s readings (%s); not reported again.", what, exc)
        return readings


def gpu_sampler() -> GpuSampler | None:
    """A GPU sampler when pynvml (``cairn[gpu]``) and an NVIDIA GPU are there, else None."""
    try:
        nvml = importlib.import_module("pynvml")
    except ImportError:
        logger.debug("pynvml is not installed (pip install 'cairn[gpu]'): no GPU metrics.")
        return None
    try:
        nvml.nvmlInit()
        sampler = GpuSampler(nvml)
    except Exception as exc:  # NVMLError, or OSError when libnvidia-ml cannot be loaded
        logger.debug("NVML is unavailable (%s): no GPU metrics.", exc)
        return None
    return sampler if sampler.device_count else None


def default_samplers(disk_path: str | os.PathLike[str] = os.sep) -> list[Sampler]:
    """CPU, memory, disk, network and, where present, GPU: MLflow's set of system metrics.

    A source this machine cannot read (no ``/proc`` in a locked-down container) is left out
    with a warning instead of failing the run that asked for metrics.
    """
    factories: dict[str, Callable[[], Sampler | None]] = {
        "CPU": CpuSampler,
        "memory": MemorySampler,
        "disk": functools.partial(DiskSampler, disk_path),
        "network": NetworkSampler,
        "GPU": gpu_sampler,
    }
    samplers: list[Sampler] = []
    for what, factory in factories.items():
        try:
            sampler = factory()
        except Exception as exc:
            logger.warning("No %s system metrics: %s", what, exc, exc_info=True)
            continue
        if sampler is not None:
            samplers.append(sampler)
    return samplers
