"""Fixtures of the REST transport tests: a refused port (the scripted ``stub`` server comes
from ``tests/store/conftest.py``)."""

from __future__ import annotations

import socket

import pytest


@pytest.fixture
def refused_url() -> str:
    """A loopback URL nothing listens on (the port was just free)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
