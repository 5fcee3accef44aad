"""Opt-in sampling of system metrics into a run, on a daemon thread, as MLflow does.

Every ``interval`` seconds each sampler (:mod:`cairn.tracking.system_samplers`) is read;
after ``samples_before_logging`` samples the per-metric average goes to a
``log(metrics, step)`` callback. A tracker must never kill training: a failing sampler or
``log`` callback is reported once through :mod:`logging` and the thread carries on, and
``stop()`` says how many batches were lost. Importing this module (to read the settings at
every ``start_run``) loads neither psutil nor pynvml.

>>> import time
>>> batches = []
>>> monitor = SystemMetricsMonitor(lambda metrics, step: batches.append(step), interval=0.01)
>>> with monitor:
...     while not batches:
...         time.sleep(0.01)
>>> batches[0]
0
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from statistics import fmean
from types import TracebackType

from cairn.entities import Metric
from cairn.errors import InvalidParameterValue
from cairn.tracking.system_samplers import RUNNING_TOTALS, Sampler, default_samplers

logger = logging.getLogger(__name__)

ENABLE_VARS = ("CAIRN_ENABLE_SYSTEM_METRICS_LOGGING", "MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING")
INTERVAL_VARS = (
    "CAIRN_SYSTEM_METRICS_SAMPLING_INTERVAL",
    "MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL",
)
SAMPLES_VARS = (
    "CAIRN_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING",
    "MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING",
)
DEFAULT_INTERVAL = 10.0
DEFAULT_SAMPLES_BEFORE_LOGGING = 1

#: How long ``stop()`` waits for a sample or ``log`` call already in flight.
_STOP_TIMEOUT = 5.0


class SystemMetricsMonitor:
    """Samples system metrics on a daemon thread and logs window averages through ``log``.

    ``log(metrics, step)`` gets one dict per window of ``samples_before_logging`` samples;
    ``step`` counts windows from 0. Without ``samplers``, :func:`default_samplers` are built
    at ``start()``, so network totals and the first CPU reading count from the start.
    A monitor runs once; it is also a context manager.
    """

    def __init__(
        self,
        log: Callable[[dict[str, float], int], None],
        interval: float = DEFAULT_INTERVAL,
        samples_before_logging: int = DEFAULT_SAMPLES_BEFORE_LOGGING,
        samplers: Sequence[Sampler] | None = None,
    ) -> None:
        if not (math.isfinite(interval) and interval > 0):
            raise InvalidParameterValue(f"interval must be a positive number (got {interval}).")
        if samples_before_logging < 1:
            raise InvalidParameterValue(
                f"samples_before_logging must be at least 1 (got {samples_before_logging})."
            )
        self._log = log
        self._interval = float(interval)
        self._samples_before_logging = samples_before_logging
        self._samplers = list(samplers) if samplers is not None else None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._reported: set[str] = set()
        self._batches = 0
        self._failed_batches = 0

    def start(self) -> None:
        """Start sampling; a second call while running does nothing."""
        if self._stopping.is_set():
            raise RuntimeError("A SystemMetricsMonitor runs once; create a new one.")
        if self._thread is not None:
            return
        samplers = self._samplers if self._samplers is not None else default_samplers()
        self._thread = threading.Thread(
            target=self._run, args=(samplers,), name="cairn-system-metrics", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop at once (the thread waits on an event, never sleeps) and report lost batches.

        Samples of an unfinished window are dropped, as MLflow does; a ``log`` call in flight
        gets a few seconds to finish, after which the daemon thread is left to end on its own.
        """
        thread = self._thread
        if thread is None or self._stopping.is_set():
            self._stopping.set()
            return
        self._stopping.set()
        thread.join(_STOP_TIMEOUT)
        if thread.is_alive():
            logger.warning(
                "System metrics thread still busy after %ss; not waiting.", _STOP_TIMEOUT
            )
        if self._failed_batches:
            logger.warning(
                "%d of %d system metrics batches could not be logged.",
                self._failed_batches,
                self._batches,
            )

    def __enter__(self) -> SystemMetricsMonitor:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self, samplers: Sequence[Sampler]) -> None:
        window: dict[str, list[float]] = {}
        samples = 0
        step = 0
        while not self._stopping.wait(self._interval):
            for sampler in samplers:
                self._collect(sampler, window)
            samples += 1
            if samples < self._samples_before_logging:
                continue
            metrics = _aggregate(window)
            window, samples = {}, 0
            if metrics:
                self._deliver(metrics, step)
                step += 1

    def _collect(self, sampler: Sampler, window: dict[str, list[float]]) -> None:
        try:
            readings = sampler.sample()
        except Exception:
            self._report_once(f"sampler {type(sampler).__name__}")
            return
        for key, value in readings.items():
            window.setdefault(key, []).append(float(value))

    def _deliver(self, metrics: dict[str, float], step: int) -> None:
        self._batches += 1
        try:
            self._log(metrics, step)
        except Exception:
            self._failed_batches += 1
            self._report_once("log callback")

    def _report_once(self, source: str) -> None:
        """Warn with the traceback the first time ``source`` fails; later failures are quiet."""
        if source in self._reported:
            logger.debug("System metrics %s failed again.", source, exc_info=True)
            return
        self._reported.add(source)
        logger.warning(
            "System metrics %s failed; sampling goes on, further failures are not reported.",
            source,
            exc_info=True,
        )


