"""Contract: the columnar metric path (bulk log, whole history, min/max sample) on every store.

Through the REST store this exercises cairn's native endpoints end to end.
"""

from __future__ import annotations

import math

import pytest

from cairn.entities import Metric, MetricSeries, Param, RunTag
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.store.tracking.base import TrackingStore


@pytest.fixture
def run_id(store: TrackingStore) -> str:
    return store.create_run("0").info.run_id


def _triples(series: MetricSeries) -> list[tuple[int, int, float]]:
    return [
        (int(s), int(t), float(v))
        for s, t, v in zip(series.steps, series.timestamps, series.values, strict=True)
    ]


def test_bulk_log_beyond_mlflow_limits_lands_whole(store: TrackingStore, run_id: str) -> None:
    n = 25_000
    loss = MetricSeries(
        "loss", list(range(n)), [1000 + i for i in range(n)], [1 / (i + 1) for i in range(n)]
    )
    acc = MetricSeries("acc", [0, 1], [5, 6], [0.5, 0.75])
    params = [Param(f"p{i}", str(i)) for i in range(150)]
    store.log_metric_series(run_id, [loss, acc], params, [RunTag("phase", "train")])
    run = store.get_run(run_id)
    assert run.data.metric_dict == {"loss": 1 / n, "acc": 0.75}
    assert len(run.data.param_dict) == 150 and run.data.tag_dict["phase"] == "train"
    assert _triples(store.get_metric_series(run_id, "loss")) == _triples(loss)
    history = list(store.get_metric_history(run_id, "loss"))
    assert len(history) == n and history[-1] == Metric("loss", 1 / n, 1000 + n - 1, n - 1)


def test_series_and_single_points_share_one_history(store: TrackingStore, run_id: str) -> None:
    store.log_metric(run_id, Metric("m", 1.0, 10, 0))
    store.log_metric_series(run_id, [MetricSeries("m", [1, 2], [20, 30], [2.0, 3.0])])
    store.log_metric(run_id, Metric("m", 0.5, 5, 3))
    assert _triples(store.get_metric_series(run_id, "m")) == [
        (3, 5, 0.5),
        (0, 10, 1.0),
        (1, 20, 2.0),
        (2, 30, 3.0),
    ]
    assert store.get_run(run_id).data.metric_dict["m"] == 0.5  # highest step wins


def test_resent_batch_changes_nothing_visible(store: TrackingStore, run_id: str) -> None:
    batch = [MetricSeries("loss", [0, 1, 2], [10, 11, 12], [0.3, float("nan"), 0.1])]
    store.log_metric_series(run_id, batch)
    store.log_metric_series(run_id, batch)  # a retry after a lost reply
    got = store.get_metric_series(run_id, "loss")
    assert len(got) == 3 and math.isnan(got.values[1])
    assert len(store.get_metric_history(run_id, "loss")) == 3


def test_nan_and_infinity_travel_like_mlflow(store: TrackingStore, run_id: str) -> None:
    store.log_metric_series(
        run_id, [MetricSeries("x", [0, 1, 2], [1, 2, 3], [float("nan"), math.inf, -math.inf])]
    )
    values = list(store.get_metric_series(run_id, "x").values)
    assert math.isnan(values[0])
    assert values[1:] == [1.7976931348623157e308, -1.7976931348623157e308]


def test_sample_keeps_each_buckets_extremes(store: TrackingStore, run_id: str) -> None:
    n = 10_000
    values = [0.5] * n
    values[1234] = 9.0  # a spike an even sample would miss
    values[7777] = -4.0
    store.log_metric_series(run_id, [MetricSeries("v", list(range(n)), list(range(n)), values)])
    sample = store.sample_metric_series(run_id, "v", 100)
    assert len(sample) <= 202
    steps = [int(s) for s in sample.steps]
    assert steps == sorted(steps) and steps[0] == 0 and steps[-1] == n - 1
    assert 9.0 in list(sample.values) and -4.0 in list(sample.values)
    window = store.sample_metric_series(run_id, "v", 10, start_step=5000, end_step=5999)
    assert all(5000 <= int(s) <= 5999 for s in window.steps) and len(window) <= 22


def test_short_history_is_sampled_whole(store: TrackingStore, run_id: str) -> None:
    store.log_metric_series(run_id, [MetricSeries("v", [2, 0, 1], [3, 1, 2], [0.2, 0.0, 0.1])])
    assert _triples(store.sample_metric_series(run_id, "v", 1000)) == [
        (0, 1, 0.0),
        (1, 2, 0.1),
        (2, 3, 0.2),
    ]


def test_unknown_key_is_an_empty_series(store: TrackingStore, run_id: str) -> None:
    assert len(store.get_metric_series(run_id, "never")) == 0


def test_bulk_log_to_missing_run_is_not_found(store: TrackingStore) -> None:
    with pytest.raises(ResourceDoesNotExist):
        store.log_metric_series("0" * 32, [MetricSeries("m", [0], [1], [1.0])])


@pytest.mark.parametrize(
    "bad",
    [
        MetricSeries("../up", [0], [1], [1.0]),
        MetricSeries("m", [0], [-5], [1.0]),
    ],
)
def test_bad_series_writes_nothing(store: TrackingStore, run_id: str, bad: MetricSeries) -> None:
    good = MetricSeries("good", [0], [1], [1.0])
    with pytest.raises(InvalidParameterValue):
        store.log_metric_series(run_id, [good, bad], [Param("p", "1")])
    run = store.get_run(run_id)
    assert run.data.metric_dict == {} and run.data.param_dict == {}
