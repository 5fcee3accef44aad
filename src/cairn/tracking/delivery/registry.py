"""One asynchronous logger per store, and what happens to them at flush, close and exit.

Loggers are keyed like the client's stores (tracking URI and settings) and also indexed by
URI, so every read through any client of a URI can first wait for that URI's pending writes
(read-your-writes) with one dictionary lookup when nothing was ever logged asynchronously.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
import time
from collections.abc import Callable, Hashable

from cairn.store.tracking.base import TrackingStore
from cairn.tracking.delivery.logger import AsyncLogger
from cairn.tracking.delivery.losses import incomplete
from cairn.tracking.delivery.sender import DeliveryOptions

_lock = threading.Lock()
_loggers: dict[Hashable, AsyncLogger] = {}
_by_uri: dict[str | None, tuple[AsyncLogger, ...]] = {}
_hooks_installed = False
#: Other deferred work that reads must wait for like queued writes: ``(uri, every)``.
_settlers: list[Callable[[str | None, bool], None]] = []


def logger_for(
    key: Hashable,
    uri: str | None,
    store: TrackingStore,
    options: DeliveryOptions,
    truncate_long_values: bool = True,
) -> AsyncLogger:
    logger = _loggers.get(key)
    if logger is not None:
        return logger
    with _lock:
        logger = _loggers.get(key)
        if logger is None:
            logger = AsyncLogger(store, options, truncate_long_values)
            _loggers[key] = logger
            _by_uri[uri] = (*_by_uri.get(uri, ()), logger)
            _install_hooks()
        return logger


def add_settler(settler: Callable[[str | None, bool], None]) -> None:
    """Register deferred work of another kind (autologging's post-training jobs) that every
    ``settle`` and ``flush`` waits for first."""
    if settler not in _settlers:
        _settlers.append(settler)


def settle(uri: str | None) -> None:
    """Wait until this URI's queued writes are stored (or recorded as lost); losses are kept
    for ``flush``/``end_run`` to report, so a read never raises for an earlier write."""
    for settler in _settlers:
        settler(uri, False)
    for logger in _by_uri.get(uri, ()):
        logger.sender.wait()


def _selected(uri: str | None, every: bool) -> list[AsyncLogger]:
    return list(_loggers.values()) if every else list(_by_uri.get(uri, ()))


def flush(uri: str | None = None, timeout: float | None = None, every: bool = False) -> None:
    """Wait for delivery (all loggers when ``every``) and raise ``LoggingIncomplete`` for
    anything lost, or still pending when ``timeout`` seconds have passed."""
    for settler in _settlers:
        settler(uri, every)
    deadline = None if timeout is None else time.monotonic() + timeout
    losses = []
    pending = 0
    for logger in _selected(uri, every):
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        if not logger.sender.wait(left):
            pending += logger.sender.pending()
        losses += logger.sender.losses.take()
    if losses or pending:
        raise incomplete(losses, pending)


def report_losses(uri: str | None) -> None:
    """Raise ``LoggingIncomplete`` for losses not reported yet (after a ``settle``)."""
    losses = [loss for logger in _by_uri.get(uri, ()) for loss in logger.sender.losses.take()]
    if losses:
        raise incomplete(losses)


def print_losses(uri: str | None = None, every: bool = True) -> None:
    """Where raising is not possible (exit, a run ending on an exception): say it on stderr."""
    for logger in _selected(uri, every):
        error = logger.check(delivered=logger.sender.idle())
        if error is not None:
            sys.stderr.write(f"cairn: {error.message}\n")


def close_all(timeout: float | None = None) -> None:
    """Deliver and stop every logger (each waits at most ``timeout``, else its own exit
    timeout); what could not be delivered is printed, never dropped silently."""
    with _lock:
        loggers = list(_loggers.values())
        _loggers.clear()
        _by_uri.clear()
    for logger in loggers:
        logger.closed = True
        wait = logger.sender.options.exit_timeout if timeout is None else timeout
        delivered = logger.sender.close(wait)
        error = logger.check(delivered)
        if error is not None:
            sys.stderr.write(f"cairn: {error.message}\n")


def _forget_after_fork() -> None:
    for logger in _loggers.values():
        logger.sender.reset_after_fork()


def _install_hooks() -> None:
    global _hooks_installed
    if _hooks_installed:
        return
    _hooks_installed = True
    atexit.register(close_all)
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_forget_after_fork)