def _aggregate(window: Mapping[str, list[float]]) -> dict[str, float]:
    """Mean of each metric over the window; running totals keep their latest value."""
    return {
        key: values[-1] if key in RUNNING_TOTALS else fmean(values)
        for key, values in window.items()
        if values
    }


def _env_value(env: Mapping[str, str] | None, names: Sequence[str]) -> tuple[str, str] | None:
    """The first of ``names`` set to a non-blank value: CAIRN_ wins over its MLFLOW_ twin."""
    env = os.environ if env is None else env
    for name in names:
        raw = env.get(name, "").strip()
        if raw:
            return name, raw
    return None


def enabled_from_env(env: Mapping[str, str] | None = None) -> bool:
    """Whether runs log system metrics by default (``CAIRN_ENABLE_SYSTEM_METRICS_LOGGING``)."""
    found = _env_value(env, ENABLE_VARS)
    if found is None:
        return False
    name, raw = found
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise InvalidParameterValue(f"{name} must be 'true' or 'false' (got {raw[:50]!r}).")


def interval_from_env(env: Mapping[str, str] | None = None) -> float:
    """Seconds between samples (``CAIRN_SYSTEM_METRICS_SAMPLING_INTERVAL``, default 10)."""
    found = _env_value(env, INTERVAL_VARS)
    if found is None:
        return DEFAULT_INTERVAL
    name, raw = found
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise InvalidParameterValue(
            f"{name} must be a positive number of seconds (got {raw[:50]!r})."
        )
    return value


def samples_before_logging_from_env(env: Mapping[str, str] | None = None) -> int:
    """Samples averaged per logged step (``CAIRN_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING``)."""
    found = _env_value(env, SAMPLES_VARS)
    if found is None:
        return DEFAULT_SAMPLES_BEFORE_LOGGING
    name, raw = found
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise InvalidParameterValue(f"{name} must be a whole number >= 1 (got {raw[:50]!r}).")
    return value


def monitor_run(
    log_batch: Callable[[str, list[Metric]], None], run_id: str
) -> SystemMetricsMonitor:
    """A started monitor that logs into ``run_id`` through ``log_batch(run_id, metrics)``
    (the fluent API passes its asynchronous queue, so sampling never waits on the store)."""

    def log(metrics: dict[str, float], step: int) -> None:
        now = int(time.time() * 1000)
        log_batch(run_id, [Metric(k, v, now, step) for k, v in metrics.items()])

    monitor = SystemMetricsMonitor(
        log, interval=interval_from_env(), samples_before_logging=samples_before_logging_from_env()
    )
    monitor.start()
    return monitor
