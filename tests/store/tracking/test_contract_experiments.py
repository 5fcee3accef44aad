"""Contract: experiment operations behave the same on every tracking store."""

from __future__ import annotations

import pytest

from cairn.entities import ExperimentTag, LifecycleStage, RunStatus, ViewType
from cairn.errors import (
    InvalidParameterValue,
    InvalidState,
    ResourceAlreadyExists,
    ResourceDoesNotExist,
)
from cairn.store.tracking.base import TrackingStore


def test_default_experiment_exists_with_id_zero(store: TrackingStore) -> None:
    exp = store.get_experiment("0")
    assert exp.name == "Default"
    assert exp.lifecycle_stage is LifecycleStage.ACTIVE
    assert exp.artifact_location.endswith("/0")


def test_create_experiment_returns_increasing_integer_ids(store: TrackingStore) -> None:
    first = store.create_experiment("a")
    second = store.create_experiment("b")
    assert int(second) == int(first) + 1
    assert first != "0"


def test_create_experiment_defaults_artifact_location_under_root(store: TrackingStore) -> None:
    exp_id = store.create_experiment("exp")
    exp = store.get_experiment(exp_id)
    assert exp.artifact_location.startswith("file://")
    assert exp.artifact_location.endswith(f"/artifacts/{exp_id}")
    assert exp.creation_time > 0 and exp.last_update_time == exp.creation_time


def test_create_experiment_keeps_explicit_artifact_location(store: TrackingStore) -> None:
    exp_id = store.create_experiment("exp", artifact_location="s3://bucket/path")
    assert store.get_experiment(exp_id).artifact_location == "s3://bucket/path"


@pytest.mark.parametrize("location", ["runs:/abc/x", "s3://b/p#frag", "s3://b/p;x=1", "x" * 2049])
def test_create_experiment_rejects_bad_artifact_location(
    store: TrackingStore, location: str
) -> None:
    with pytest.raises(InvalidParameterValue):
        store.create_experiment("exp", artifact_location=location)
    assert store.get_experiment_by_name("exp") is None


def test_create_experiment_with_tags(store: TrackingStore) -> None:
    exp_id = store.create_experiment("exp", tags=[ExperimentTag("team", "vision")])
    assert store.get_experiment(exp_id).tag_dict == {"team": "vision"}


def test_create_experiment_rejects_duplicate_name_even_when_deleted(store: TrackingStore) -> None:
    exp_id = store.create_experiment("dup")
    with pytest.raises(ResourceAlreadyExists):
        store.create_experiment("dup")
    store.delete_experiment(exp_id)
    with pytest.raises(ResourceAlreadyExists):
        store.create_experiment("dup")


def test_experiment_names_are_case_sensitive(store: TrackingStore) -> None:
    store.create_experiment("Case")
    store.create_experiment("case")
    assert store.get_experiment_by_name("case") is not None
    assert store.get_experiment_by_name("CASE") is None


@pytest.mark.parametrize("name", ["", "   ", "x" * 501])
def test_create_experiment_rejects_empty_or_overlong_name(store: TrackingStore, name: str) -> None:
    with pytest.raises(InvalidParameterValue):
        store.create_experiment(name)


def test_get_experiment_unknown_id_raises_not_found(store: TrackingStore) -> None:
    with pytest.raises(ResourceDoesNotExist):
        store.get_experiment("12345")


def test_get_experiment_non_integer_id_is_invalid_parameter(store: TrackingStore) -> None:
    with pytest.raises(InvalidParameterValue):
        store.get_experiment("abc")


def test_get_experiment_by_name_returns_none_when_missing(store: TrackingStore) -> None:
    assert store.get_experiment_by_name("nope") is None


def test_get_experiment_by_name_finds_deleted_experiments(store: TrackingStore) -> None:
    exp_id = store.create_experiment("gone")
    store.delete_experiment(exp_id)
    found = store.get_experiment_by_name("gone")
    assert found is not None and found.lifecycle_stage is LifecycleStage.DELETED


def test_rename_experiment_updates_name_and_time(store: TrackingStore) -> None:
    exp_id = store.create_experiment("old")
    before = store.get_experiment(exp_id)
    store.rename_experiment(exp_id, "new")
    after = store.get_experiment(exp_id)
    assert after.name == "new"
    assert after.last_update_time >= before.last_update_time
    assert store.get_experiment_by_name("old") is None


def test_rename_experiment_to_taken_name_is_rejected(store: TrackingStore) -> None:
    store.create_experiment("taken")
    exp_id = store.create_experiment("mine")
    with pytest.raises(ResourceAlreadyExists):
        store.rename_experiment(exp_id, "taken")
    assert store.get_experiment(exp_id).name == "mine"


def test_rename_deleted_experiment_raises_invalid_state(store: TrackingStore) -> None:
    exp_id = store.create_experiment("x")
    store.delete_experiment(exp_id)
    with pytest.raises(InvalidState):
        store.rename_experiment(exp_id, "y")


def test_delete_experiment_deletes_its_runs_and_restore_brings_them_back(
    store: TrackingStore,
) -> None:
    exp_id = store.create_experiment("x")
    run = store.create_run(exp_id)
    store.delete_experiment(exp_id)
    assert store.get_experiment(exp_id).lifecycle_stage is LifecycleStage.DELETED
    assert store.get_run(run.info.run_id).info.lifecycle_stage is LifecycleStage.DELETED
    store.restore_experiment(exp_id)
    assert store.get_experiment(exp_id).lifecycle_stage is LifecycleStage.ACTIVE
    restored = store.get_run(run.info.run_id)
    assert restored.info.lifecycle_stage is LifecycleStage.ACTIVE
    assert restored.info.status is RunStatus.RUNNING


