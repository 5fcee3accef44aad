"""Fluent-API fixtures: a private tracking directory and fresh module state per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fluent_state import private_tracking_dir


@pytest.fixture
def tracking_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from private_tracking_dir(tmp_path, monkeypatch)
