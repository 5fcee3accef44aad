"""Fixtures shared by the store tests: a scripted loopback HTTP server (``rest_stub``) for the
REST stores' request tests, tracking and registry alike."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rest_stub import Answer, StubServer


@pytest.fixture
def stub() -> Iterator[StubServer]:
    server = StubServer()
    server.answer(Answer())
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()
    server.thread.join(timeout=5)