def test_delete_deleted_or_unknown_experiment_raises_not_found(store: TrackingStore) -> None:
    exp_id = store.create_experiment("x")
    store.delete_experiment(exp_id)
    with pytest.raises(ResourceDoesNotExist):
        store.delete_experiment(exp_id)
    with pytest.raises(ResourceDoesNotExist):
        store.delete_experiment("999")


def test_restore_active_experiment_raises_not_found(store: TrackingStore) -> None:
    exp_id = store.create_experiment("x")
    with pytest.raises(ResourceDoesNotExist):
        store.restore_experiment(exp_id)


def test_set_experiment_tag_upserts(store: TrackingStore) -> None:
    exp_id = store.create_experiment("x")
    store.set_experiment_tag(exp_id, ExperimentTag("k", "v1"))
    store.set_experiment_tag(exp_id, ExperimentTag("k", "v2"))
    store.set_experiment_tag(exp_id, ExperimentTag("empty", ""))
    assert store.get_experiment(exp_id).tag_dict == {"k": "v2", "empty": ""}


def test_set_experiment_tag_rejects_overlong_value_without_writing(store: TrackingStore) -> None:
    exp_id = store.create_experiment("x")
    with pytest.raises(InvalidParameterValue):
        store.set_experiment_tag(exp_id, ExperimentTag("k", "v" * 20001))
    assert store.get_experiment(exp_id).tag_dict == {}


def test_set_experiment_tag_on_deleted_experiment_is_rejected(store: TrackingStore) -> None:
    exp_id = store.create_experiment("x")
    store.delete_experiment(exp_id)
    with pytest.raises(InvalidParameterValue):
        store.set_experiment_tag(exp_id, ExperimentTag("k", "v"))


def test_custom_view_tags_are_capped_at_fifty(store: TrackingStore) -> None:
    exp_id = store.create_experiment("x")
    for i in range(50):
        store.set_experiment_tag(exp_id, ExperimentTag(f"mlflow.customView.view{i}", "{}"))
    with pytest.raises(InvalidParameterValue):
        store.set_experiment_tag(exp_id, ExperimentTag("mlflow.customView.view50", "{}"))
    store.set_experiment_tag(exp_id, ExperimentTag("mlflow.customView.view0", "{1}"))


def test_delete_experiment_tag(store: TrackingStore) -> None:
    exp_id = store.create_experiment("x")
    store.set_experiment_tag(exp_id, ExperimentTag("k", "v"))
    store.delete_experiment_tag(exp_id, "k")
    assert store.get_experiment(exp_id).tag_dict == {}
    with pytest.raises(ResourceDoesNotExist):
        store.delete_experiment_tag(exp_id, "k")


def test_search_experiments_honours_view_type(store: TrackingStore) -> None:
    live = store.create_experiment("live")
    dead = store.create_experiment("dead")
    store.delete_experiment(dead)

    def names(view: ViewType) -> set[str]:
        return {e.name for e in store.search_experiments(view_type=view)}

    assert names(ViewType.ACTIVE_ONLY) == {"Default", "live"}
    assert names(ViewType.DELETED_ONLY) == {"dead"}
    assert names(ViewType.ALL) == {"Default", "live", "dead"}
    assert live


def test_search_experiments_pages_through_all_results(store: TrackingStore) -> None:
    for i in range(5):
        store.create_experiment(f"e{i}")
    seen: list[str] = []
    token = None
    while True:
        page = store.search_experiments(max_results=2, page_token=token, order_by=["name ASC"])
        seen += [e.name for e in page]
        token = page.next_page_token
        if token is None:
            break
    assert seen == ["Default", "e0", "e1", "e2", "e3", "e4"]


def test_search_experiments_filters_by_name_and_tag(store: TrackingStore) -> None:
    store.create_experiment("vision-a", tags=[ExperimentTag("team", "cv")])
    store.create_experiment("vision-b")
    store.create_experiment("nlp")
    by_name = store.search_experiments(filter_string="name LIKE 'vision%'")
    assert {e.name for e in by_name} == {"vision-a", "vision-b"}
    by_tag = store.search_experiments(filter_string="tags.team = 'cv'")
    assert [e.name for e in by_tag] == ["vision-a"]


def test_search_experiments_default_order_is_newest_first_then_id(store: TrackingStore) -> None:
    for name in ("first", "second", "third"):
        store.create_experiment(name)
    found = list(store.search_experiments())
    expected = sorted(found, key=lambda e: (-e.creation_time, int(e.experiment_id)))
    assert [e.name for e in found] == [e.name for e in expected]
    assert len(found) == 4


@pytest.mark.parametrize("max_results", [0, -1, 50001])
def test_search_experiments_rejects_bad_page_size(store: TrackingStore, max_results: int) -> None:
    with pytest.raises(InvalidParameterValue):
        store.search_experiments(max_results=max_results)


def test_search_experiments_rejects_garbage_page_token(store: TrackingStore) -> None:
    with pytest.raises(InvalidParameterValue):
        store.search_experiments(page_token="not-a-token!")
