"""CLI fixtures: a clean environment, a temporary tracking directory and a runner for it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cairn.cli.main import cli
from cairn.tracking.client import CairnClient, close_stores

Invoke = Callable[..., Result]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No tracking URI or other setting leaks in from the developer's shell, and tables get
    the pipe width (pytest-xdist workers export COLUMNS=80)."""
    for name in list(os.environ):
        if name.startswith(("CAIRN_", "MLFLOW_")) or name in ("COLUMNS", "LINES"):
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def _close_stores() -> Iterator[None]:
    """The client caches one store per URI; dispose their engines after every test."""
    yield
    close_stores()


@pytest.fixture
def tracking_dir(tmp_path: Path) -> Path:
    return tmp_path / "tracking"


@pytest.fixture
def invoke(tracking_dir: Path) -> Invoke:
    """Run ``cairn --tracking-uri <tracking_dir> ARGS...`` in-process."""

    def run(*args: str, **kwargs: object) -> Result:
        args_with_uri = ["--tracking-uri", str(tracking_dir), *args]
        return CliRunner().invoke(cli, args_with_uri, **kwargs)  # type: ignore[arg-type]

    return run


@pytest.fixture
def client(tracking_dir: Path) -> CairnClient:
    """A client on the same tracking directory, to seed data the CLI cannot create."""
    return CairnClient(str(tracking_dir))
