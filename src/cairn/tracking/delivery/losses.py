"""Which delivery failures are worth retrying, and the record of what could not be delivered.

A tracker must never kill training, and never lose data silently: the background sender
retries what may succeed later (a server restarting, a locked database) and writes down
everything else here, so ``flush()``/``end_run()`` can say exactly what is missing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from cairn.errors import (
    CairnError,
    DeadlineExceeded,
    InternalError,
    LoggingIncomplete,
    RequestLimitExceeded,
    ServiceUnavailable,
)

#: Errors the REST store raises once its own quick retries are spent, and 5xx answers.
_TRANSIENT_CAIRN = (ServiceUnavailable, RequestLimitExceeded, DeadlineExceeded, InternalError)
#: Database drivers' "try again" family, matched by name so no driver is imported for it.
_TRANSIENT_DB = {"OperationalError", "DisconnectionError", "TimeoutError"}
_SHOWN_MESSAGE = 300


def is_transient(exc: BaseException) -> bool:
    """True when sending the same batch again later may succeed."""
    if isinstance(exc, CairnError):
        return isinstance(exc, _TRANSIENT_CAIRN)
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return True
    for cls in type(exc).__mro__:
        module = cls.__module__
        if module.startswith("httpx") and cls.__name__ == "TransportError":
            return True
        if module.startswith("sqlalchemy") and cls.__name__ in _TRANSIENT_DB:
            return True
    return False


@dataclass
class Loss:
    """What one run lost, and the first reason."""

    run_id: str
    metrics: int
    params: int
    tags: int
    reason: str


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if len(text) > _SHOWN_MESSAGE:
        text = text[:_SHOWN_MESSAGE] + "..."
    return f"{type(exc).__name__}: {text}"


class LossBook:
    """Losses per run, thread-safe; each is reported once (by flush, end_run or exit)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_run: dict[str, Loss] = {}

    def __bool__(self) -> bool:
        return bool(self._by_run)

    def add(self, run_id: str, metrics: int, params: int, tags: int, exc: BaseException) -> None:
        with self._lock:
            loss = self._by_run.get(run_id)
            if loss is None:
                self._by_run[run_id] = Loss(run_id, metrics, params, tags, describe(exc))
                return
            loss.metrics += metrics
            loss.params += params
            loss.tags += tags

    def take(self) -> list[Loss]:
        with self._lock:
            losses = list(self._by_run.values())
            self._by_run.clear()
        return losses


def loss_message(losses: list[Loss], pending: int = 0) -> str:
    """Say what is missing, why, and what to do about it."""
    lines = []
    for loss in losses:
        lines.append(
            f"run {loss.run_id}: {_plural(loss.metrics, 'metric point')}, "
            f"{_plural(loss.params, 'param')} and {_plural(loss.tags, 'tag')} were not "
            f"stored ({loss.reason})"
        )
    head = "Asynchronous logging is incomplete."
    if pending:
        lines.append(f"{_plural(pending, 'item')} are still waiting to be delivered")
    advice = (
        "Values reported as not stored are not in the tracking store: fix the cause and log "
        "them again. Pass synchronous=True to a logging call (or set CAIRN_ASYNC_LOGGING=false) "
        "to get such errors at the call itself; see docs/logging.md."
    )
    return "\n".join([head, *(f"  - {line}" for line in lines), advice])


def incomplete(losses: list[Loss], pending: int = 0) -> LoggingIncomplete:
    return LoggingIncomplete(loss_message(losses, pending))
