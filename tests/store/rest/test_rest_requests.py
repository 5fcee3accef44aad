"""What goes on the wire: the same methods, paths and fields as MLflow's own client."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest
from rest_stub import EXPERIMENT, FAST, Answer, StubServer

from cairn.entities import (
    LoggedModelParam,
    LoggedModelStatus,
    LoggedModelTag,
    Metric,
    Param,
    RunStatus,
    RunTag,
    ViewType,
)
from cairn.errors import InvalidParameterValue
from cairn.store.tracking.base import DatasetFilter, LoggedModelOrder
from cairn.store.tracking.rest import RestTrackingStore

RUN_INFO = {
    "run_id": "r1",
    "run_uuid": "r1",
    "experiment_id": "1",
    "status": "RUNNING",
    "start_time": 5,
    "lifecycle_stage": "active",
}
RUN = {"run": {"info": RUN_INFO, "data": {}}}
MODEL = {"model": {"info": {"model_id": "m-1", "experiment_id": "1", "status": "READY"}}}


@pytest.fixture
def store(stub: StubServer) -> Iterator[RestTrackingStore]:
    rest = RestTrackingStore(stub.url + "/prefix/", FAST)
    yield rest
    rest.close()


def test_create_run_without_start_time_leaves_it_to_the_server(
    stub: StubServer, store: RestTrackingStore
) -> None:
    stub.answer(Answer(200, RUN))
    store.create_run("1", "ann", None, [RunTag("k", "v")], "name")
    seen = stub.seen[0]
    assert (seen.method, seen.path) == ("POST", "/prefix/api/2.0/mlflow/runs/create")
    assert seen.headers["content-type"] == "application/json"
    assert seen.json() == {
        "experiment_id": "1",
        "user_id": "ann",
        "tags": [{"key": "k", "value": "v"}],
        "run_name": "name",
    }
    store.create_run("1", start_time=42)
    assert stub.seen[1].json()["start_time"] == 42


def test_reads_send_run_id_and_run_uuid_in_the_query(
    stub: StubServer, store: RestTrackingStore
) -> None:
    stub.answer(Answer(200, RUN))
    assert store.get_run("r1").info.run_id == "r1"
    seen = stub.seen[0]
    assert (seen.method, seen.path) == ("GET", "/prefix/api/2.0/mlflow/runs/get")
    assert seen.query == [("run_uuid", "r1"), ("run_id", "r1")]
    assert seen.body == b""


def test_non_finite_metric_values_travel_as_protobuf_spellings(
    stub: StubServer, store: RestTrackingStore
) -> None:
    values = [math.nan, math.inf, -math.inf]
    store.log_batch("r1", metrics=[Metric("m", v, 1, 2) for v in values])
    sent = [m["value"] for m in stub.seen[0].json()["metrics"]]
    assert sent == ["NaN", "Infinity", "-Infinity"]
    store.log_metric("r1", Metric("m", math.nan, 1, 0, model_id="m-1"))
    body = stub.seen[1].json()
    assert body == {
        "run_uuid": "r1",
        "run_id": "r1",
        "key": "m",
        "value": "NaN",
        "timestamp": 1,
        "step": 0,
        "model_id": "m-1",
    }


@pytest.mark.parametrize("value", ["1.0", True, None])
def test_non_numeric_metric_values_are_refused_before_sending(
    stub: StubServer, store: RestTrackingStore, value: object
) -> None:
    with pytest.raises(InvalidParameterValue, match="must be a number"):
        store.log_metric("r1", Metric("m", value, 0, 0))  # type: ignore[arg-type]
    assert stub.seen == []


def test_param_tag_and_update_calls_match_mlflow(
    stub: StubServer, store: RestTrackingStore
) -> None:
    store.log_param("r1", Param("p", "1"))
    store.set_tag("r1", RunTag("t", "x"))
    store.delete_tag("r1", "t")
    stub.answer(Answer(200, {"run_info": RUN_INFO}))
    store.update_run_info("r1", status=RunStatus.FINISHED, end_time=9)
    paths = [s.path.rsplit("/", 1)[1] for s in stub.seen]
    assert paths == ["log-parameter", "set-tag", "delete-tag", "update"]
    assert stub.seen[0].json() == {"run_uuid": "r1", "run_id": "r1", "key": "p", "value": "1"}
    assert stub.seen[2].json() == {"run_id": "r1", "key": "t"}
    assert stub.seen[3].json() == {
        "run_uuid": "r1",
        "run_id": "r1",
        "status": "FINISHED",
        "end_time": 9,
    }


def test_searches_send_enums_as_names_and_pass_tokens_through(
    stub: StubServer, store: RestTrackingStore
) -> None:
    stub.answer(Answer(200, {"runs": [RUN["run"]], "next_page_token": "tok2"}))
    page = store.search_runs(["1", "2"], "metrics.m > 0", ViewType.ALL, 10, ["start_time"], "tok1")
    assert page.next_page_token == "tok2" and len(page) == 1
    assert stub.seen[0].json() == {
        "experiment_ids": ["1", "2"],
        "filter": "metrics.m > 0",
        "run_view_type": "ALL",
        "max_results": 10,
        "order_by": ["start_time"],
        "page_token": "tok1",
    }
    stub.answer(Answer(200, {}))
    empty = store.search_experiments(ViewType.DELETED_ONLY, 5)
    assert len(empty) == 0 and empty.next_page_token is None
    assert stub.seen[1].json() == {"view_type": "DELETED_ONLY", "max_results": 5, "order_by": []}


def test_whole_metric_history_follows_the_server_tokens(
    stub: StubServer, store: RestTrackingStore
) -> None:
    point = {"key": "m", "value": 1.0, "timestamp": 1, "step": 0}
    stub.answer(
        Answer(404, "<html>no such endpoint</html>"),  # an MLflow server: no native series
        Answer(200, {"metrics": [point], "next_page_token": "t2"}),
        Answer(200, {"metrics": [point | {"step": 1}]}),
    )
    history = store.get_metric_history("r1", "m")
    assert [m.step for m in history] == [0, 1] and history.next_page_token is None
    assert stub.seen[0].path == "/prefix/api/2.0/cairn/metrics/series"
    assert ("page_token", "t2") in stub.seen[2].query
    store.get_metric_history("r1", "m", max_results=7, page_token="t9")
    assert stub.seen[3].query == [
        ("run_uuid", "r1"),
        ("run_id", "r1"),
        ("metric_key", "m"),
        ("max_results", "7"),
        ("page_token", "t9"),
    ]


def test_logged_model_calls_use_the_model_paths(stub: StubServer, store: RestTrackingStore) -> None:
    stub.answer(Answer(200, MODEL))
    store.finalize_logged_model("m-1", LoggedModelStatus.LOGGED_MODEL_READY)
    store.set_logged_model_tags("m-1", [LoggedModelTag("k", "v")])
    store.delete_logged_model_tag("m-1", "k")
    store.delete_logged_model("m-1")
    calls = [(s.method, s.path.removeprefix("/prefix/api/2.0/mlflow/")) for s in stub.seen]
    assert calls == [
        ("PATCH", "logged-models/m-1"),
        ("PATCH", "logged-models/m-1/tags"),
        ("DELETE", "logged-models/m-1/tags/k"),
        ("DELETE", "logged-models/m-1"),
    ]
    assert stub.seen[0].json() == {"model_id": "m-1", "status": "LOGGED_MODEL_READY"}
    assert stub.seen[3].json() == {"model_id": "m-1"}


def test_create_logged_model_sends_params_in_batches_of_100(
    stub: StubServer, store: RestTrackingStore
) -> None:
    stub.answer(Answer(200, MODEL))
    params = [LoggedModelParam(f"p{i}", str(i)) for i in range(250)]
    store.create_logged_model("1", "model", params=params)
    sizes = [len(s.json()["params"]) for s in stub.seen if s.method == "POST"]
    assert sizes == [100, 100, 50]
    assert stub.seen[-1].method == "GET"


def test_deleted_logged_model_is_reported_deleted(
    stub: StubServer, store: RestTrackingStore
) -> None:
    missing = {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "deleted"}
    stub.answer(Answer(200, MODEL), Answer(404, missing))
    model = store.get_logged_model("m-1", allow_deleted=True)
    assert model.lifecycle_stage.value == "deleted"
    assert stub.seen[0].query == [("allow_deleted", "true")] and stub.seen[1].query == []


def test_search_logged_models_body(stub: StubServer, store: RestTrackingStore) -> None:
    stub.answer(Answer(200, {}))
    store.search_logged_models(
        ["1"],
        "name = 'm'",
        [DatasetFilter("ds")],
        5,
        [LoggedModelOrder("metrics.acc", False, "ds")],
    )
    assert stub.seen[0].json() == {
        "experiment_ids": ["1"],
        "filter": "name = 'm'",
        "datasets": [{"dataset_name": "ds"}],
        "max_results": 5,
        "order_by": [{"field_name": "metrics.acc", "ascending": False, "dataset_name": "ds"}],
    }


def test_get_experiment_decodes_the_answer(stub: StubServer, store: RestTrackingStore) -> None:
    stub.answer(Answer(200, EXPERIMENT))
    assert store.get_experiment("1").artifact_location == "mlflow-artifacts:/1"
    assert stub.seen[0].query == [("experiment_id", "1")]
