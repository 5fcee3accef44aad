"""Which run an autologged call logs into: the user's active run, or one of its own.

Inside a user's ``start_run`` autologging adds to that run (unless ``exclusive``); otherwise it
starts a run before training and ends it after, FAILED when training raised, so a crashed fit
never leaves a RUNNING run behind.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from cairn.autologging.config import AutologConfig
from cairn.entities import RunStatus
from cairn.tracking import fluent


@contextmanager
def autolog_run(config: AutologConfig, tags: Mapping[str, str]) -> Iterator[str | None]:
    """Yield the run id to log into, or None when ``exclusive`` forbids the user's run."""
    active = fluent.active_run()
    if active is not None:
        if config.exclusive:
            yield None
            return
        _set_tags(active.info.run_id, tags)
        yield active.info.run_id
        return
    run = fluent.start_run(tags={**tags})
    try:
        yield run.info.run_id
    except BaseException:
        fluent.end_run(RunStatus.FAILED)
        raise
    fluent.end_run()


def _set_tags(run_id: str, tags: Mapping[str, str]) -> None:
    client = fluent.client()
    for key, value in tags.items():
        client.set_tag(run_id, key, value)


def run_tags(config: AutologConfig, tags: Mapping[str, str]) -> dict[str, str]:
    """The integration's tags plus the user's ``extra_tags`` (the user's win)."""
    return {**tags, **{k: str(v) for k, v in config.extra_tags.items()}}
