"""Per-iteration rows become one column series per key, and land in the store as points."""

from __future__ import annotations

import cairn
from cairn.autologging.metric_rows import log_rows, rows_to_series
from cairn.tracking import fluent


def test_rows_become_one_series_per_key_with_only_the_steps_it_was_in() -> None:
    rows = [(3, {"a": 1.0, "b": 2.0}), (4, {"a": 0.5}), (5, {"a": 0.25, "b": 1.0})]
    series = {s.key: s for s in rows_to_series(rows, timestamp=7)}
    assert list(series["a"].steps) == [3, 4, 5] and list(series["a"].values) == [1.0, 0.5, 0.25]
    assert list(series["b"].steps) == [3, 5] and list(series["b"].values) == [2.0, 1.0]
    assert set(series["b"].timestamps) == {7}


def test_logged_rows_read_back_as_metric_history() -> None:
    with cairn.start_run() as run:
        log_rows(run.info.run_id, enumerate([{"loss": 0.9}, {"loss": 0.4}], start=10))
    history = fluent.client().get_metric_history(run.info.run_id, "loss")
    assert [(m.step, m.value) for m in history] == [(10, 0.9), (11, 0.4)]


def test_no_rows_write_nothing() -> None:
    with cairn.start_run() as run:
        log_rows(run.info.run_id, [])
    assert not fluent.client().get_run(run.info.run_id).data.metrics
