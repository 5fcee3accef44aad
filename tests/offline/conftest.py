"""Offline-mode fixtures: a clean environment in a private working directory, fresh fluent
state, a spool directory, and a way to switch the process offline."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import cairn
from cairn.tracking import fluent
from cairn.tracking.client import close_stores

GoOffline = Callable[[str | None], None]


@pytest.fixture(autouse=True)
def _clean_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith(("CAIRN_", "MLFLOW_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    fluent._reset_for_tests()
    yield
    while cairn.active_run():
        cairn.end_run()
    fluent._reset_for_tests()
    close_stores()


@pytest.fixture
def spool_dir(tmp_path: Path) -> Path:
    return tmp_path / "spool"


@pytest.fixture
def go_offline(monkeypatch: pytest.MonkeyPatch, spool_dir: Path) -> GoOffline:
    """``CAIRN_MODE=offline`` with the spool in ``spool_dir`` and ``target`` as the tracking
    URI the process would otherwise use."""

    def switch(target: str | None) -> None:
        monkeypatch.setenv("CAIRN_MODE", "offline")
        monkeypatch.setenv("CAIRN_OFFLINE_DIR", str(spool_dir))
        if target is not None:
            monkeypatch.setenv("CAIRN_TRACKING_URI", target)
        fluent._reset_for_tests()

    return switch


@pytest.fixture
def closed_url() -> str:
    """A loopback URL nothing listens on (the port was just free)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
