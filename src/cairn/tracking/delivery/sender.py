"""The bounded queue and the background thread that empties it into a tracking store.

Producers (the training loop) append tuples to a ``deque`` and return: no lock, no thread
hand-off, a few hundred nanoseconds. One daemon thread per store waits a short window for
more items, groups them per run (``batches.group``) and sends each run's batch with one
``log_metric_series`` call. A single sender and a FIFO queue keep every metric key in call
order, retries included (a failed batch is retried before the next one is sent).

Back-pressure: when ``queue_size`` items are waiting, producers block until the sender has
taken a batch; nothing is dropped and memory stays bounded. ``wait()`` puts a barrier in the
queue and returns once the sender has passed it, which is how flush and read-your-writes work.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cairn.config import (
    DEFAULT_ASYNC_BATCH_SIZE,
    DEFAULT_ASYNC_BATCH_WINDOW,
    DEFAULT_ASYNC_EXIT_TIMEOUT,
    DEFAULT_ASYNC_QUEUE_SIZE,
    DEFAULT_ASYNC_RETRY_DEADLINE,
    Settings,
)
from cairn.errors import ResourceDoesNotExist
from cairn.store.tracking.base import TrackingStore
from cairn.tracking.delivery.batches import Item, RunBatch, group, merge
from cairn.tracking.delivery.losses import LossBook, is_transient

_BACKOFF_FIRST = 0.1
_BACKOFF_MAX = 5.0
#: How many extra store calls a refused batch may cost to find the items the store refuses.
_ISOLATION_CALLS = 32
#: An idle sender re-checks its queue this often even without a wake-up (belt and braces).
_IDLE_WAIT = 1.0


@dataclass(frozen=True)
class DeliveryOptions:
    queue_size: int = DEFAULT_ASYNC_QUEUE_SIZE
    batch_size: int = DEFAULT_ASYNC_BATCH_SIZE
    batch_window: float = DEFAULT_ASYNC_BATCH_WINDOW
    retry_deadline: float = DEFAULT_ASYNC_RETRY_DEADLINE
    exit_timeout: float = DEFAULT_ASYNC_EXIT_TIMEOUT

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliveryOptions:
        return cls(
            queue_size=settings.async_queue_size,
            batch_size=settings.async_batch_size,
            batch_window=settings.async_batch_window,
            retry_deadline=settings.async_retry_deadline,
            exit_timeout=settings.async_exit_timeout,
        )


class _Barrier(threading.Event):
    """A queue entry that is set once everything queued before it has been handled."""


def _halves(pieces: Sequence[RunBatch]) -> list[Sequence[RunBatch]]:
    middle = len(pieces) // 2
    return [pieces[:middle], pieces[middle:]]


class Sender:
    def __init__(self, store: TrackingStore, options: DeliveryOptions) -> None:
        self.store = store
        self.options = options
        self.losses = LossBook()
        #: How often a producer had to wait for room, and a batch was sent again after a
        #: transient failure (back-pressure and outages made visible).
        self.times_blocked = 0
        self.retries = 0
        self._capacity = max(1, options.queue_size)
        self._batch_size = max(1, options.batch_size)
        self._start_lock = threading.Lock()
        self._init_state()

    def _init_state(self) -> None:
        self._queue: deque[Any] = deque()
        self._idle = True  # the thread is (about to be) waiting for work, or not started
        self._busy = False  # the thread holds items taken from the queue
        self._in_flight = 0
        self._waiting = 0  # producers blocked on a full queue
        self._stopping = False
        self._work = threading.Event()  # wakes an idle thread
        self._hurry = threading.Event()  # cuts the batch window short
        self._abandon = threading.Event()  # stop retrying: the process is leaving
        self._room = threading.Condition()
        self._thread: threading.Thread | None = None

    # --- producer side (the training loop) -----------------------------------------------------
    def put(self, item: Item) -> None:
        queue = self._queue
        if len(queue) >= self._capacity:
            self._wait_for_room(1)
        queue.append(item)
        if self._idle:
            self._wake()
        elif len(queue) >= self._batch_size and not self._hurry.is_set():
            self._hurry.set()

    def put_many(self, items: list[Item]) -> None:
        queue = self._queue
        if len(queue) + len(items) > self._capacity:
            self._wait_for_room(len(items))
        queue.extend(items)
        if self._idle:
            self._wake()
        elif len(queue) >= self._batch_size:
            self._hurry.set()

    def _wake(self) -> None:
        if self._thread is None:
            self._start()
        self._work.set()

    def _start(self) -> None:
        with self._start_lock:
            if self._thread is None:
                self._stopping = False
                self._abandon.clear()
                thread = threading.Thread(target=self._run, name="cairn-async-logging")
                thread.daemon = True
                thread.start()
                self._thread = thread

    def _wait_for_room(self, count: int) -> None:
        """Block (back-pressure) until ``count`` more items fit; a queue that is empty takes
        any number, so one oversized ``log_metrics`` call cannot wait forever."""
        with self._room:
            self.times_blocked += 1
            self._waiting += 1
            try:
                while self._queue and len(self._queue) + count > self._capacity:
                    self._wake()
                    self._hurry.set()
                    self._room.wait(0.05)
            finally:
                self._waiting -= 1

    # --- waiting for delivery ------------------------------------------------------------------
    def idle(self) -> bool:
        return not self._queue and not self._busy

    def pending(self) -> int:
        """Items not yet delivered nor recorded as lost (approximate while logging goes on)."""
        return len(self._queue) + self._in_flight

    def wait(self, timeout: float | None = None) -> bool:
        """True once everything put before this call is stored or recorded as lost; False if
        ``timeout`` seconds passed first. Cheap when nothing is pending."""
        if not self._queue and not self._busy:
            return True
        barrier = _Barrier()
        self._queue.append(barrier)
        self._hurry.set()
        self._wake()
        deadline = None if timeout is None else time.monotonic() + timeout
        while not barrier.wait(0.1):
            if deadline is not None and time.monotonic() >= deadline:
                return False
            thread = self._thread
            if thread is not None and not thread.is_alive():
                return False
        return True

    def close(self, timeout: float | None) -> bool:
        """Deliver what is queued (waiting at most ``timeout``), then stop the thread. After a
        timeout the sender stops retrying, so what is left is counted by ``pending()``."""
        delivered = self.wait(timeout)
        if not delivered:
            self._abandon.set()
        self._stopping = True
        self._work.set()
        self._hurry.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(1.0)
        return delivered

    def reset_after_fork(self) -> None:
        """A forked child has no sender thread; its copy of the queue belongs to the parent,
        which delivers it, so the child starts empty."""
        self._start_lock = threading.Lock()
        self._init_state()

    # --- the sender thread ---------------------------------------------------------------------
    def _run(self) -> None:
        queue = self._queue
        while True:
            self._work.clear()
            self._idle = True
            if not queue:
                if self._stopping and self._exit_if_empty():
                    return
                self._work.wait(_IDLE_WAIT)
                continue
            self._idle = False
            if len(queue) < self._batch_size and not self._hurry.is_set() and not self._stopping:
                self._hurry.wait(self.options.batch_window)
            self._hurry.clear()
            self._drain_once()

    def _exit_if_empty(self) -> bool:
        with self._start_lock:
            if self._queue:
                return False
            self._thread = None
            return True

    def _drain_once(self) -> None:
        queue = self._queue
        items: list[Item] = []
        barriers: list[_Barrier] = []
        self._busy = True
        try:
            while len(items) < self._batch_size:
                try:
                    item = queue.popleft()
                except IndexError:
                    break
                if type(item) is tuple:
                    items.append(item)
                else:
                    barriers.append(item)
            if self._waiting:
                with self._room:
                    self._room.notify_all()
            self._in_flight = len(items)
            self._send(items)
        finally:
            self._in_flight = 0
            self._busy = False
            for barrier in barriers:
                barrier.set()

    def _send(self, items: list[Item]) -> None:
        try:
            batches = group(items)
        except Exception as exc:  # cannot happen with checked items; never lose silently
            self.losses.add("(unknown run)", len(items), 0, 0, exc)
            return
        for batch in batches:
            try:
                self._deliver(batch)
            except Exception as exc:  # a bug here must neither kill the thread nor lose silently
                self._lose(batch, exc)

    def _deliver(self, batch: RunBatch) -> None:
        error = self._attempt(batch)
        if error is None:
            return
        pieces = batch.pieces()
        if is_transient(error) or len(pieces) < 2 or isinstance(error, ResourceDoesNotExist):
            self._lose(batch, error)
            return
        self._isolate(batch.run_id, pieces, error)

    def _attempt(self, batch: RunBatch) -> Exception | None:
        """Send one batch, retrying transient failures with exponential backoff until the
        retry deadline; the error that ended the attempt, or None once stored."""
        deadline: float | None = None
        attempt = 0
        while True:
            try:
                self.store.log_metric_series(
                    batch.run_id, batch.series(), batch.param_list(), batch.tag_list()
                )
                return None
            except Exception as exc:
                if not is_transient(exc):
                    return exc
                now = time.monotonic()
                if deadline is None:
                    deadline = now + self.options.retry_deadline
                if now >= deadline or self._abandon.is_set():
                    return exc
                wait = min(_BACKOFF_MAX, _BACKOFF_FIRST * 2.0**attempt, deadline - now)
                self._abandon.wait(wait)
                attempt += 1
                self.retries += 1

    def _isolate(self, run_id: str, pieces: list[RunBatch], error: Exception) -> None:
        """The store refused the batch (all of it, as batches are atomic): bisect it so that
        only the items it refuses are lost, say a param whose value changed, and not the
        metrics that happened to travel with it."""
        work: deque[Sequence[RunBatch]] = deque(_halves(pieces))
        calls = 0
        while work:
            part = work.popleft()
            merged = merge(run_id, part)
            if calls >= _ISOLATION_CALLS:
                self._lose(merged, error)
                continue
            calls += 1
            failure = self._attempt(merged)
            if failure is None:
                continue
            if is_transient(failure):  # the store went away meanwhile: the rest waited too
                rest = [p for remaining in work for p in remaining]
                self._lose(merge(run_id, [*part, *rest]), failure)
                return
            if len(part) == 1:
                self._lose(merged, failure)
            else:
                work.extendleft(reversed(_halves(part)))

    def _lose(self, batch: RunBatch, exc: BaseException) -> None:
        self.losses.add(batch.run_id, batch.point_count, len(batch.params), len(batch.tags), exc)
