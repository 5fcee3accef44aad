"""The enqueue-only logging API: check arguments cheaply, stamp the time, queue, return.

This is the code a training loop runs on every ``log_metric``, so it does the least that
keeps bad input out of a batch (one bad item would make the store refuse the whole batch):
keys are checked once and remembered, values are type-checked with ``type() is`` fast paths.
Argument errors raise here, at the call, like any programming error; delivery errors never do.
"""

from __future__ import annotations

import numbers
import time
from collections.abc import Iterable, Mapping
from typing import Any

from cairn.entities import Metric, Param, RunTag
from cairn.errors import InvalidParameterValue, LoggingIncomplete
from cairn.store.tracking import validation
from cairn.store.tracking.base import TrackingStore
from cairn.tracking.delivery.batches import METRIC, PARAM, TAG, Item
from cairn.tracking.delivery.losses import incomplete
from cairn.tracking.delivery.sender import DeliveryOptions, Sender

_time = time.time
#: Remembered valid keys and run ids; a process logging more distinct names starts over.
_MAX_REMEMBERED = 100_000


def _metric_value(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        raise InvalidParameterValue(f"Metric '{key}' got value {value!r:.80}; it must be a number.")
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise InvalidParameterValue(
            f"Metric '{key}' got value {value!r:.80}; it must be a real number."
        ) from None


def _integer(key: str, what: str, number: Any) -> int:
    if isinstance(number, bool) or not isinstance(number, numbers.Integral):
        raise InvalidParameterValue(
            f"Metric '{key}' has {what} {number!r:.80}; it must be an integer."
        )
    if what == "timestamp" and number < 0:
        raise InvalidParameterValue(f"Metric '{key}' has a negative timestamp.")
    return int(number)


class AsyncLogger:
    """Queue metrics, params and tags for one store; see ``sender.Sender`` for delivery."""

    def __init__(
        self, store: TrackingStore, options: DeliveryOptions, truncate_long_values: bool = True
    ) -> None:
        self.sender = Sender(store, options)
        self.closed = False
        self._put = self.sender.put
        self._truncate = truncate_long_values
        self._keys: set[str] = set()
        self._runs: set[str] = set()

    # --- logging -------------------------------------------------------------------------------
    def log_metric(
        self,
        run_id: str,
        key: str,
        value: Any,
        timestamp: int | None = None,
        step: int | None = None,
    ) -> None:
        if key not in self._keys or run_id not in self._runs:
            self._check(run_id, key, "metric")
        if type(value) is not float:
            value = _metric_value(key, value)
        if step is None:
            step = 0
        elif type(step) is not int:
            step = _integer(key, "step", step)
        if timestamp is None:
            timestamp = int(_time() * 1000)
        elif type(timestamp) is not int or timestamp < 0:
            timestamp = _integer(key, "timestamp", timestamp)
        self._put((METRIC, run_id, key, value, timestamp, step))

    def log_metrics(
        self,
        run_id: str,
        metrics: Mapping[str, Any],
        timestamp: int | None = None,
        step: int | None = None,
    ) -> None:
        keys = ", ".join(metrics)[:80]
        ts = int(_time() * 1000) if timestamp is None else _integer(keys, "timestamp", timestamp)
        st = 0 if step is None else _integer(keys, "step", step)
        items: list[Item] = []
        for key, value in metrics.items():
            self._check(run_id, key, "metric")
            number = value if type(value) is float else _metric_value(key, value)
            items.append((METRIC, run_id, key, number, ts, st))
        self.sender.put_many(items)

    def log_param(self, run_id: str, key: str, value: Any) -> None:
        self._put(self._param(run_id, key, value))

    def log_params(self, run_id: str, params: Mapping[str, Any]) -> None:
        self.sender.put_many([self._param(run_id, k, v) for k, v in params.items()])

    def set_tag(self, run_id: str, key: str, value: Any) -> None:
        self._put(self._tag(run_id, key, value))

    def set_tags(self, run_id: str, tags: Mapping[str, Any]) -> None:
        self.sender.put_many([self._tag(run_id, k, v) for k, v in tags.items()])

    def log_batch(
        self,
        run_id: str,
        metrics: Iterable[Metric] = (),
        params: Iterable[Param] = (),
        tags: Iterable[RunTag] = (),
    ) -> None:
        items: list[Item] = []
        for m in metrics:
            self._check(run_id, m.key, "metric")
            value = _metric_value(m.key, m.value)
            ts = _integer(m.key, "timestamp", m.timestamp)
            items.append((METRIC, run_id, m.key, value, ts, _integer(m.key, "step", m.step)))
        items += [self._param(run_id, p.key, p.value) for p in params]
        items += [self._tag(run_id, t.key, t.value) for t in tags]
        self.sender.put_many(items)

    # --- delivery ------------------------------------------------------------------------------
    def flush(self, timeout: float | None = None) -> None:
        """Wait for delivery; raise ``LoggingIncomplete`` for anything lost or still pending."""
        error = self.check(self.sender.wait(timeout))
        if error is not None:
            raise error

    def check(self, delivered: bool = True) -> LoggingIncomplete | None:
        """The error to report for unreported losses (and, if not ``delivered``, what is still
        queued), or None; each loss is reported once."""
        losses = self.sender.losses.take() if self.sender.losses else []
        pending = 0 if delivered else self.sender.pending()
        return incomplete(losses, pending) if losses or pending else None

    # --- argument checks -----------------------------------------------------------------------
    def _check(self, run_id: str, key: str, what: str) -> None:
        if key not in self._keys:
            validation.validate_key(key, what)
            if len(self._keys) >= _MAX_REMEMBERED:
                self._keys.clear()
            self._keys.add(key)
        if run_id not in self._runs:
            validation.validate_run_id(run_id)
            if len(self._runs) >= _MAX_REMEMBERED:
                self._runs.clear()
            self._runs.add(run_id)

    def _param(self, run_id: str, key: str, value: Any) -> Item:
        self._check(run_id, key, "param")
        text = str(value)
        if not self._truncate and len(text) > validation.MAX_PARAM_VALUE_LENGTH:
            validation.validate_param(Param(key, text), truncate=False)
        return (PARAM, run_id, key, text)

    def _tag(self, run_id: str, key: str, value: Any) -> Item:
        self._check(run_id, key, "tag")
        text = str(value)
        if not self._truncate and len(text) > validation.MAX_TAG_VALUE_LENGTH:
            validation.validate_tag(RunTag(key, text), truncate=False)
        return (TAG, run_id, key, text)
