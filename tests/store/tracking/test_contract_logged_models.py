"""Contract: MLflow 3.x logged models, and run inputs/outputs, on every tracking store."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from cairn.entities import (
    Dataset,
    DatasetInput,
    LifecycleStage,
    LoggedModel,
    LoggedModelParam,
    LoggedModelStatus,
    LoggedModelTag,
    Metric,
    ModelInput,
    ModelOutput,
    Param,
)
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.store.tracking.base import DatasetFilter, LoggedModelOrder, TrackingStore

READY = LoggedModelStatus.LOGGED_MODEL_READY
UNKNOWN_MODEL = "m-" + "0" * 32


@pytest.fixture
def exp_id(store: TrackingStore) -> str:
    return store.create_experiment("models")


@pytest.fixture
def run_id(store: TrackingStore, exp_id: str) -> str:
    return store.create_run(exp_id).info.run_id


def _later() -> None:
    """Let the millisecond clock move on, so a bumped timestamp is visibly larger."""
    time.sleep(0.003)


# --- create / get ------------------------------------------------------------------------------
def test_create_logged_model_starts_pending_under_the_experiment_artifacts(
    store: TrackingStore, exp_id: str, run_id: str
) -> None:
    model = store.create_logged_model(
        exp_id,
        name="model",
        source_run_id=run_id,
        tags=[LoggedModelTag("mlflow.user", "bob")],
        params=[LoggedModelParam("alpha", "0.5")],
        model_type="sklearn",
    )
    assert re.fullmatch(r"m-[0-9a-f]{32}", model.model_id)
    assert (model.experiment_id, model.name, model.model_type) == (exp_id, "model", "sklearn")
    assert model.source_run_id == run_id
    assert model.status is LoggedModelStatus.LOGGED_MODEL_PENDING
    assert model.lifecycle_stage is LifecycleStage.ACTIVE
    assert model.creation_timestamp == model.last_updated_timestamp
    assert abs(model.creation_timestamp - time.time() * 1000) < 60_000
    location = store.get_experiment(exp_id).artifact_location
    assert model.artifact_location == f"{location}/models/{model.model_id}/artifacts"
    assert model.tag_dict == {"mlflow.user": "bob"}
    assert model.param_dict == {"alpha": "0.5"}
    assert store.get_logged_model(model.model_id) == model


def test_create_logged_model_generates_a_name_when_none_given(
    store: TrackingStore, exp_id: str
) -> None:
    first = store.create_logged_model(exp_id)
    assert re.fullmatch(r"[a-z]+-[a-z]+-\d{1,3}", first.name)
    assert first.source_run_id is None and first.model_type is None
    assert (first.tags, first.params, first.metrics) == ((), (), ())


@pytest.mark.parametrize("name", ["", "a/b", "a:b", "a.b", "a%b", 'a"b', "a'b", "x" * 501])
def test_create_logged_model_rejects_bad_names(
    store: TrackingStore, exp_id: str, name: str
) -> None:
    with pytest.raises(InvalidParameterValue):
        store.create_logged_model(exp_id, name=name)
    assert len(store.search_logged_models([exp_id])) == 0


def test_create_logged_model_in_unknown_experiment_raises_not_found(store: TrackingStore) -> None:
    with pytest.raises(ResourceDoesNotExist):
        store.create_logged_model("777", name="m")


def test_create_logged_model_in_deleted_experiment_is_rejected(
    store: TrackingStore, exp_id: str
) -> None:
    store.delete_experiment(exp_id)
    with pytest.raises(InvalidParameterValue):
        store.create_logged_model(exp_id, name="m")


def test_create_logged_model_with_unknown_source_run_raises_not_found(
    store: TrackingStore, exp_id: str
) -> None:
    with pytest.raises(ResourceDoesNotExist):
        store.create_logged_model(exp_id, name="m", source_run_id="f" * 32)
    assert len(store.search_logged_models([exp_id])) == 0


def test_get_unknown_logged_model_raises_not_found(store: TrackingStore) -> None:
    with pytest.raises(ResourceDoesNotExist):
        store.get_logged_model(UNKNOWN_MODEL)


# --- finalize / delete -------------------------------------------------------------------------
@pytest.mark.parametrize("status", [READY, LoggedModelStatus.LOGGED_MODEL_UPLOAD_FAILED])
def test_finalize_sets_the_status_and_bumps_last_updated(
    store: TrackingStore, exp_id: str, status: LoggedModelStatus
) -> None:
    model = store.create_logged_model(exp_id, name="m")
    _later()
    finalized = store.finalize_logged_model(model.model_id, status)
    assert finalized.status is status
    assert finalized.last_updated_timestamp > model.last_updated_timestamp
    assert finalized.creation_timestamp == model.creation_timestamp
    assert store.get_logged_model(model.model_id) == finalized


@pytest.mark.parametrize(
    "status",
    [LoggedModelStatus.LOGGED_MODEL_PENDING, LoggedModelStatus.LOGGED_MODEL_STATUS_UNSPECIFIED],
)
def test_finalize_accepts_only_final_statuses(
    store: TrackingStore, exp_id: str, status: LoggedModelStatus
) -> None:
    model = store.create_logged_model(exp_id, name="m")
    with pytest.raises(InvalidParameterValue):
        store.finalize_logged_model(model.model_id, status)
    assert store.get_logged_model(model.model_id).status is LoggedModelStatus.LOGGED_MODEL_PENDING


def test_finalize_unknown_model_raises_not_found(store: TrackingStore) -> None:
    with pytest.raises(ResourceDoesNotExist):
        store.finalize_logged_model(UNKNOWN_MODEL, READY)


def test_deleted_model_is_hidden_unless_asked_for(store: TrackingStore, exp_id: str) -> None:
    model = store.create_logged_model(exp_id, name="m")
    store.delete_logged_model(model.model_id)
    with pytest.raises(ResourceDoesNotExist):
        store.get_logged_model(model.model_id)
    deleted = store.get_logged_model(model.model_id, allow_deleted=True)
    assert deleted.lifecycle_stage is LifecycleStage.DELETED
    assert len(store.search_logged_models([exp_id])) == 0


def test_delete_unknown_model_raises_not_found(store: TrackingStore) -> None:
    with pytest.raises(ResourceDoesNotExist):
        store.delete_logged_model(UNKNOWN_MODEL)


# --- tags and params ---------------------------------------------------------------------------
def test_set_logged_model_tags_upserts_and_bumps_last_updated(
    store: TrackingStore, exp_id: str
) -> None:
    model = store.create_logged_model(exp_id, name="m", tags=[LoggedModelTag("a", "1")])
    _later()
    store.set_logged_model_tags(
        model.model_id, [LoggedModelTag("a", "2"), LoggedModelTag("b", "x")]
    )
    updated = store.get_logged_model(model.model_id)
    assert updated.tag_dict == {"a": "2", "b": "x"}
    assert updated.last_updated_timestamp > model.last_updated_timestamp


def test_set_logged_model_tags_keeps_the_last_of_repeated_keys(
    store: TrackingStore, exp_id: str
) -> None:
    model = store.create_logged_model(exp_id, name="m")
    store.set_logged_model_tags(
        model.model_id, [LoggedModelTag("k", "1"), LoggedModelTag("k", "2")]
    )
    assert store.get_logged_model(model.model_id).tag_dict == {"k": "2"}


def test_model_versions_tag_takes_a_long_json_value(store: TrackingStore, exp_id: str) -> None:
    model = store.create_logged_model(exp_id, name="m")
    value = '[{"name": "RM1", "version": "1"}]' * 1000
    store.set_logged_model_tags(model.model_id, [LoggedModelTag("mlflow.modelVersions", value)])
    assert store.get_logged_model(model.model_id).tag_dict["mlflow.modelVersions"] == value


def test_delete_logged_model_tag(store: TrackingStore, exp_id: str) -> None:
    model = store.create_logged_model(
        exp_id, name="m", tags=[LoggedModelTag("a", "1"), LoggedModelTag("b", "2")]
    )
    store.delete_logged_model_tag(model.model_id, "a")
    assert store.get_logged_model(model.model_id).tag_dict == {"b": "2"}
    with pytest.raises(ResourceDoesNotExist):
        store.delete_logged_model_tag(model.model_id, "a")


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.set_logged_model_tags(UNKNOWN_MODEL, [LoggedModelTag("a", "1")]),
        lambda s: s.delete_logged_model_tag(UNKNOWN_MODEL, "a"),
        lambda s: s.log_logged_model_params(UNKNOWN_MODEL, [LoggedModelParam("a", "1")]),
    ],
    ids=["set_tags", "delete_tag", "log_params"],
)
def test_writes_to_an_unknown_model_raise_not_found(
    store: TrackingStore, call: Callable[[TrackingStore], object]
) -> None:
    with pytest.raises(ResourceDoesNotExist):
        call(store)


def test_log_logged_model_params_inserts_and_overwrites(store: TrackingStore, exp_id: str) -> None:
    model = store.create_logged_model(exp_id, name="m", params=[LoggedModelParam("a", "1")])
    _later()
    store.log_logged_model_params(
        model.model_id, [LoggedModelParam("a", "2"), LoggedModelParam("b", "3")]
    )
    updated = store.get_logged_model(model.model_id)
    assert updated.param_dict == {"a": "2", "b": "3"}
    assert updated.last_updated_timestamp > model.last_updated_timestamp


def test_empty_tag_key_is_rejected(store: TrackingStore, exp_id: str) -> None:
    with pytest.raises(InvalidParameterValue):
        store.create_logged_model(exp_id, name="m", tags=[LoggedModelTag("", "v")])


# --- metrics logged with a model id ------------------------------------------------------------
def test_metrics_with_a_model_id_become_model_metrics(
    store: TrackingStore, exp_id: str, run_id: str
) -> None:
    model = store.create_logged_model(exp_id, name="m", source_run_id=run_id)
    points = [
        Metric("loss", 0.5, 20, 1, model_id=model.model_id),
        Metric(
            "acc", 0.9, 10, 0, model_id=model.model_id, dataset_name="eval", dataset_digest="d1"
        ),
        Metric("loss", 0.7, 10, 0, model_id=model.model_id),
        Metric("plain", 1.0, 10, 0),
    ]
    store.log_batch(run_id, metrics=points)
    store.log_batch(run_id, metrics=points)  # re-logging the same points changes nothing
    metrics = store.get_logged_model(model.model_id).metrics
    assert [(m.key, m.value, m.timestamp, m.step) for m in metrics] == [
        ("acc", 0.9, 10, 0),
        ("loss", 0.7, 10, 0),
        ("loss", 0.5, 20, 1),
    ]
    assert {(m.run_id, m.model_id) for m in metrics} == {(run_id, model.model_id)}
    assert (metrics[0].dataset_name, metrics[0].dataset_digest) == ("eval", "d1")
    assert (metrics[1].dataset_name, metrics[1].dataset_digest) == (None, None)
    assert store.get_run(run_id).data.metric_dict == {"acc": 0.9, "loss": 0.5, "plain": 1.0}


def test_nan_model_metric_round_trips(store: TrackingStore, exp_id: str, run_id: str) -> None:
    model = store.create_logged_model(exp_id, name="m")
    store.log_metric(run_id, Metric("x", math.nan, 1, 0, model_id=model.model_id))
    (metric,) = store.get_logged_model(model.model_id).metrics
    assert math.isnan(metric.value)


def test_metric_naming_an_unknown_model_writes_nothing(store: TrackingStore, run_id: str) -> None:
    with pytest.raises(ResourceDoesNotExist):
        store.log_batch(
            run_id,
            metrics=[Metric("a", 1.0, 1, 0), Metric("b", 1.0, 1, 0, model_id=UNKNOWN_MODEL)],
            params=[Param("p", "1")],
        )
    run = store.get_run(run_id)
    assert (run.data.metrics, run.data.params) == ((), ())


# --- run outputs and inputs --------------------------------------------------------------------
def test_log_outputs_round_trips_through_get_run_and_search_runs(
    store: TrackingStore, exp_id: str, run_id: str
) -> None:
    first = store.create_logged_model(exp_id, name="first")
    second = store.create_logged_model(exp_id, name="second")
    store.log_outputs(run_id, [ModelOutput(first.model_id, 0)])
    store.log_outputs(run_id, [ModelOutput(first.model_id, 0), ModelOutput(second.model_id, 3)])
    expected = {ModelOutput(first.model_id, 0), ModelOutput(second.model_id, 3)}
    outputs = store.get_run(run_id).outputs.model_outputs
    assert len(outputs) == 2 and set(outputs) == expected
    (found,) = store.search_runs([exp_id]).items
    assert set(found.outputs.model_outputs) == expected


def test_same_model_at_another_step_is_another_output(
    store: TrackingStore, exp_id: str, run_id: str
) -> None:
    model = store.create_logged_model(exp_id, name="m")
    store.log_outputs(run_id, [ModelOutput(model.model_id, 0), ModelOutput(model.model_id, 5)])
    assert [o.step for o in store.get_run(run_id).outputs.model_outputs] == [0, 5]


def test_log_outputs_needs_an_existing_model(store: TrackingStore, run_id: str) -> None:
    with pytest.raises(ResourceDoesNotExist):
        store.log_outputs(run_id, [ModelOutput(UNKNOWN_MODEL, 0)])
    assert store.get_run(run_id).outputs.model_outputs == ()


def test_log_outputs_needs_an_existing_active_run(store: TrackingStore, exp_id: str) -> None:
    model = store.create_logged_model(exp_id, name="m")
    with pytest.raises(ResourceDoesNotExist):
        store.log_outputs("f" * 32, [ModelOutput(model.model_id, 0)])
    run_id = store.create_run(exp_id).info.run_id
    store.delete_run(run_id)
    with pytest.raises(InvalidParameterValue):
        store.log_outputs(run_id, [ModelOutput(model.model_id, 0)])


def test_log_inputs_records_models_beside_datasets(
    store: TrackingStore, exp_id: str, run_id: str
) -> None:
    model = store.create_logged_model(exp_id, name="m")
    dataset = Dataset(name="train", digest="abc", source_type="code", source="{}")
    store.log_inputs(run_id, [DatasetInput(dataset)], [ModelInput(model.model_id)])
    store.log_inputs(run_id, models=[ModelInput(model.model_id)])
    run = store.get_run(run_id)
    assert run.inputs.model_inputs == (ModelInput(model.model_id),)
    assert [d.dataset.name for d in run.inputs.dataset_inputs] == ["train"]
    (found,) = store.search_runs([exp_id]).items
    assert found.inputs.model_inputs == (ModelInput(model.model_id),)


def test_log_inputs_with_an_unknown_model_writes_nothing(store: TrackingStore, run_id: str) -> None:
    dataset = Dataset(name="train", digest="abc", source_type="code", source="{}")
    with pytest.raises(ResourceDoesNotExist):
        store.log_inputs(run_id, [DatasetInput(dataset)], [ModelInput(UNKNOWN_MODEL)])
    run = store.get_run(run_id)
    assert (run.inputs.dataset_inputs, run.inputs.model_inputs) == ((), ())


def test_runs_without_models_have_empty_inputs_and_outputs(
    store: TrackingStore, run_id: str
) -> None:
    run = store.get_run(run_id)
    assert (run.inputs.model_inputs, run.outputs.model_outputs) == ((), ())


# --- search ------------------------------------------------------------------------------------
def _names(models: Iterable[LoggedModel]) -> list[str]:
    return [m.name for m in models]


def _three_models(store: TrackingStore, exp_id: str, run_id: str) -> list[LoggedModel]:
    """Created oldest first, a few milliseconds apart."""
    models = []
    for name, alpha, acc in (("a", "0.5", 0.8), ("b", "0.7", 0.95), ("c", "0.5", None)):
        model = store.create_logged_model(
            exp_id,
            name=name,
            source_run_id=run_id if name != "c" else None,
            params=[LoggedModelParam("alpha", alpha)],
            tags=[LoggedModelTag("mlflow.user", "bob" if name == "a" else "ann")],
        )
        if acc is not None:
            store.log_metric(
                run_id, Metric("acc", acc, 1, 0, model_id=model.model_id, dataset_name="eval")
            )
        models.append(model)
        _later()
    return models


def test_search_defaults_to_newest_first(store: TrackingStore, exp_id: str, run_id: str) -> None:
    _three_models(store, exp_id, run_id)
    page = store.search_logged_models([exp_id])
    assert _names(page) == ["c", "b", "a"] and page.next_page_token is None


def test_search_returns_full_models(store: TrackingStore, exp_id: str, run_id: str) -> None:
    _, b, _ = _three_models(store, exp_id, run_id)
    (found,) = store.search_logged_models([exp_id], "name = 'b'").items
    assert found == store.get_logged_model(b.model_id)
    assert [m.value for m in found.metrics] == [0.95]


@pytest.mark.parametrize(
    ("filter_string", "expected"),
    [
        ("name = 'a'", ["a"]),
        ("name = 'a' AND source_run_id = '{run_id}'", ["a"]),
        ("name = 'c' AND source_run_id = '{run_id}'", []),
        ("metrics.acc > 0.9", ["b"]),
        ("params.alpha = '0.5'", ["c", "a"]),
        ("tags.`mlflow.user` = 'bob'", ["a"]),
        ("creation_timestamp > 0", ["c", "b", "a"]),
        ("status = 'LOGGED_MODEL_READY'", ["b"]),
        ("status = 'LOGGED_MODEL_PENDING'", ["c", "a"]),
        ("name IN ('a', 'c') AND params.alpha != '0.7'", ["c", "a"]),
    ],
)
def test_search_filters(
    store: TrackingStore, exp_id: str, run_id: str, filter_string: str, expected: list[str]
) -> None:
    _, b, _ = _three_models(store, exp_id, run_id)
    store.finalize_logged_model(b.model_id, READY)
    found = store.search_logged_models([exp_id], filter_string.format(run_id=run_id))
    assert _names(found) == expected


def test_search_filters_metrics_per_dataset(store: TrackingStore, exp_id: str, run_id: str) -> None:
    _three_models(store, exp_id, run_id)
    assert _names(store.search_logged_models([exp_id], datasets=[DatasetFilter("eval")])) == [
        "b",
        "a",
    ]
    found = store.search_logged_models(
        [exp_id], "metrics.acc > 0.5", datasets=[DatasetFilter("test")]
    )
    assert _names(found) == []


def test_search_orders_by_a_metric_with_missing_last(
    store: TrackingStore, exp_id: str, run_id: str
) -> None:
    _three_models(store, exp_id, run_id)
    for ascending, expected in ((True, ["a", "b", "c"]), (False, ["b", "a", "c"])):
        order = [LoggedModelOrder("metrics.acc", ascending=ascending, dataset_name="eval")]
        assert _names(store.search_logged_models([exp_id], order_by=order)) == expected


def test_search_orders_by_attributes(store: TrackingStore, exp_id: str, run_id: str) -> None:
    _three_models(store, exp_id, run_id)
    order = [LoggedModelOrder("creation_timestamp", ascending=True)]
    assert _names(store.search_logged_models([exp_id], order_by=order)) == ["a", "b", "c"]
    order = [LoggedModelOrder("name", ascending=False)]
    assert _names(store.search_logged_models([exp_id], order_by=order)) == ["c", "b", "a"]


def test_search_pages_through_every_model_once(store: TrackingStore, exp_id: str) -> None:
    created = [store.create_logged_model(exp_id, name=f"m{i}").model_id for i in range(5)]
    seen: list[str] = []
    sizes = []
    token = None
    while True:
        page = store.search_logged_models([exp_id], max_results=2, page_token=token)
        seen.extend(m.model_id for m in page)
        sizes.append(len(page))
        token = page.next_page_token
        if token is None:
            break
    assert sizes == [2, 2, 1]
    assert sorted(seen) == sorted(created) and len(set(seen)) == 5


def test_search_spans_several_experiments(store: TrackingStore, exp_id: str) -> None:
    other = store.create_experiment("other")
    store.create_logged_model(exp_id, name="here")
    store.create_logged_model(other, name="there")
    assert sorted(_names(store.search_logged_models([exp_id, other]))) == ["here", "there"]
    assert _names(store.search_logged_models([other])) == ["there"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"experiment_ids": []},
        {"experiment_ids": ["abc"]},
        {"experiment_ids": ["0"], "max_results": 0},
        {"experiment_ids": ["0"], "max_results": 1001},
        {"experiment_ids": ["0"], "filter_string": "name = 'a' OR name = 'b'"},
        {"experiment_ids": ["0"], "filter_string": "nope = 'x'"},
        {"experiment_ids": ["0"], "filter_string": "metrics.acc > 'x'"},
        {"experiment_ids": ["0"], "order_by": [LoggedModelOrder("params.alpha")]},
        {"experiment_ids": ["0"], "order_by": [LoggedModelOrder("nope")]},
        {"experiment_ids": ["0"], "datasets": [DatasetFilter("")]},
        {"experiment_ids": ["0"], "page_token": "garbage"},
    ],
    ids=lambda kwargs: "-".join(f"{k}={v}" for k, v in kwargs.items()),
)
def test_bad_search_is_an_invalid_parameter(store: TrackingStore, kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidParameterValue):
        store.search_logged_models(**kwargs)
