"""Contract: params, metrics, tags, batches and datasets behave the same on every store."""

from __future__ import annotations

import math
import secrets

import pytest

from cairn.entities import Dataset, DatasetInput, InputTag, Metric, Param, RunTag
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.store.tracking.base import TrackingStore

MAX_DOUBLE = 1.7976931348623157e308


@pytest.fixture
def run_id(store: TrackingStore) -> str:
    return store.create_run("0").info.run_id


def test_param_can_be_relogged_with_the_same_value(store: TrackingStore, run_id: str) -> None:
    store.log_param(run_id, Param("lr", "0.1"))
    store.log_param(run_id, Param("lr", "0.1"))
    assert store.get_run(run_id).data.param_dict == {"lr": "0.1"}


def test_param_change_is_rejected_and_keeps_the_first_value(
    store: TrackingStore, run_id: str
) -> None:
    store.log_param(run_id, Param("lr", "0.1"))
    with pytest.raises(InvalidParameterValue, match="Changing param values is not allowed"):
        store.log_param(run_id, Param("lr", "0.2"))
    assert store.get_run(run_id).data.param_dict == {"lr": "0.1"}


def test_empty_param_value_is_allowed(store: TrackingStore, run_id: str) -> None:
    store.log_param(run_id, Param("empty", ""))
    assert store.get_run(run_id).data.param_dict == {"empty": ""}


def test_long_param_and_tag_values_are_truncated(store: TrackingStore, run_id: str) -> None:
    store.log_param(run_id, Param("p", "x" * 7000))
    store.set_tag(run_id, RunTag("t", "y" * 9000))
    data = store.get_run(run_id).data
    assert data.param_dict["p"] == "x" * 6000
    assert data.tag_dict["t"] == "y" * 8000


def test_longest_incompressible_values_are_stored_whole(store: TrackingStore, run_id: str) -> None:
    """Random text defeats compression, so it finds index size limits (PostgreSQL's B-tree)."""
    param_value = secrets.token_hex(3000)
    tag_value = secrets.token_hex(4000)
    store.log_param(run_id, Param("big", param_value))
    store.set_tag(run_id, RunTag("big", tag_value))
    data = store.get_run(run_id).data
    assert data.param_dict["big"] == param_value and data.tag_dict["big"] == tag_value
    (found,) = store.search_runs(["0"], filter_string=f"params.big = '{param_value}'")
    assert found.info.run_id == run_id


@pytest.mark.parametrize(
    "key", ["", "../up", "/abs", "a//b", "bad!char", "./dot", "a/./b", "k" * 251, "."]
)
def test_invalid_keys_are_rejected_for_every_kind(
    store: TrackingStore, run_id: str, key: str
) -> None:
    for call in (
        lambda: store.log_param(run_id, Param(key, "v")),
        lambda: store.set_tag(run_id, RunTag(key, "v")),
        lambda: store.log_metric(run_id, Metric(key, 1.0, 0, 0)),
    ):
        with pytest.raises(InvalidParameterValue):
            call()
    data = store.get_run(run_id).data
    assert not data.params and not data.metrics


@pytest.mark.parametrize("key", ["a.b", "a/b", "with space", "x:y", "a-b_c", "k" * 250])
def test_valid_unusual_keys_are_accepted(store: TrackingStore, run_id: str, key: str) -> None:
    store.log_param(run_id, Param(key, "v"))
    assert store.get_run(run_id).data.param_dict == {key: "v"}


def test_set_tag_upserts_and_delete_tag_removes(store: TrackingStore, run_id: str) -> None:
    store.set_tag(run_id, RunTag("k", "1"))
    store.set_tag(run_id, RunTag("k", "2"))
    assert store.get_run(run_id).data.tag_dict["k"] == "2"
    store.delete_tag(run_id, "k")
    assert "k" not in store.get_run(run_id).data.tag_dict


def test_delete_missing_tag_raises_not_found(store: TrackingStore, run_id: str) -> None:
    with pytest.raises(ResourceDoesNotExist):
        store.delete_tag(run_id, "never")


def test_setting_the_run_name_tag_renames_the_run(store: TrackingStore, run_id: str) -> None:
    store.set_tag(run_id, RunTag("mlflow.runName", "renamed"))
    assert store.get_run(run_id).info.run_name == "renamed"


def test_metric_history_is_ordered_and_complete(store: TrackingStore, run_id: str) -> None:
    for step, ts, value in [(2, 30, 0.3), (0, 10, 0.1), (1, 20, 0.2)]:
        store.log_metric(run_id, Metric("loss", value, ts, step))
    history = store.get_metric_history(run_id, "loss")
    assert [(m.step, m.timestamp, m.value) for m in history] == [
        (0, 10, 0.1),
        (1, 20, 0.2),
        (2, 30, 0.3),
    ]
    assert history.next_page_token is None


