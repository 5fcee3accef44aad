"""The ``registry_store`` fixture: the SQL registry store on every backend, with a clock the
test drives, so the audit history can be asked about exact instants."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from registry_clock import FakeClock

from cairn.store.db.engine import create_db_engine
from cairn.store.registry.base import RegistryStore
from cairn.store.registry.sql.store import SqlRegistryStore


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def registry_store(backend_uri: str, clock: FakeClock) -> Iterator[RegistryStore]:
    store = SqlRegistryStore(create_db_engine(backend_uri), clock=clock)
    yield store
    store.close()
