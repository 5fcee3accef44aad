"""Which run an autologged call logs into: the user's active run, or one of its own.

Inside a user's ``start_run`` autologging adds to that run (unless ``exclusive``); otherwise it
starts a run before training and ends it after, FAILED when training raised, so a crashed fit
never leaves a RUNNING run behind. Work a hook ``defer``s (logging the model) runs after the
training call has returned (see ``deferred``); a run autologging started is then ended by
that work, FINISHED, once it is done.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from cairn.autologging import deferred
from cairn.autologging.config import AutologConfig
from cairn.autologging.patching import warn_failure
from cairn.entities import RunStatus
from cairn.tracking import fluent


class _Deferred(threading.local):
    jobs: list[Callable[[], None]] | None = None


_DEFERRED = _Deferred()


def defer(job: Callable[[], None]) -> None:
    """Run ``job`` once the training call has returned (now, outside an autolog run). The job
    must report its own failures (``warn_failure``) and must not depend on objects the user
    may change after training: hand it copies."""
    if _DEFERRED.jobs is None:
        job()
        return
    _DEFERRED.jobs.append(job)


def defer_logging(integration: str, job: Callable[[], None]) -> None:
    """``defer`` a logging step whose failure is a warning, like every autologging failure."""

    def guarded() -> None:
        try:
            job()
        except Exception as exc:
            warn_failure(integration, exc)

    defer(guarded)


def copy_head(data: Any, rows: int) -> Any:
    """The first ``rows`` rows as a copy (a frame's through ``iloc``), for deferred work."""
    head = data.iloc[:rows] if hasattr(data, "iloc") else data[:rows]
    return head.copy() if hasattr(head, "copy") else head


@contextmanager
def _collecting() -> Iterator[list[Callable[[], None]]]:
    outer, _DEFERRED.jobs = _DEFERRED.jobs, []
    try:
        yield _DEFERRED.jobs
    finally:
        _DEFERRED.jobs = outer


def _run_all(jobs: list[Callable[[], None]]) -> None:
    for job in jobs:
        job()


def _finish(jobs: list[Callable[[], None]], run_id: str) -> None:
    try:
        _run_all(jobs)
    finally:
        fluent.client().set_terminated(run_id, RunStatus.FINISHED)


@contextmanager
def autolog_run(config: AutologConfig, tags: Mapping[str, str]) -> Iterator[str | None]:
    """Yield the run id to log into, or None when ``exclusive`` forbids the user's run."""
    active = fluent.active_run()
    uri = fluent.client().tracking_uri
    if active is not None:
        if config.exclusive:
            yield None
            return
        _set_tags(active.info.run_id, tags)
        with _collecting() as jobs:
            yield active.info.run_id
        if jobs:  # the user's end_run waits for them (it settles the URI first)
            deferred.submit(uri, lambda: _run_all(jobs))
        return
    run = fluent.start_run(tags={**tags})
    with _collecting() as jobs:
        try:
            yield run.info.run_id
        except BaseException:
            _run_all(jobs)
            fluent.end_run(RunStatus.FAILED)
            raise
    if not jobs:
        fluent.end_run()
        return
    run_id = fluent.detach_run()
    if run_id is not None:
        deferred.submit(uri, lambda: _finish(jobs, run_id))


def _set_tags(run_id: str, tags: Mapping[str, str]) -> None:
    client = fluent.client()
    for key, value in tags.items():
        client.set_tag(run_id, key, value)


def run_tags(config: AutologConfig, tags: Mapping[str, str]) -> dict[str, str]:
    """The integration's tags plus the user's ``extra_tags`` (the user's win)."""
    return {**tags, **{k: str(v) for k, v in config.extra_tags.items()}}
