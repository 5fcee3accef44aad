"""The background sender against real SQLite stores that are slow, flaky or down."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from cairn.config import settings_from_env
from cairn.entities import MetricSeries, Param, RunTag
from cairn.errors import (
    InvalidParameterValue,
    LoggingIncomplete,
    ServiceUnavailable,
)
from cairn.store.artifacts import local_path_to_uri
from cairn.store.tracking.sql.store import SqlTrackingStore
from cairn.tracking.delivery import AsyncLogger, DeliveryOptions
from cairn.tracking.delivery.batches import METRIC, PARAM, TAG, group
from cairn.tracking.delivery.losses import is_transient


class SlowStore(SqlTrackingStore):
    """A real store whose bulk writes take ``delay`` seconds each, and that counts them."""

    delay = 0.0
    calls = 0
    #: While cleared, every bulk write waits for it (a store that is stuck, not just slow).
    gate: threading.Event | None = None

    def log_metric_series(
        self,
        run_id: str,
        series: Sequence[MetricSeries] = (),
        params: Sequence[Param] = (),
        tags: Sequence[RunTag] = (),
    ) -> None:
        self.calls += 1
        if self.gate is not None:
            self.gate.wait(30)
        time.sleep(self.delay)
        super().log_metric_series(run_id, series, params, tags)


class FlakyStore(SqlTrackingStore):
    """A real store that is "down" (as the REST store reports it) for its first calls."""

    failures_left = 0

    def log_metric_series(
        self,
        run_id: str,
        series: Sequence[MetricSeries] = (),
        params: Sequence[Param] = (),
        tags: Sequence[RunTag] = (),
    ) -> None:
        if self.failures_left:
            self.failures_left -= 1
            raise ServiceUnavailable("POST /runs/log-metric-series failed: connection refused")
        super().log_metric_series(run_id, series, params, tags)


def _open(cls: type[SqlTrackingStore], tmp_path: Path) -> SqlTrackingStore:
    return cls.open(f"sqlite:///{tmp_path / 'db.sqlite'}", local_path_to_uri(tmp_path / "a"))


@pytest.fixture
def slow_store(tmp_path: Path) -> Iterator[SlowStore]:
    store = _open(SlowStore, tmp_path)
    assert isinstance(store, SlowStore)
    yield store
    store.close()


@pytest.fixture
def flaky_store(tmp_path: Path) -> Iterator[FlakyStore]:
    store = _open(FlakyStore, tmp_path)
    assert isinstance(store, FlakyStore)
    yield store
    store.close()


def _steps(store: SqlTrackingStore, run_id: str, key: str) -> list[int]:
    return [p.step for p in store.get_metric_history(run_id, key)]


def test_a_full_queue_blocks_the_producer_and_drops_nothing(slow_store: SlowStore) -> None:
    slow_store.delay = 0.05
    run_id = slow_store.create_run("0").info.run_id
    logger = AsyncLogger(slow_store, DeliveryOptions(queue_size=10, batch_size=4))
    started = time.monotonic()
    for step in range(60):
        logger.log_metric(run_id, "loss", float(step), step=step)
    elapsed = time.monotonic() - started
    logger.flush()
    assert logger.sender.times_blocked > 0
    # 60 items through a 10-item queue, 4 per 50 ms call: the producer waited for room
    assert elapsed > 0.3
    assert slow_store.calls >= 15
    assert _steps(slow_store, run_id, "loss") == list(range(60))
    logger.sender.close(1)


def test_logging_returns_while_the_store_is_stuck(slow_store: SlowStore) -> None:
    """No wall-clock bound: the store blocks every write until released, so the loop can only
    finish if logging does not wait for the store."""
    slow_store.gate = threading.Event()
    run_id = slow_store.create_run("0").info.run_id
    logger = AsyncLogger(slow_store, DeliveryOptions(batch_window=0.0))
    producer = threading.Thread(
        target=lambda: [logger.log_metric(run_id, "loss", float(i), step=i) for i in range(1000)]
    )
    producer.start()
    producer.join(30)
    assert not producer.is_alive()  # all 1000 calls returned while the store was stuck
    assert _steps(slow_store, run_id, "loss") == []
    with pytest.raises(LoggingIncomplete, match="still waiting to be delivered"):
        logger.flush(timeout=0.01)
    slow_store.gate.set()
    logger.flush()
    assert _steps(slow_store, run_id, "loss") == list(range(1000))
    logger.sender.close(1)


def test_a_store_that_is_down_for_a_while_loses_nothing(flaky_store: FlakyStore) -> None:
    flaky_store.failures_left = 3
    run_id = flaky_store.create_run("0").info.run_id
    logger = AsyncLogger(flaky_store, DeliveryOptions(batch_window=0.001, retry_deadline=30))
    for step in range(300):
        logger.log_metric(run_id, "loss", float(step), step=step)
        logger.log_metric(run_id, "acc", float(step), step=step)
        if step % 100 == 0:
            time.sleep(0.01)  # several batches, some of them retried
    logger.log_param(run_id, "lr", 0.1)
    logger.flush()
    assert flaky_store.failures_left == 0
    assert _steps(flaky_store, run_id, "loss") == list(range(300))
    assert _steps(flaky_store, run_id, "acc") == list(range(300))
    assert flaky_store.get_run(run_id).data.param_dict == {"lr": "0.1"}
    logger.sender.close(1)


def test_retries_stop_at_the_deadline_and_the_loss_is_reported(flaky_store: FlakyStore) -> None:
    flaky_store.failures_left = 10_000
    run_id = flaky_store.create_run("0").info.run_id
    logger = AsyncLogger(flaky_store, DeliveryOptions(batch_window=0.001, retry_deadline=0.3))
    for step in range(7):
        logger.log_metric(run_id, "loss", float(step), step=step)
    logger.set_tag(run_id, "t", "v")
    started = time.monotonic()
    with pytest.raises(LoggingIncomplete) as caught:
        logger.flush()
    assert 0.25 < time.monotonic() - started < 5
    message = str(caught.value)
    assert "7 metric points, 0 params and 1 tag" in message
    assert "ServiceUnavailable" in message and "connection refused" in message
    logger.flush()  # reported once
    logger.sender.close(1)


def test_concurrent_producers_keep_per_key_order(slow_store: SlowStore) -> None:
    run_id = slow_store.create_run("0").info.run_id
    logger = AsyncLogger(slow_store, DeliveryOptions(queue_size=500, batch_size=300))

    def produce(worker: int) -> None:
        for step in range(2000):
            logger.log_metric(run_id, f"w{worker}", float(step), step=step)

    threads = [threading.Thread(target=produce, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    logger.flush()
    for worker in range(4):
        assert _steps(slow_store, run_id, f"w{worker}") == list(range(2000))
    logger.sender.close(1)


def test_group_sends_a_repeated_param_once_and_splits_on_a_changed_value() -> None:
    items = [
        (METRIC, "r1", "m", 1.0, 10, 0),
        (PARAM, "r1", "p", "1"),
        (METRIC, "r2", "m", 5.0, 10, 0),
        (PARAM, "r1", "p", "1"),
        (TAG, "r1", "t", "a"),
        (PARAM, "r1", "p", "2"),
        (METRIC, "r1", "m", 2.0, 11, 1),
        (TAG, "r1", "t", "b"),
    ]
    batches = group(items)
    assert [b.run_id for b in batches] == ["r1", "r2", "r1"]
    first, _, second = batches
    assert first.params == {"p": "1"} and first.tags == {"t": "a"}
    assert first.metrics["m"].steps == [0]
    assert second.params == {"p": "2"} and second.tags == {"t": "b"}
    assert second.metrics["m"].values == [2.0]


def test_only_errors_that_may_pass_are_retried() -> None:
    assert is_transient(ServiceUnavailable("down"))
    assert is_transient(ConnectionResetError())
    assert not is_transient(InvalidParameterValue("bad"))
    assert not is_transient(ValueError("bug"))


def test_async_settings_come_from_the_environment() -> None:
    settings = settings_from_env(
        {
            "CAIRN_ASYNC_LOGGING": "false",
            "CAIRN_ASYNC_LOGGING_QUEUE_SIZE": "10",
            "CAIRN_ASYNC_LOGGING_BATCH_SIZE": "0",
            "CAIRN_ASYNC_LOGGING_BATCH_WINDOW": "0.2",
            "CAIRN_ASYNC_LOGGING_RETRY_DEADLINE": "9",
        }
    )
    assert settings.async_logging is False
    options = DeliveryOptions.from_settings(settings)
    assert options == DeliveryOptions(10, 1, 0.2, 9.0, 60.0)
    assert settings_from_env({}).async_logging is True
    with pytest.raises(InvalidParameterValue, match="CAIRN_ASYNC_LOGGING_QUEUE_SIZE"):
        settings_from_env({"CAIRN_ASYNC_LOGGING_QUEUE_SIZE": "many"})
