"""Contract: run lifecycle operations behave the same on every tracking store."""

from __future__ import annotations

import re

import pytest

from cairn.entities import LifecycleStage, RunStatus, RunTag, ViewType
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.store.tracking.base import TrackingStore


def test_create_run_starts_running_with_name_tag_and_artifact_uri(store: TrackingStore) -> None:
    exp_id = store.create_experiment("x")
    run = store.create_run(exp_id, user_id="ada", start_time=1234, run_name="first")
    info = run.info
    assert re.fullmatch(r"[0-9a-f]{32}", info.run_id) and info.run_uuid == info.run_id
    assert info.status is RunStatus.RUNNING
    assert info.lifecycle_stage is LifecycleStage.ACTIVE
    assert (info.run_name, info.user_id, info.start_time, info.end_time) == (
        "first",
        "ada",
        1234,
        None,
    )
    exp = store.get_experiment(exp_id)
    assert info.artifact_uri == f"{exp.artifact_location}/{info.run_id}/artifacts"
    assert run.data.tag_dict["mlflow.runName"] == "first"


def test_create_run_generates_a_name_when_none_given(store: TrackingStore) -> None:
    run = store.create_run("0")
    assert re.fullmatch(r"[a-z]+-[a-z]+-\d{1,3}", run.info.run_name)
    assert len(run.info.run_name) <= 20
    assert run.data.tag_dict["mlflow.runName"] == run.info.run_name


def test_create_run_takes_its_name_from_the_run_name_tag(store: TrackingStore) -> None:
    run = store.create_run("0", tags=[RunTag("mlflow.runName", "tagged")])
    assert run.info.run_name == "tagged"


def test_create_run_rejects_conflicting_name_and_tag(store: TrackingStore) -> None:
    with pytest.raises(InvalidParameterValue):
        store.create_run("0", run_name="a", tags=[RunTag("mlflow.runName", "b")])
    assert len(store.search_runs(["0"])) == 0


def test_create_run_in_unknown_experiment_raises_not_found(store: TrackingStore) -> None:
    with pytest.raises(ResourceDoesNotExist):
        store.create_run("777")


def test_create_run_in_deleted_experiment_is_rejected(store: TrackingStore) -> None:
    exp_id = store.create_experiment("x")
    store.delete_experiment(exp_id)
    with pytest.raises(InvalidParameterValue):
        store.create_run(exp_id)


def test_get_run_unknown_id_raises_not_found(store: TrackingStore) -> None:
    with pytest.raises(ResourceDoesNotExist):
        store.get_run("0" * 32)


def test_update_run_info_sets_status_and_end_time(store: TrackingStore) -> None:
    run = store.create_run("0")
    info = store.update_run_info(run.info.run_id, status=RunStatus.FINISHED, end_time=99)
    assert (info.status, info.end_time) == (RunStatus.FINISHED, 99)
    assert store.get_run(run.info.run_id).info.status is RunStatus.FINISHED


def test_update_run_info_rename_only_leaves_status_alone(store: TrackingStore) -> None:
    run = store.create_run("0", run_name="before")
    info = store.update_run_info(run.info.run_id, run_name="after")
    assert info.status is RunStatus.RUNNING and info.run_name == "after"
    assert store.get_run(run.info.run_id).data.tag_dict["mlflow.runName"] == "after"


def test_update_run_info_accepts_status_names(store: TrackingStore) -> None:
    run = store.create_run("0")
    info = store.update_run_info(run.info.run_id, status="KILLED")  # type: ignore[arg-type]
    assert info.status is RunStatus.KILLED


def test_update_run_info_rejects_unknown_status(store: TrackingStore) -> None:
    run = store.create_run("0")
    with pytest.raises(InvalidParameterValue):
        store.update_run_info(run.info.run_id, status="DONE")  # type: ignore[arg-type]


def test_update_deleted_run_is_rejected(store: TrackingStore) -> None:
    run = store.create_run("0")
    store.delete_run(run.info.run_id)
    with pytest.raises(InvalidParameterValue):
        store.update_run_info(run.info.run_id, status=RunStatus.FINISHED)


def test_delete_and_restore_run_are_idempotent(store: TrackingStore) -> None:
    run_id = store.create_run("0").info.run_id
    store.delete_run(run_id)
    store.delete_run(run_id)
    assert store.get_run(run_id).info.lifecycle_stage is LifecycleStage.DELETED
    store.restore_run(run_id)
    store.restore_run(run_id)
    assert store.get_run(run_id).info.lifecycle_stage is LifecycleStage.ACTIVE


def test_delete_unknown_run_raises_not_found(store: TrackingStore) -> None:
    with pytest.raises(ResourceDoesNotExist):
        store.delete_run("f" * 32)


def test_search_runs_hides_deleted_runs_unless_asked(store: TrackingStore) -> None:
    keep = store.create_run("0").info.run_id
    gone = store.create_run("0").info.run_id
    store.delete_run(gone)

    def ids(view: ViewType) -> set[str]:
        return {r.info.run_id for r in store.search_runs(["0"], run_view_type=view)}

    assert ids(ViewType.ACTIVE_ONLY) == {keep}
    assert ids(ViewType.DELETED_ONLY) == {gone}
    assert ids(ViewType.ALL) == {keep, gone}


def test_search_runs_with_no_experiments_returns_empty_page(store: TrackingStore) -> None:
    store.create_run("0")
    page = store.search_runs([])
    assert len(page) == 0 and page.next_page_token is None


def test_search_runs_default_order_is_newest_start_first(store: TrackingStore) -> None:
    old = store.create_run("0", start_time=1).info.run_id
    new = store.create_run("0", start_time=2).info.run_id
    assert [r.info.run_id for r in store.search_runs(["0"])] == [new, old]


def test_search_runs_pages_with_tokens(store: TrackingStore) -> None:
    created = [store.create_run("0", start_time=i).info.run_id for i in range(5)]
    page1 = store.search_runs(["0"], max_results=2)
    page2 = store.search_runs(["0"], max_results=2, page_token=page1.next_page_token)
    page3 = store.search_runs(["0"], max_results=2, page_token=page2.next_page_token)
    got = [r.info.run_id for p in (page1, page2, page3) for r in p]
    assert got == list(reversed(created))
    assert page3.next_page_token is None


def test_search_runs_spans_several_experiments(store: TrackingStore) -> None:
    a = store.create_experiment("a")
    b = store.create_experiment("b")
    store.create_run(a)
    store.create_run(b)
    store.create_run("0")
    assert len(store.search_runs([a, b])) == 2


@pytest.mark.parametrize("max_results", [0, 50001])
def test_search_runs_rejects_bad_page_size(store: TrackingStore, max_results: int) -> None:
    with pytest.raises(InvalidParameterValue):
        store.search_runs(["0"], max_results=max_results)


def test_search_runs_bad_filter_is_invalid_parameter(store: TrackingStore) -> None:
    with pytest.raises(InvalidParameterValue):
        store.search_runs(["0"], filter_string="metrics.x > 'abc'")


def test_search_runs_returns_full_runs(store: TrackingStore) -> None:
    from cairn.entities import Metric, Param

    run_id = store.create_run("0").info.run_id
    store.log_batch(run_id, metrics=[Metric("m", 1.5, 10, 0)], params=[Param("p", "v")])
    (found,) = store.search_runs(["0"], filter_string="params.p = 'v' AND metrics.m > 1")
    assert found.data.metric_dict == {"m": 1.5}
    assert found.data.param_dict == {"p": "v"}
