"""Server modes that change routing: a static prefix, no proxy, artifacts only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from live_server import LiveServer, start_live_server

pytestmark = pytest.mark.parametrize("backend_uri", ["sqlite"], indirect=True)


@pytest.fixture
def server_with(backend_uri: str, tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    started: list[LiveServer] = []

    def start(**overrides: object) -> LiveServer:
        server = start_live_server(backend_uri, tmp_path / str(len(started)), **overrides)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def test_static_prefix_moves_every_route(server_with: Callable[..., LiveServer]) -> None:
    server = server_with(static_prefix="/cairn")
    assert httpx.get(f"{server.url}/cairn/health").text == "OK"
    runs = httpx.post(
        f"{server.url}/cairn/api/2.0/mlflow/runs/search", json={"experiment_ids": ["0"]}
    )
    assert runs.status_code == 200
    assert httpx.get(f"{server.url}/health").status_code == 404
    assert "/cairn/api/2.0/mlflow/runs/search" in httpx.get(f"{server.url}/cairn/openapi.json").text


def test_no_serve_artifacts_turns_the_proxy_off(server_with: Callable[..., LiveServer]) -> None:
    server = server_with(serve_artifacts=False)
    response = httpx.put(f"{server.url}/api/2.0/mlflow-artifacts/artifacts/a.txt", content=b"x")
    assert response.status_code == 503
    assert httpx.get(f"{server.url}/api/2.0/mlflow/experiments/get?experiment_id=0").is_success


def test_artifacts_only_turns_tracking_off(server_with: Callable[..., LiveServer]) -> None:
    server = server_with(artifacts_only=True)
    tracking = httpx.get(f"{server.url}/api/2.0/mlflow/experiments/get?experiment_id=0")
    assert tracking.status_code == 503
    upload = httpx.put(f"{server.url}/api/2.0/mlflow-artifacts/artifacts/a.txt", content=b"x")
    assert upload.status_code == 200
