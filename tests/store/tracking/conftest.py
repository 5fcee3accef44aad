"""The ``store`` fixture: every tracking store implementation the contract suite covers.

``sql`` is the SQL store on each backend; ``rest`` is the REST store talking to a live cairn
server on loopback over the same backend, so one suite proves both behave the same, errors
included.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cairn.store.artifacts import local_path_to_uri
from cairn.store.tracking.base import TrackingStore
from cairn.store.tracking.rest import RestTrackingStore
from cairn.store.tracking.sql.store import SqlTrackingStore
from live_server import LiveServer

STORE_KINDS = ("sql", "rest")


@pytest.fixture(params=STORE_KINDS)
def store_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(
    store_kind: str, backend_uri: str, artifact_root: Path, request: pytest.FixtureRequest
) -> Iterator[TrackingStore]:
    if store_kind == "rest":
        server: LiveServer = request.getfixturevalue("live_server")
        rest_store = RestTrackingStore(server.url)
        yield rest_store
        rest_store.close()
        return
    sql_store = SqlTrackingStore.open(backend_uri, local_path_to_uri(artifact_root))
    yield sql_store
    sql_store.close()
