"""``WebhookDispatcher``: registry events in, signed HTTP deliveries out, off the request path.

``publish()`` only appends to an in-memory schedule, so a slow or dead receiver never slows a
registry call. A few daemon threads take what is due from the schedule: an *event* becomes one
*message* per subscribed ACTIVE webhook, and a message is one HTTP attempt. A failed attempt
that may succeed later (connection error, timeout, 408/429/5xx) goes back on the schedule with
exponential backoff instead of sleeping in a thread, so one bad receiver does not hold up the
others. Every attempt is written to ``webhook_deliveries``.

Events live in memory only: what is still queued when the server stops is logged and dropped,
as in MLflow (a durable outbox would be the next step if that matters).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import httpx

from cairn.entities.webhook import DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookTestResult
from cairn.errors import CairnError, ResourceDoesNotExist
from cairn.server.webhooks import sender
from cairn.server.webhooks.guard import UrlGuard
from cairn.server.webhooks.samples import sample_payload
from cairn.server.webhooks.signing import event_body, utc_now
from cairn.store.registry.webhooks import WebhookStore, WebhookTarget

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Event:
    entity: str
    action: str
    data: dict[str, Any]
    when: datetime


@dataclass(frozen=True)
class _Message:
    target: WebhookTarget
    entity: str
    action: str
    body: str
    delivery_id: str
    attempt: int = 1


@dataclass(order=True)
class _Slot:
    due: float
    seq: int
    item: _Event | _Message = field(compare=False)


class WebhookDispatcher:
    """The server's :class:`~cairn.server.state.EventPublisher` and the webhook service the
    handlers use (``store`` for CRUD, ``guard`` for URL checks, :meth:`send_test`).

    Threads start on the first event, not here, and :meth:`close` joins them.
    """

    def __init__(
        self,
        store: WebhookStore,
        guard: UrlGuard,
        *,
        max_attempts: int = 4,
        base_delay: float = 1.0,
        max_delay: float = 30.0,
        timeout: float = 10.0,
        workers: int = 2,
        queue_limit: int = 10_000,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.store = store
        self.guard = guard
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self._timeout = timeout
        self._workers = workers
        self._queue_limit = queue_limit
        self._transport = transport
        self._schedule: list[_Slot] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._threads: list[threading.Thread] = []
        self._client: httpx.Client | None = None
        self._closed = False

    # --- EventPublisher -------------------------------------------------------------------
    def publish(self, entity: str, action: str, data: dict[str, Any]) -> None:
        """Queue one committed registry change; returns at once and never raises."""
        try:
            self._push(_Event(entity, action, dict(data), utc_now()), time.monotonic())
        except Exception:  # a tracker must never break the request that emitted the event
            _log.exception("Could not queue webhook event %s.%s", entity, action)

    def close(self, timeout: float = 10.0) -> None:
        """Stop: finish the attempts in flight, drop what is still queued, join the threads."""
        with self._cond:
            self._closed = True
            dropped = len(self._schedule)
            self._schedule.clear()
            self._cond.notify_all()
            threads, self._threads = self._threads, []
        if dropped:
            _log.warning("Webhook dispatcher stopped with %d undelivered item(s).", dropped)
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        if self._client is not None:
            self._client.close()

    # --- the test endpoint ----------------------------------------------------------------
    def send_test(self, webhook_id: str, event: WebhookEvent | None = None) -> WebhookTestResult:
        """Send one example event now, in the caller's thread, without retries; recorded like
        any other attempt."""
        target = self.store.get_target(webhook_id)
        chosen = event or target.webhook.events[0]
        entity, action = chosen.entity.value, chosen.action.value
        body = event_body(entity, action, sample_payload(chosen), utc_now())
        message = _Message(target, entity, action, body, str(uuid.uuid4()))
        outcome = self._attempt(message)
        self._record(message, outcome, retry=False)
        return WebhookTestResult(
            success=outcome.success,
            response_status=outcome.response_status,
            response_body=outcome.response_body,
            error_message=outcome.error_message,
        )

    # --- schedule -------------------------------------------------------------------------
    def _push(self, item: _Event | _Message, due: float) -> None:
        with self._cond:
            if self._closed:
                _log.debug("Webhook dispatcher is closed; dropping %r", item)
                return
            if len(self._schedule) >= self._queue_limit:
                _log.warning("Webhook queue is full (%d); dropping an item.", self._queue_limit)
                return
            heapq.heappush(self._schedule, _Slot(due, next(self._seq), item))
            self._start_threads()
            self._cond.notify()

    def _start_threads(self) -> None:
        """Called with the lock held."""
        if self._threads:
            return
        for index in range(self._workers):
            thread = threading.Thread(target=self._run, name=f"cairn-webhooks-{index}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _next(self) -> _Event | _Message | None:
        """The next due item, waiting for it; None once closed."""
        with self._cond:
            while not self._closed:
                now = time.monotonic()
                if self._schedule and self._schedule[0].due <= now:
                    return heapq.heappop(self._schedule).item
                wait = self._schedule[0].due - now if self._schedule else None
                self._cond.wait(wait)
            return None

    def _run(self) -> None:
        while (item := self._next()) is not None:
            try:
                if isinstance(item, _Event):
                    self._fan_out(item)
                else:
                    self._deliver(item)
            except Exception:
                _log.exception("Webhook dispatch failed for %r", item)

    # --- work -----------------------------------------------------------------------------
    def _fan_out(self, event: _Event) -> None:
        try:
            parsed = WebhookEvent.parse(event.entity, event.action)
        except CairnError:
            _log.debug("No webhook can subscribe to %s.%s", event.entity, event.action)
            return
        body = event_body(event.entity, event.action, event.data, event.when)
        now = time.monotonic()
        for target in self.store.subscribers(parsed):
            message = _Message(target, event.entity, event.action, body, str(uuid.uuid4()))
            self._push(message, now)

    def _deliver(self, message: _Message) -> None:
        if message.attempt > 1:
            current = self._current(message)
            if current is None:
                return
            message = current
        outcome = self._attempt(message)
        with self._cond:
            retry = outcome.retryable and message.attempt < self.max_attempts and not self._closed
        self._record(message, outcome, retry)
        if retry:
            nxt = replace(message, attempt=message.attempt + 1)
            self._push(nxt, time.monotonic() + self._delay(message.attempt, outcome))

    def _current(self, message: _Message) -> _Message | None:
        """A retry goes to the webhook as it is now: deleted or disabled ones get nothing, and
        a new URL or secret applies."""
        try:
            target = self.store.get_target(message.target.webhook.webhook_id)
        except ResourceDoesNotExist:
            return None
        if not target.webhook.active:
            return None
        return replace(message, target=target)

    def _delay(self, attempt: int, outcome: sender.Outcome) -> float:
        """``base * 2**(attempt-1)``, or the receiver's Retry-After, capped at ``max_delay``."""
        delay: float = self.base_delay * 2.0 ** (attempt - 1)
        if outcome.retry_after is not None:
            delay = max(delay, outcome.retry_after)
        return min(delay, self.max_delay)

    def _attempt(self, message: _Message) -> sender.Outcome:
        with self._cond:
            if self._client is None:
                self._client = sender.new_client(self._transport, self._timeout)
            client = self._client
        return sender.attempt(
            client,
            self.guard,
            message.target.webhook.url,
            message.delivery_id,
            message.body,
            message.target.secret,
        )

    def _record(self, message: _Message, outcome: sender.Outcome, retry: bool) -> None:
        if outcome.success:
            status = DeliveryStatus.SUCCEEDED
        else:
            status = DeliveryStatus.RETRYING if retry else DeliveryStatus.FAILED
        delivery = WebhookDelivery(
            delivery_id=message.delivery_id,
            webhook_id=message.target.webhook.webhook_id,
            entity=message.entity,
            action=message.action,
            attempt=message.attempt,
            status=status,
            timestamp=int(time.time() * 1000) - outcome.duration_ms,
            duration_ms=outcome.duration_ms,
            response_status=outcome.response_status,
            error_message=outcome.error_message,
        )
        try:
            self.store.record_delivery(delivery)
        except Exception:
            _log.exception("Could not record webhook delivery %s", message.delivery_id)