def test_metric_history_pages(store: TrackingStore, run_id: str) -> None:
    store.log_batch(run_id, metrics=[Metric("m", float(i), i, i) for i in range(7)])
    first = store.get_metric_history(run_id, "m", max_results=3)
    second = store.get_metric_history(run_id, "m", max_results=3, page_token=first.next_page_token)
    third = store.get_metric_history(run_id, "m", max_results=3, page_token=second.next_page_token)
    values = [m.value for page in (first, second, third) for m in page]
    assert values == [float(i) for i in range(7)]
    assert third.next_page_token is None


def test_metric_history_of_unknown_key_is_empty(store: TrackingStore, run_id: str) -> None:
    assert len(store.get_metric_history(run_id, "nothing")) == 0


def test_nan_and_infinities_round_trip(store: TrackingStore, run_id: str) -> None:
    store.log_batch(
        run_id,
        metrics=[
            Metric("nan", math.nan, 1, 0),
            Metric("pinf", math.inf, 1, 0),
            Metric("ninf", -math.inf, 1, 0),
        ],
    )
    latest = store.get_run(run_id).data.metric_dict
    assert math.isnan(latest["nan"])
    assert latest["pinf"] == MAX_DOUBLE and latest["ninf"] == -MAX_DOUBLE
    assert math.isnan(store.get_metric_history(run_id, "nan").items[0].value)


def test_latest_metric_prefers_higher_step_over_newer_timestamp(
    store: TrackingStore, run_id: str
) -> None:
    store.log_metric(run_id, Metric("acc", 0.9, timestamp=100, step=5))
    store.log_metric(run_id, Metric("acc", 0.5, timestamp=200, step=1))
    assert store.get_run(run_id).data.metric_dict["acc"] == 0.9
    store.log_metric(run_id, Metric("acc", 0.7, timestamp=50, step=6))
    assert store.get_run(run_id).data.metric_dict["acc"] == 0.7


def test_latest_metric_breaks_ties_by_timestamp_then_value(
    store: TrackingStore, run_id: str
) -> None:
    store.log_batch(
        run_id,
        metrics=[Metric("m", 1.0, 10, 3), Metric("m", 2.0, 11, 3), Metric("m", 1.5, 11, 3)],
    )
    assert store.get_run(run_id).data.metric_dict["m"] == 2.0


def test_exact_duplicate_metric_points_are_stored_once(store: TrackingStore, run_id: str) -> None:
    point = Metric("m", 1.0, 10, 1)
    store.log_batch(run_id, metrics=[point, point])
    store.log_metric(run_id, point)
    assert len(store.get_metric_history(run_id, "m")) == 1


def test_metrics_at_a_step_are_the_distinct_points_of_those_keys_there(
    store: TrackingStore, run_id: str
) -> None:
    store.log_batch(
        run_id, metrics=[Metric(k, float(s), 100 + s, s) for k in "ab" for s in range(6)]
    )
    store.log_batch(run_id, metrics=[Metric("a", 3.0, 103, 3), Metric("a", 9.0, 200, 3)])
    store.log_batch(run_id, metrics=[Metric("c", 1.0, 5, 3)])
    found = store.get_metrics_at_step(run_id, ["a", "b"], 3)
    assert sorted((m.key, m.value, m.timestamp, m.step) for m in found) == [
        ("a", 3.0, 103, 3),
        ("a", 9.0, 200, 3),
        ("b", 3.0, 103, 3),
    ]
    assert store.get_metrics_at_step(run_id, ["a"], 42) == []


@pytest.mark.parametrize("value", ["1.0", True, None])
def test_non_numeric_metric_values_are_rejected(
    store: TrackingStore, run_id: str, value: object
) -> None:
    with pytest.raises(InvalidParameterValue):
        store.log_metric(run_id, Metric("m", value, 0, 0))  # type: ignore[arg-type]


def test_negative_timestamp_is_rejected(store: TrackingStore, run_id: str) -> None:
    with pytest.raises(InvalidParameterValue):
        store.log_metric(run_id, Metric("m", 1.0, -1, 0))


def test_log_batch_writes_params_metrics_and_tags_together(
    store: TrackingStore, run_id: str
) -> None:
    store.log_batch(
        run_id,
        metrics=[Metric("m", 1.0, 1, 0)],
        params=[Param("p", "1")],
        tags=[RunTag("t", "x"), RunTag("t", "y")],
    )
    data = store.get_run(run_id).data
    assert data.metric_dict == {"m": 1.0}
    assert data.param_dict == {"p": "1"}
    assert data.tag_dict["t"] == "y"


def test_log_batch_with_one_bad_item_writes_nothing(store: TrackingStore, run_id: str) -> None:
    with pytest.raises(InvalidParameterValue):
        store.log_batch(
            run_id,
            metrics=[Metric("good", 1.0, 1, 0), Metric("bad", "x", 1, 0)],  # type: ignore[arg-type]
            params=[Param("p", "1")],
            tags=[RunTag("t", "v")],
        )
    data = store.get_run(run_id).data
    assert not data.metrics and not data.params and "t" not in data.tag_dict


