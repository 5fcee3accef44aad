"""An HTTP client bound to the live test server (real sockets, real uvicorn)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from live_server import LiveServer


@pytest.fixture
def api(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        yield client


@pytest.fixture
def proxy_dir(live_server: LiveServer) -> str:
    """The local directory behind the artifact proxy of the live server."""
    return live_server.settings.artifacts_destination.removeprefix("file://")
