"""Fixtures for webhook tests: a loopback receiver, the SQL webhook store on every backend, and
a live server that may deliver to loopback (``webhooks_allow_private``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from webhook_receiver import Receiver, running_receiver

from cairn.server.webhooks import WebhookDispatcher, webhook_service
from cairn.store.db.engine import create_db_engine
from cairn.store.registry.sql.webhooks import SqlWebhookStore
from live_server import LiveServer, start_live_server


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


@pytest.fixture
def webhook_store(backend_uri: str) -> Iterator[SqlWebhookStore]:
    engine = create_db_engine(backend_uri)
    yield SqlWebhookStore(engine)
    engine.dispose()


def server_dispatcher(server: LiveServer) -> WebhookDispatcher:
    """The live server's dispatcher (``LiveServer.stop`` closes it)."""
    return webhook_service(server.state)


@pytest.fixture
def hook_server(backend_uri: str, tmp_path: Path) -> Iterator[LiveServer]:
    """A server of its own that may deliver to loopback, with retries 20x faster."""
    server = start_live_server(backend_uri, tmp_path, webhooks_allow_private=True)
    server_dispatcher(server).base_delay = 0.05
    yield server
    server.stop()


@pytest.fixture
def hook_api(hook_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=hook_server.url + "/api/2.0", timeout=30) as client:
        yield client
