"""Contract: the SQL store's run-browsing reads (keys, streamed runs, groups) on every backend.

These back the web UI's run table; they work over every matching run, not one page, and take
the same filter language as ``search_runs``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest

from cairn.entities import Metric, Param, RunTag, ViewType
from cairn.entities.run_summary import MetricStats
from cairn.errors import InvalidParameterValue
from cairn.store.artifacts import local_path_to_uri
from cairn.store.tracking.sql.store import SqlTrackingStore

INF = math.inf


@pytest.fixture
def sql_store(backend_uri: str, artifact_root: Path) -> Iterator[SqlTrackingStore]:
    store = SqlTrackingStore.open(backend_uri, local_path_to_uri(artifact_root))
    yield store
    store.close()


def _run(
    store: SqlTrackingStore,
    exp_id: str,
    start: int,
    metrics: dict[str, float],
    params: dict[str, str] | None = None,
    tags: dict[str, str] | None = None,
) -> str:
    run_id = store.create_run(exp_id, start_time=start).info.run_id
    store.log_batch(
        run_id,
        [Metric(k, v, 1, 0) for k, v in metrics.items()],
        [Param(k, v) for k, v in (params or {}).items()],
        [RunTag(k, v) for k, v in (tags or {}).items()],
    )
    return run_id


def test_run_keys_are_distinct_sorted_and_per_experiment(sql_store: SqlTrackingStore) -> None:
    first, second = sql_store.create_experiment("a"), sql_store.create_experiment("b")
    _run(sql_store, first, 1, {"loss": 1.0, "acc": 0.5}, {"lr": "0.1"}, {"team": "x"})
    _run(sql_store, first, 2, {"loss": 2.0}, {"lr": "0.2", "bs": "8"})
    _run(sql_store, second, 3, {"other": 1.0}, {"depth": "3"})
    keys = sql_store.run_keys([first])
    assert keys.metric_keys == ("acc", "loss")
    assert keys.param_keys == ("bs", "lr")
    assert keys.tag_keys == ("mlflow.runName", "team")
    both = sql_store.run_keys([first, second])
    assert both.metric_keys == ("acc", "loss", "other")


def test_run_keys_are_capped_and_unknown_experiments_are_empty(
    sql_store: SqlTrackingStore,
) -> None:
    exp_id = sql_store.create_experiment("a")
    _run(sql_store, exp_id, 1, {f"m{i}": 1.0 for i in range(5)})
    assert sql_store.run_keys([exp_id], limit=3).metric_keys == ("m0", "m1", "m2")
    assert sql_store.run_keys(["424242"]).metric_keys == ()
    assert sql_store.run_keys([]).tag_keys == ()
    with pytest.raises(InvalidParameterValue):
        sql_store.run_keys(["not-a-number"])


def test_iter_runs_streams_every_match_in_search_order(sql_store: SqlTrackingStore) -> None:
    exp_id = sql_store.create_experiment("a")
    for i in range(1203):  # more than two chunks
        run_id = sql_store.create_run(exp_id, start_time=i).info.run_id
        if i % 2:
            sql_store.log_metric(run_id, Metric("loss", float(i), 1, 0))
    found = list(sql_store.iter_runs([exp_id], "metrics.loss >= 11", order_by=["metrics.loss"]))
    assert [r.info.start_time for r in found] == list(range(11, 1203, 2))
    assert found[0].data.metrics[0].value == 11.0
    newest = sql_store.iter_runs([exp_id], max_runs=3)
    assert [r.info.start_time for r in newest] == [1202, 1201, 1200]


def test_iter_runs_checks_arguments_before_streaming(sql_store: SqlTrackingStore) -> None:
    with pytest.raises(InvalidParameterValue):
        sql_store.iter_runs(["0"], "metrics.loss >")
    with pytest.raises(InvalidParameterValue):
        sql_store.iter_runs(["0"], order_by=["nope.x"])
    assert list(sql_store.iter_runs([])) == []


def test_iter_runs_honours_the_view_type(sql_store: SqlTrackingStore) -> None:
    exp_id = sql_store.create_experiment("a")
    kept, gone = _run(sql_store, exp_id, 1, {}), _run(sql_store, exp_id, 2, {})
    sql_store.delete_run(gone)
    assert [r.info.run_id for r in sql_store.iter_runs([exp_id])] == [kept]
    deleted = sql_store.iter_runs([exp_id], run_view_type=ViewType.DELETED_ONLY)
    assert [r.info.run_id for r in deleted] == [gone]


def test_group_runs_aggregates_latest_metrics_per_param_value(
    sql_store: SqlTrackingStore,
) -> None:
    exp_id = sql_store.create_experiment("a")
    for i, lr in enumerate(["0.1", "0.1", "0.1", "0.2"]):
        _run(sql_store, exp_id, i, {"loss": float(i)}, {"lr": lr})
    lone = _run(sql_store, exp_id, 9, {"acc": 1.0})
    groups = sql_store.group_runs([exp_id], "params.lr", ["loss", "acc"])
    assert [(g.value, g.count) for g in groups] == [("0.1", 3), ("0.2", 1), (None, 1)]
    big = groups[0]
    assert big.metrics["loss"].mean == pytest.approx(1.0)
    assert (big.metrics["loss"].min, big.metrics["loss"].max) == (0.0, 2.0)
    assert big.metrics["loss"].std == pytest.approx(math.sqrt(2 / 3))
    assert big.metrics["acc"] == MetricStats()
    assert groups[1].metrics["loss"] == MetricStats(3.0, 3.0, 3.0, 0.0)
    assert groups[2].run_ids_sample == (lone,)
    assert groups[2].metrics["acc"].mean == 1.0


def test_group_runs_samples_newest_runs_and_caps_groups(sql_store: SqlTrackingStore) -> None:
    exp_id = sql_store.create_experiment("a")
    ids = [_run(sql_store, exp_id, i, {}, tags={"team": "big"}) for i in range(60)]
    _run(sql_store, exp_id, 100, {}, tags={"team": "small"})
    groups = sql_store.group_runs([exp_id], "tags.team")
    assert groups[0].value == "big" and groups[0].count == 60
    assert groups[0].run_ids_sample == tuple(reversed(ids))[:50]
    assert [g.value for g in sql_store.group_runs([exp_id], "tags.team", max_groups=1)] == ["big"]


def test_group_runs_takes_the_search_filter(sql_store: SqlTrackingStore) -> None:
    exp_id = sql_store.create_experiment("a")
    for i in range(4):
        _run(sql_store, exp_id, i, {"loss": float(i)}, {"lr": str(i % 2)})
    groups = sql_store.group_runs([exp_id], "params.lr", ["loss"], filter_string="metrics.loss > 1")
    assert [(g.value, g.count, g.metrics["loss"].mean) for g in groups] == [
        ("0", 1, 2.0),
        ("1", 1, 3.0),
    ]


def test_group_runs_folds_infinite_and_skips_nan_values(sql_store: SqlTrackingStore) -> None:
    exp_id = sql_store.create_experiment("a")
    for value in (1.0, 3.0, INF, math.nan):
        _run(sql_store, exp_id, 1, {"loss": value}, {"lr": "x"})
    _run(sql_store, exp_id, 1, {"loss": -INF}, {"lr": "y"})
    _run(sql_store, exp_id, 1, {"loss": 1e300}, {"lr": "z"})
    _run(sql_store, exp_id, 1, {"loss": 1e300}, {"lr": "z"})
    by_value = {
        g.value: g.metrics["loss"] for g in sql_store.group_runs([exp_id], "params.lr", ["loss"])
    }
    assert by_value["x"] == MetricStats(INF, 1.0, INF, None)
    assert by_value["y"] == MetricStats(-INF, -INF, -INF, None)
    assert by_value["z"].min == 1e300 and by_value["z"].max == 1e300


@pytest.mark.parametrize("group_by", ["metrics.loss", "lr", "params.", "attributes.status"])
def test_group_runs_rejects_what_is_not_a_param_or_tag(
    sql_store: SqlTrackingStore, group_by: str
) -> None:
    with pytest.raises(InvalidParameterValue):
        sql_store.group_runs(["0"], group_by)


def test_group_runs_rejects_a_bad_filter_and_is_empty_without_experiments(
    sql_store: SqlTrackingStore,
) -> None:
    with pytest.raises(InvalidParameterValue):
        sql_store.group_runs(["0"], "params.lr", filter_string="params.lr = ")
    assert sql_store.group_runs([], "params.lr") == []
    assert sql_store.group_runs(["424242"], "params.lr") == []
