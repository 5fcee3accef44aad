"""Autolog fixtures: a private tracking directory, small data, and fit put back after each test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cairn.autologging import config, deferred, import_hooks, patching
from fluent_state import private_tracking_dir


@pytest.fixture(autouse=True)
def tracking_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from private_tracking_dir(tmp_path, monkeypatch)


@pytest.fixture(autouse=True)
def no_autolog_left() -> Iterator[None]:
    """Every test starts and ends with nothing patched, no settings and no import waiting."""
    yield
    deferred.wait()  # no model logging of this test may run into the next one
    for integration in list(config._CONFIGS):
        patching.unpatch_all(integration)
    config._CONFIGS.clear()
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, import_hooks._ImportWatcher)]


@pytest.fixture
def xy() -> tuple[Any, Any]:
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 3))
    y = (x[:, 0] + x[:, 1] > 0).astype(int)
    return x, y
