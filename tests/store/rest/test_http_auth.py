"""Credentials and identity headers: what is sent, to whom, and that it never leaks."""

from __future__ import annotations

import base64
import dataclasses

import pytest
from rest_stub import EXPERIMENT, FAST, Answer, StubServer

from cairn.errors import CairnError, ServiceUnavailable
from cairn.store.artifacts.http import HttpArtifactRepository
from cairn.store.tracking.rest import HttpConfig, RestTrackingStore
from cairn.version import __version__

TOKEN = "s3cr3t-t0k3n"
PASSWORD = "hunter2-very-secret"


def _get_experiment(url: str, config: HttpConfig) -> None:
    store = RestTrackingStore(url, config)
    try:
        store.get_experiment("1")
    finally:
        store.close()


def test_token_is_sent_as_bearer(stub: StubServer) -> None:
    stub.answer(Answer(200, EXPERIMENT))
    _get_experiment(stub.url, dataclasses.replace(FAST, token=TOKEN))
    assert stub.seen[0].headers["authorization"] == f"Bearer {TOKEN}"


def test_username_and_password_are_sent_as_basic_and_win_over_a_token(stub: StubServer) -> None:
    stub.answer(Answer(200, EXPERIMENT))
    config = dataclasses.replace(FAST, username="ann", password=PASSWORD, token=TOKEN)
    _get_experiment(stub.url, config)
    expected = base64.b64encode(f"ann:{PASSWORD}".encode()).decode()
    assert stub.seen[0].headers["authorization"] == f"Basic {expected}"


def test_no_credentials_means_no_authorization_header(stub: StubServer) -> None:
    stub.answer(Answer(200, EXPERIMENT))
    _get_experiment(stub.url, FAST)
    assert "authorization" not in stub.seen[0].headers


def test_user_agent_names_the_cairn_client(stub: StubServer) -> None:
    stub.answer(Answer(200, EXPERIMENT))
    _get_experiment(stub.url, FAST)
    assert stub.seen[0].headers["user-agent"] == f"cairn-python-client/{__version__}"


def test_secrets_are_hidden_from_repr() -> None:
    shown = repr(HttpConfig(username="ann", password=PASSWORD, token=TOKEN))
    assert PASSWORD not in shown and TOKEN not in shown and "ann" in shown


def test_a_server_echoing_the_credentials_does_not_leak_them(stub: StubServer) -> None:
    basic = base64.b64encode(f"ann:{PASSWORD}".encode()).decode()
    echo = f"denied for Authorization: Basic {basic} ({PASSWORD}, {TOKEN})"
    stub.answer(Answer(401, echo))
    config = dataclasses.replace(FAST, username="ann", password=PASSWORD, token=TOKEN)
    with pytest.raises(CairnError) as info:
        _get_experiment(stub.url, config)
    message = str(info.value)
    assert PASSWORD not in message and TOKEN not in message and basic not in message
    assert "HTTP 401" in message


def test_a_json_error_echoing_the_token_does_not_leak_it(stub: StubServer) -> None:
    stub.answer(Answer(403, {"error_code": "PERMISSION_DENIED", "message": f"bad {TOKEN}"}))
    with pytest.raises(CairnError) as info:
        _get_experiment(stub.url, dataclasses.replace(FAST, token=TOKEN))
    assert TOKEN not in str(info.value)


def test_credentials_in_the_tracking_uri_never_reach_error_messages(refused_url: str) -> None:
    url = refused_url.replace("http://", f"http://ann:{PASSWORD}@")
    with pytest.raises(ServiceUnavailable) as info:
        _get_experiment(url, dataclasses.replace(FAST, max_retries=0))
    assert PASSWORD not in str(info.value) and "ann" not in str(info.value)


def test_credentials_are_not_sent_to_another_host(stub: StubServer) -> None:
    """An artifact URI naming another server (``mlflow-artifacts://host:port/...``) must not
    receive the tracking server's token."""
    tracking = RestTrackingStore("http://127.0.0.1:9", dataclasses.replace(FAST, token=TOKEN))
    other = stub.url.removeprefix("http://")
    repo = HttpArtifactRepository(
        f"mlflow-artifacts://{other}/1/run/artifacts", tracking.tracking_uri, tracking.transport
    )
    stub.answer(Answer(200, {}))
    try:
        assert repo.list_artifacts() == []
    finally:
        tracking.close()
    assert "authorization" not in stub.seen[0].headers
    assert stub.seen[0].query == [("path", "1/run/artifacts")]


def test_credentials_go_to_the_tracking_server_for_its_own_artifacts(stub: StubServer) -> None:
    tracking = RestTrackingStore(stub.url, dataclasses.replace(FAST, token=TOKEN))
    repo = HttpArtifactRepository("mlflow-artifacts:/1/r/artifacts", stub.url, tracking.transport)
    stub.answer(Answer(200, b""))
    try:
        repo.log_bytes(b"x", "a.txt")
    finally:
        tracking.close()
    assert stub.seen[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert stub.seen[0].path == "/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/a.txt"