def test_log_batch_with_changed_param_writes_nothing(store: TrackingStore, run_id: str) -> None:
    store.log_param(run_id, Param("p", "1"))
    with pytest.raises(InvalidParameterValue):
        store.log_batch(
            run_id, metrics=[Metric("m", 1.0, 1, 0)], params=[Param("q", "2"), Param("p", "9")]
        )
    data = store.get_run(run_id).data
    assert data.param_dict == {"p": "1"} and not data.metrics


def test_log_batch_rejects_duplicate_param_keys(store: TrackingStore, run_id: str) -> None:
    with pytest.raises(InvalidParameterValue):
        store.log_batch(run_id, params=[Param("p", "1"), Param("p", "1")])


@pytest.mark.parametrize(
    ("n_metrics", "n_params", "n_tags"), [(1001, 0, 0), (0, 101, 0), (0, 0, 101), (900, 60, 60)]
)
def test_log_batch_enforces_size_limits(
    store: TrackingStore, run_id: str, n_metrics: int, n_params: int, n_tags: int
) -> None:
    with pytest.raises(InvalidParameterValue):
        store.log_batch(
            run_id,
            metrics=[Metric(f"m{i}", 1.0, 1, 0) for i in range(n_metrics)],
            params=[Param(f"p{i}", "v") for i in range(n_params)],
            tags=[RunTag(f"t{i}", "v") for i in range(n_tags)],
        )
    assert not store.get_run(run_id).data.metrics


def test_log_batch_accepts_exactly_the_limits(store: TrackingStore, run_id: str) -> None:
    store.log_batch(run_id, metrics=[Metric(f"m{i}", 1.0, 1, 0) for i in range(1000)])
    store.log_batch(
        run_id,
        params=[Param(f"p{i}", "v") for i in range(100)],
        tags=[RunTag(f"t{i}", "v") for i in range(100)],
    )
    data = store.get_run(run_id).data
    assert len(data.metrics) == 1000 and len(data.params) == 100


def test_writes_to_a_deleted_run_are_rejected(store: TrackingStore, run_id: str) -> None:
    store.delete_run(run_id)
    for call in (
        lambda: store.log_param(run_id, Param("p", "1")),
        lambda: store.log_metric(run_id, Metric("m", 1.0, 1, 0)),
        lambda: store.set_tag(run_id, RunTag("t", "1")),
    ):
        with pytest.raises(InvalidParameterValue, match="active"):
            call()


def test_writes_to_an_unknown_run_raise_not_found(store: TrackingStore) -> None:
    with pytest.raises(ResourceDoesNotExist):
        store.log_param("a" * 32, Param("p", "1"))


def test_malformed_run_id_is_invalid_parameter(store: TrackingStore) -> None:
    with pytest.raises(InvalidParameterValue):
        store.log_batch("../../etc", params=[Param("p", "1")])


def _dataset(name: str = "train", digest: str = "abc123") -> Dataset:
    return Dataset(name=name, digest=digest, source_type="code", source="{}", schema="{}")


def test_log_inputs_links_a_dataset_once_with_its_context(
    store: TrackingStore, run_id: str
) -> None:
    item = DatasetInput(_dataset(), (InputTag("mlflow.data.context", "training"),))
    store.log_inputs(run_id, [item])
    store.log_inputs(run_id, [item])
    inputs = store.get_run(run_id).inputs.dataset_inputs
    assert len(inputs) == 1
    assert inputs[0].dataset.name == "train" and inputs[0].context == "training"


def test_same_dataset_is_shared_between_runs_of_an_experiment(store: TrackingStore) -> None:
    first = store.create_run("0").info.run_id
    second = store.create_run("0").info.run_id
    store.log_inputs(first, [DatasetInput(_dataset())])
    store.log_inputs(second, [DatasetInput(_dataset()), DatasetInput(_dataset(digest="zzz"))])
    assert len(store.get_run(first).inputs.dataset_inputs) == 1
    assert {d.dataset.digest for d in store.get_run(second).inputs.dataset_inputs} == {
        "abc123",
        "zzz",
    }


@pytest.mark.parametrize(
    "dataset",
    [
        Dataset(name="", digest="d", source_type="code", source="{}"),
        Dataset(name="n", digest="d" * 37, source_type="code", source="{}"),
        Dataset(name="n" * 501, digest="d", source_type="code", source="{}"),
    ],
)
def test_log_inputs_rejects_invalid_datasets(
    store: TrackingStore, run_id: str, dataset: Dataset
) -> None:
    with pytest.raises(InvalidParameterValue):
        store.log_inputs(run_id, [DatasetInput(dataset)])
    assert not store.get_run(run_id).inputs.dataset_inputs
