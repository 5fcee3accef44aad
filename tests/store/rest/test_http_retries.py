"""Retries: which failures are retried, for which requests, and how long the client waits."""

from __future__ import annotations

import dataclasses
import time

import pytest
from rest_stub import EXPERIMENT, FAST, Answer, StubServer

from cairn.entities import ExperimentTag
from cairn.errors import InvalidState, ResourceDoesNotExist, ServiceUnavailable
from cairn.store.tracking.rest import HttpConfig, RestTrackingStore


def _store(url: str, config: HttpConfig = FAST) -> RestTrackingStore:
    return RestTrackingStore(url, config)


def test_read_is_retried_through_503s_until_it_succeeds(stub: StubServer) -> None:
    stub.answer(Answer(503, "busy"), Answer(503, "busy"), Answer(200, EXPERIMENT))
    store = _store(stub.url)
    try:
        assert store.get_experiment("1").name == "exp"
    finally:
        store.close()
    assert len(stub.seen) == 3


@pytest.mark.parametrize("status", [408, 500, 502, 504])
def test_every_transient_status_is_retried_for_reads(stub: StubServer, status: int) -> None:
    stub.answer(Answer(status, "hiccup"), Answer(200, EXPERIMENT))
    store = _store(stub.url)
    try:
        store.get_experiment("1")
    finally:
        store.close()
    assert len(stub.seen) == 2


def test_retries_give_up_after_max_retries_with_the_last_error(stub: StubServer) -> None:
    stub.answer(Answer(503, "down for maintenance"))
    store = _store(stub.url, dataclasses.replace(FAST, max_retries=2))
    try:
        with pytest.raises(ServiceUnavailable, match="HTTP 503: 'down for maintenance'"):
            store.get_experiment("1")
    finally:
        store.close()
    assert len(stub.seen) == 3


def test_create_is_not_repeated_after_a_server_error(stub: StubServer) -> None:
    """The server may have created the experiment before failing: a blind retry would then
    answer RESOURCE_ALREADY_EXISTS for the user's own experiment."""
    stub.answer(Answer(503, "oops"), Answer(200, {"experiment_id": "1"}))
    store = _store(stub.url)
    try:
        with pytest.raises(ServiceUnavailable):
            store.create_experiment("exp")
    finally:
        store.close()
    assert len(stub.seen) == 1


def test_create_is_retried_when_rate_limited(stub: StubServer) -> None:
    stub.answer(Answer(429, "slow down"), Answer(200, {"experiment_id": "7"}))
    store = _store(stub.url)
    try:
        assert store.create_experiment("exp") == "7"
    finally:
        store.close()
    assert len(stub.seen) == 2


def test_retry_after_header_sets_the_wait(stub: StubServer) -> None:
    stub.answer(Answer(429, "slow down", {"Retry-After": "1"}), Answer(200, EXPERIMENT))
    store = _store(stub.url, dataclasses.replace(FAST, backoff_factor=0.0))
    try:
        started = time.monotonic()
        store.get_experiment("1")
        elapsed = time.monotonic() - started
    finally:
        store.close()
    assert len(stub.seen) == 2
    assert 0.9 <= elapsed < 5


def test_retry_after_is_capped_by_backoff_max(stub: StubServer) -> None:
    stub.answer(Answer(503, "later", {"Retry-After": "3600"}), Answer(200, EXPERIMENT))
    store = _store(stub.url, dataclasses.replace(FAST, backoff_max=0.05))
    try:
        started = time.monotonic()
        store.get_experiment("1")
        assert time.monotonic() - started < 30  # not the 3600 s the server asked for
    finally:
        store.close()


def test_deterministic_error_on_a_500_is_raised_at_once(stub: StubServer) -> None:
    """MLflow maps INVALID_STATE to 500; retrying a user error would only stall the caller."""
    envelope = {"error_code": "INVALID_STATE", "message": "experiment is deleted"}
    stub.answer(Answer(500, envelope))
    store = _store(stub.url)
    try:
        with pytest.raises(InvalidState, match="experiment is deleted"):
            store.set_experiment_tag("1", ExperimentTag("k", "v"))
    finally:
        store.close()
    assert len(stub.seen) == 1


def test_client_errors_are_never_retried(stub: StubServer) -> None:
    stub.answer(Answer(404, {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "no run"}))
    store = _store(stub.url)
    try:
        with pytest.raises(ResourceDoesNotExist):
            store.get_run("r1")
    finally:
        store.close()
    assert len(stub.seen) == 1


def test_connection_refused_fails_clearly_after_the_retries(refused_url: str) -> None:
    store = _store(refused_url, dataclasses.replace(FAST, max_retries=2))
    try:
        with pytest.raises(ServiceUnavailable) as info:
            store.get_experiment("1")
    finally:
        store.close()
    message = info.value.message
    assert "after 3 attempts" in message
    assert f"GET {refused_url}/api/2.0/mlflow/experiments/get" in message


def test_connection_refused_is_retried_even_for_creates(refused_url: str) -> None:
    """Nothing reached the server, so repeating a create cannot duplicate it."""
    store = _store(refused_url, dataclasses.replace(FAST, max_retries=1))
    try:
        with pytest.raises(ServiceUnavailable, match="after 2 attempts"):
            store.create_experiment("exp")
    finally:
        store.close()
