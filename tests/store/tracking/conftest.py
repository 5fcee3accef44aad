"""The ``store`` fixture: every tracking store implementation the contract suite covers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cairn.store.artifacts import local_path_to_uri
from cairn.store.tracking.base import TrackingStore
from cairn.store.tracking.sql.store import SqlTrackingStore


@pytest.fixture
def store(backend_uri: str, artifact_root: Path) -> Iterator[TrackingStore]:
    sql_store = SqlTrackingStore.open(backend_uri, local_path_to_uri(artifact_root))
    yield sql_store
    sql_store.close()
