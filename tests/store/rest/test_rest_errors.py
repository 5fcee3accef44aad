"""Error answers become the typed ``CairnError``s the SQL store raises; timeouts are bounded."""

from __future__ import annotations

import dataclasses
import time

import pytest
from rest_stub import EXPERIMENT, FAST, Answer, StubServer

from cairn.errors import (
    BadRequest,
    CairnError,
    EndpointNotFound,
    InvalidParameterValue,
    NotImplementedByStore,
    PermissionDenied,
    ResourceAlreadyExists,
    ResourceDoesNotExist,
    ServiceUnavailable,
)
from cairn.store.tracking.rest import RestTrackingStore


@pytest.fixture
def store(stub: StubServer) -> RestTrackingStore:
    return RestTrackingStore(stub.url, dataclasses.replace(FAST, max_retries=0))


def test_json_404_maps_to_resource_does_not_exist(
    stub: StubServer, store: RestTrackingStore
) -> None:
    stub.answer(Answer(404, {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "No run 'x'"}))
    with pytest.raises(ResourceDoesNotExist, match="No run 'x'"):
        store.get_run("x")
    store.close()


def test_resource_already_exists_arrives_as_a_400(
    stub: StubServer, store: RestTrackingStore
) -> None:
    envelope = {"error_code": "RESOURCE_ALREADY_EXISTS", "message": "Experiment 'e' exists"}
    stub.answer(Answer(400, envelope))
    with pytest.raises(ResourceAlreadyExists, match="exists"):
        store.create_experiment("e")
    store.close()


def test_get_by_name_turns_not_found_into_none(stub: StubServer, store: RestTrackingStore) -> None:
    stub.answer(Answer(404, {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "no"}))
    assert store.get_experiment_by_name("nope") is None
    store.close()


def test_unknown_error_code_becomes_a_generic_cairn_error(
    stub: StubServer, store: RestTrackingStore
) -> None:
    stub.answer(Answer(400, {"error_code": "SOMETHING_NEW", "message": "what"}))
    with pytest.raises(CairnError, match="what"):
        store.get_experiment("1")
    store.close()


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (404, EndpointNotFound),
        (400, BadRequest),
        (403, PermissionDenied),
        (501, NotImplementedByStore),
        (503, ServiceUnavailable),
    ],
)
def test_non_json_errors_map_by_status_like_mlflow(
    stub: StubServer, store: RestTrackingStore, status: int, error: type[CairnError]
) -> None:
    stub.answer(Answer(status, "<html>nope</html>"))
    with pytest.raises(error) as info:
        store.get_experiment("1")
    store.close()
    assert type(info.value) is error
    assert f"HTTP {status}" in info.value.message and "experiments/get" in info.value.message


def test_success_with_an_empty_body_reads_as_empty_object(
    stub: StubServer, store: RestTrackingStore
) -> None:
    stub.answer(Answer(200, b""))
    store.delete_experiment("1")
    store.close()


def test_success_with_a_non_json_body_is_reported(
    stub: StubServer, store: RestTrackingStore
) -> None:
    stub.answer(Answer(200, "<html>login page</html>"))
    with pytest.raises(CairnError, match="not JSON"):
        store.get_experiment("1")
    store.close()


def test_a_slow_server_times_out_after_the_configured_time(stub: StubServer) -> None:
    stub.answer(Answer(200, EXPERIMENT, delay=10.0))
    store = RestTrackingStore(stub.url, dataclasses.replace(FAST, timeout=0.2, max_retries=0))
    started = time.monotonic()
    with pytest.raises(ServiceUnavailable, match=r"timed out after 1 attempt \(timeout 0.2 s\)"):
        store.get_experiment("1")
    assert time.monotonic() - started < 5  # well before the server's 10 s answer
    store.close()


def test_a_timed_out_read_is_retried(stub: StubServer) -> None:
    stub.answer(Answer(200, EXPERIMENT, delay=1.0), Answer(200, EXPERIMENT))
    store = RestTrackingStore(stub.url, dataclasses.replace(FAST, timeout=0.2, max_retries=1))
    assert store.get_experiment("1").experiment_id == "1"
    assert len(stub.seen) == 2
    store.close()


def test_a_timed_out_create_is_not_repeated(stub: StubServer) -> None:
    stub.answer(Answer(200, {"experiment_id": "1"}, delay=1.0))
    store = RestTrackingStore(stub.url, dataclasses.replace(FAST, timeout=0.2, max_retries=3))
    with pytest.raises(ServiceUnavailable, match="timed out"):
        store.create_experiment("e")
    assert len(stub.seen) == 1
    store.close()


def test_a_closed_store_refuses_requests(stub: StubServer, store: RestTrackingStore) -> None:
    store.close()
    with pytest.raises(CairnError, match="closed"):
        store.get_experiment("1")


@pytest.mark.parametrize("uri", ["ftp://host", "http://", "http://h/x?q=1", "localhost:5000"])
def test_bad_tracking_uris_are_refused(uri: str) -> None:
    with pytest.raises(InvalidParameterValue):
        RestTrackingStore(uri)
