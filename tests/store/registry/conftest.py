"""The ``registry_store`` fixture: every registry store implementation the contract suite covers.

``sql`` is the SQL store on each backend; ``rest`` is the REST store talking to a live cairn
server on loopback over the same backend, so one suite proves both behave the same, errors
included. Tests that ask the audit history about exact instants need a clock they drive,
which only the SQL store can be given: they use ``sql_registry_store`` (with ``clock``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from registry_clock import FakeClock

from cairn.store.db.engine import create_db_engine
from cairn.store.registry.base import RegistryStore
from cairn.store.registry.rest import RestRegistryStore
from cairn.store.registry.sql.store import SqlRegistryStore
from live_server import LiveServer

STORE_KINDS = ("sql", "rest")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sql_registry_store(backend_uri: str, clock: FakeClock) -> Iterator[SqlRegistryStore]:
    store = SqlRegistryStore(create_db_engine(backend_uri), clock=clock)
    yield store
    store.close()


@pytest.fixture(params=STORE_KINDS)
def registry_store_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def registry_store(
    registry_store_kind: str, backend_uri: str, request: pytest.FixtureRequest
) -> Iterator[RegistryStore]:
    """``backend_uri`` is named here so the backend parametrisation reaches every test."""
    if registry_store_kind == "sql":
        yield request.getfixturevalue("sql_registry_store")
        return
    server: LiveServer = request.getfixturevalue("live_server")
    rest_store = RestRegistryStore(server.url)
    yield rest_store
    rest_store.close()
