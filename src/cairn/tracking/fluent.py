"""The fluent API: one active run per thread, one line per thing to log.

State (tracking URI, active experiment, run stack) lives in this module, as in MLflow, so
``cairn.log_metric("loss", 0.1)`` needs no handles. Each thread has its own run stack; the
tracking URI and experiment are process-wide.
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
from cairn.tracking import context
from cairn.tracking._current import current_uri, set_current_uri
from cairn.tracking.client import CairnClient

DEFAULT_EXPERIMENT_ID = "0"


@dataclass
class _State:
    experiment_id: str | None = None
    settings: Settings | None = None
    last_run_id: str | None = None
    local: threading.local = field(default_factory=threading.local)

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
    return CairnClient(get_tracking_uri(), _settings())


class ActiveRun:
    """What ``start_run`` returns; ending the ``with`` block ends the run.

    The run ends FINISHED, FAILED when the block raises, KILLED on KeyboardInterrupt.
    """

    def __init__(self, run: Run) -> None:
        self._run = run

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
            end_run(status)


def set_tracking_uri(uri: str | None) -> None:
    """Point the fluent API (and ``CairnClient()`` without a URI) at a store: a directory,
    ``sqlite:///...``, ``postgresql://...`` or a server's ``http(s)://`` URL."""
    set_current_uri(str(uri) if uri is not None else None)


def get_tracking_uri() -> str | None:
    return current_uri() or _settings().tracking_uri


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
) -> ActiveRun:
    """Start (or with ``run_id`` resume) a run and make it active; use it as a context manager.

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
    stack.append(active)
    return active


def end_run(status: RunStatus | str = RunStatus.FINISHED) -> None:
    """End the innermost active run; a no-op when none is active."""
    stack = _state.stack()
    if not stack:
        return
    run = stack.pop()
    client().set_terminated(run.info.run_id, status)
    _state.last_run_id = run.info.run_id


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
