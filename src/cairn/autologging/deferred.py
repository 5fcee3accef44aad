"""Post-training work that runs after the user's training call has returned.

Logging a model costs ~25 ms (serialise, MLmodel, signature, logged-model rows), which on
a 0.3 s XGBoost training alone breaks the 5% overhead goal. The hook therefore hands the
model (a copy, so later changes by the user cannot leak into it) to one background worker
and returns. Nothing can observe the difference through cairn: every read of a tracking URI
first waits for that URI's deferred work (the delivery registry's settle hook), as do
``cairn.flush()``, ``end_run`` of the user's own run and interpreter exit. Another process
(the UI) may see the run RUNNING for those few milliseconds.

Jobs report their own failures (``warn_failure``); anything that still escapes one is logged,
never raised: the training it belongs to has long returned.
"""

from __future__ import annotations

import atexit
import collections
import logging
import threading
from collections.abc import Callable

from cairn.tracking.delivery import registry

_logger = logging.getLogger(__name__)
_cond = threading.Condition()
_jobs: collections.deque[tuple[str | None, Callable[[], None]]] = collections.deque()
_pending: collections.Counter[str | None] = collections.Counter()
_worker: threading.Thread | None = None


def submit(uri: str | None, job: Callable[[], None]) -> None:
    """Run ``job`` on the worker; reads of ``uri`` wait for it."""
    global _worker
    with _cond:
        _pending[uri] += 1
        _jobs.append((uri, job))
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="cairn-autolog", daemon=True)
            _worker.start()
        _cond.notify_all()


def _work() -> None:
    """Run jobs until none is left, then end: a thread that stays alive after a job used
    OpenMP (an XGBoost prediction) keeps its thread team, which made the user's next XGBoost
    training 4-5x slower on 2 cores. A new burst of jobs starts a new thread."""
    global _worker
    while True:
        with _cond:
            if not _jobs:
                _worker = None
                return
            uri, job = _jobs.popleft()
        try:
            job()
        except Exception as exc:  # the training returned long ago: report, never raise
            _logger.warning("cairn autologging failed after training: %r", exc)
        finally:
            with _cond:
                _pending[uri] -= 1
                _cond.notify_all()


def wait(uri: str | None = None, every: bool = True, timeout: float | None = None) -> bool:
    """Block until the deferred work of ``uri`` (all of it when ``every``) is done; True if
    it is. The worker never waits for itself (its jobs read through the same client)."""
    if threading.current_thread() is _worker:
        return True
    with _cond:
        return _cond.wait_for(
            lambda: not (sum(_pending.values()) if every else _pending[uri]), timeout
        )


#: Seconds interpreter exit waits for deferred work before giving up on it (logged).
EXIT_WAIT_SECONDS = 120.0


def _settle(uri: str | None, every: bool) -> None:
    wait(uri, every=every)


def _wait_at_exit() -> None:
    if not wait(timeout=EXIT_WAIT_SECONDS):
        _logger.warning(
            "cairn autologging: work after training was still running at exit after %.0f s "
            "and was abandoned (a model may be missing from its run).",
            EXIT_WAIT_SECONDS,
        )


registry.add_settler(_settle)
atexit.register(_wait_at_exit)
