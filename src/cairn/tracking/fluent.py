"""The fluent API: one active run per thread, one line per thing to log.

State (tracking URI, active experiment, run stack) lives in this module, as in MLflow, so
``cairn.log_metric("loss", 0.1)`` needs no handles. Each thread has its own run stack; the
tracking URI and experiment are process-wide.

Metrics, params and tags are logged asynchronously by default (queued, then batched to the
store by a background thread); ``end_run`` and ``flush`` wait for delivery and report what
could not be stored. See docs/logging.md.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Any

from cairn.config import Settings, settings_from_env
from cairn.entities import Experiment, LifecycleStage, Run, RunStatus
from cairn.errors import InvalidParameterValue
from cairn.tracking import context, system_metrics
from cairn.tracking._current import (
    current_registry_uri,
    current_uri,
    set_current_registry_uri,
    set_current_uri,
)
from cairn.tracking.client import CairnClient
from cairn.tracking.delivery import AsyncLogger, registry

DEFAULT_EXPERIMENT_ID = "0"


@dataclass
class _State:
    experiment_id: str | None = None
    settings: Settings | None = None
    last_run_id: str | None = None
    local: threading.local = field(default_factory=threading.local)
    #: (tracking URI, settings, async by default, logger) for the fast logging path.
    sink: tuple[str | None, Settings, bool, AsyncLogger] | None = None
    #: enable/disable_system_metrics_logging(); None follows the environment.
    system_metrics: bool | None = None

    def stack(self) -> list[ActiveRun]:
        if not hasattr(self.local, "runs"):
            self.local.runs = []
        runs: list[ActiveRun] = self.local.runs
        return runs


_state = _State()


def _settings() -> Settings:
    if _state.settings is None:
        _state.settings = settings_from_env()
    return _state.settings


def client() -> CairnClient:
    """The client for the current tracking URI (cheap: stores are cached per URI)."""
    return CairnClient(get_tracking_uri(), settings=_settings())


def async_logger(synchronous: bool | None) -> AsyncLogger | None:
    """The logger a fluent logging call queues to, or None when the call is synchronous.

    On every ``log_metric``'s path, so the answer is cached until the tracking URI or the
    settings change: two identity checks instead of a client and a settings lookup.
    """
    if synchronous:
        return None
    sink = _state.sink
    if (
        sink is None
        or sink[0] is not current_uri()
        or sink[1] is not _state.settings
        or sink[3].closed
    ):
        settings = _settings()
        sink = (current_uri(), settings, settings.async_logging, client().async_logger())
        _state.sink = sink
    if synchronous is None and not sink[2]:
        return None
    return sink[3]


def flush(timeout: float | None = None) -> None:
    """Block until everything logged asynchronously in this process is stored.

    Raises ``LoggingIncomplete`` saying what could not be delivered (each loss is reported
    once), or what is still queued when ``timeout`` seconds pass first.

    >>> cairn.log_metric("loss", 0.1)  # doctest: +SKIP
    >>> cairn.flush()  # doctest: +SKIP
    """
    registry.flush(timeout=timeout, every=True)


class ActiveRun:
    """What ``start_run`` returns; ending the ``with`` block ends the run.

    The run ends FINISHED, FAILED when the block raises, KILLED on KeyboardInterrupt.
    """

    def __init__(self, run: Run) -> None:
        self._run = run
        self.system_metrics: system_metrics.SystemMetricsMonitor | None = None

    @property
    def info(self) -> Any:
        return self._run.info

    @property
    def data(self) -> Any:
        return client().get_run(self._run.info.run_id).data

    def __enter__(self) -> ActiveRun:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            status = RunStatus.FINISHED
        elif issubclass(exc_type, KeyboardInterrupt):
            status = RunStatus.KILLED
        else:
            status = RunStatus.FAILED
        if self in _state.stack():
            # an exception already propagates: losses go to stderr instead of replacing it
            _end_run(status, raise_losses=exc_type is None)


def set_tracking_uri(uri: str | None) -> None:
    """Point the fluent API (and ``CairnClient()`` without a URI) at a store: a directory,
    ``sqlite:///...``, ``postgresql://...`` or a server's ``http(s)://`` URL."""
    set_current_uri(str(uri) if uri is not None else None)


def get_tracking_uri() -> str | None:
    return current_uri() or _settings().tracking_uri


def set_registry_uri(uri: str | None) -> None:
    """Keep registered models somewhere other than the tracking URI (a server's URL or a
    local store); None goes back to ``CAIRN_REGISTRY_URI``, else the tracking URI."""
    set_current_registry_uri(str(uri) if uri is not None else None)


def get_registry_uri() -> str | None:
    """Where the registry is: the URI set above, ``CAIRN_REGISTRY_URI`` /
    ``MLFLOW_REGISTRY_URI``, or else the tracking URI (None = the embedded default)."""
    return current_registry_uri() or _settings().registry_uri or get_tracking_uri()


def set_experiment(
    experiment_name: str | None = None, experiment_id: str | None = None
) -> Experiment:
    """Make an experiment active, creating it by name when it does not exist."""
    if (experiment_name is None) == (experiment_id is None):
        raise InvalidParameterValue("Give exactly one of experiment_name or experiment_id.")
    c = client()
    if experiment_id is not None:
        exp = c.get_experiment(str(experiment_id))
    else:
        assert experiment_name is not None
        found = c.get_experiment_by_name(experiment_name)
        exp = found or c.get_experiment(c.create_experiment(experiment_name))
    if exp.lifecycle_stage is LifecycleStage.DELETED:
        raise InvalidParameterValue(
            f"Experiment '{exp.name}' is deleted. Restore it with "
            f"`cairn experiments restore {exp.experiment_id}` or pick another name."
        )
    _state.experiment_id = exp.experiment_id
    return exp


def _active_experiment_id() -> str:
    if _state.experiment_id is not None:
        return _state.experiment_id
    settings = _settings()
    if settings.experiment_id:
        return settings.experiment_id
    if settings.experiment_name:
        return set_experiment(settings.experiment_name).experiment_id
    return DEFAULT_EXPERIMENT_ID


def _resume(run_id: str) -> Run:
    c = client()
    run = c.get_run(run_id)
    if run.info.lifecycle_stage is LifecycleStage.DELETED:
        raise InvalidParameterValue(f"Cannot resume run {run_id}: it is deleted.")
    c.update_run(run_id, status=RunStatus.RUNNING)
    return c.get_run(run_id)


def start_run(
    run_id: str | None = None,
    experiment_id: str | None = None,
    run_name: str | None = None,
    nested: bool = False,
    tags: Mapping[str, Any] | None = None,
    description: str | None = None,
    log_system_metrics: bool | None = None,
) -> ActiveRun:
    """Start (or with ``run_id`` resume) a run and make it active; use it as a context manager.

    ``log_system_metrics`` samples CPU, memory, disk, network and GPU into ``system/...``
    metrics until the run ends; None follows ``CAIRN_ENABLE_SYSTEM_METRICS_LOGGING`` (or
    ``enable_system_metrics_logging()``).

    >>> with start_run(run_name="baseline") as run:  # doctest: +SKIP
    ...     log_metric("loss", 0.1)
    """
    stack = _state.stack()
    if stack and not nested:
        raise InvalidParameterValue(
            f"Run {stack[-1].info.run_id} is already active. End it with cairn.end_run(), or "
            "start a nested run with start_run(nested=True)."
        )
    if run_id is None and not stack and _settings().run_id:
        run_id = _settings().run_id
        # like MLFLOW_RUN_ID: the variable resumes one run, not every later one
        _state.settings = replace(_settings(), run_id=None)
    if run_id:
        run = _resume(run_id)
    else:
        all_tags = context.run_context_tags(_settings())
        all_tags.update({k: str(v) for k, v in (tags or {}).items()})
        if stack:
            all_tags[context.PARENT_RUN_ID] = stack[-1].info.run_id
        if description:
            all_tags[context.NOTE] = description
        exp_id = str(experiment_id) if experiment_id is not None else _active_experiment_id()
        run = client().create_run(exp_id, tags=all_tags, run_name=run_name)
    active = ActiveRun(run)
    if _system_metrics_wanted(log_system_metrics):
        c = client()
        active.system_metrics = system_metrics.monitor_run(
            lambda rid, metrics: c.log_batch(rid, metrics, synchronous=False), run.info.run_id
        )
    stack.append(active)
    return active


def _system_metrics_wanted(asked: bool | None) -> bool:
    if asked is not None:
        return asked
    if _state.system_metrics is not None:
        return _state.system_metrics
    return system_metrics.enabled_from_env()


def enable_system_metrics_logging() -> None:
    """Log system metrics for every run started from now on in this process (as MLflow's
    function of the same name)."""
    _state.system_metrics = True


def disable_system_metrics_logging() -> None:
    _state.system_metrics = False


def end_run(status: RunStatus | str = RunStatus.FINISHED) -> None:
    """End the innermost active run; a no-op when none is active.

    Waits for the run's queued metrics, params and tags first, ends the run, then raises
    ``LoggingIncomplete`` if anything logged asynchronously could not be stored.
    """
    _end_run(status, raise_losses=True)


def _end_run(status: RunStatus | str, raise_losses: bool) -> None:
    stack = _state.stack()
    if not stack:
        return
    c = client()
    monitor = stack[-1].system_metrics
    if monitor is not None:
        monitor.stop()  # its last batch joins the queue before the flush below
    c.settle()
    run = stack.pop()
    c.set_terminated(run.info.run_id, status)
    _state.last_run_id = run.info.run_id
    if raise_losses:
        c.report_losses()
    else:
        registry.print_losses(c.tracking_uri, every=False)


def detach_run() -> str | None:
    """Take the innermost active run off the stack without ending it (autologging ends it
    itself once its post-training work is done); the id of the run, None when none."""
    stack = _state.stack()
    if not stack:
        return None
    monitor = stack[-1].system_metrics
    if monitor is not None:
        monitor.stop()
    run = stack.pop()
    _state.last_run_id = run.info.run_id
    return str(run.info.run_id)


def active_run() -> ActiveRun | None:
    stack = _state.stack()
    return stack[-1] if stack else None


def last_active_run() -> Run | None:
    """The active run, or else the run that ended most recently in this process."""
    current = active_run()
    run_id = current.info.run_id if current else _state.last_run_id
    return client().get_run(run_id) if run_id else None


def active_run_id() -> str:
    """The active run's id, starting a run first when none is active (as MLflow does)."""
    current = active_run() or start_run()
    return str(current.info.run_id)


def _reset_for_tests() -> None:
    """Forget all fluent state (tests start every case from scratch)."""
    global _state
    _state = _State()
    set_current_uri(None)
    set_current_registry_uri(None)
