"""Shared fixtures: a clean, migrated database on every SQL backend cairn supports.

Each backend gets one database per xdist worker, migrated once per session and emptied before
every test (far cheaper than migrating per test). PostgreSQL and MariaDB are real services; a
missing one is an error, never a silent skip. ``CAIRN_TEST_BACKENDS=sqlite`` narrows the matrix
on purpose for a quick local loop.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from cairn.store.db import tables
from cairn.store.db.engine import create_db_engine
from cairn.store.db.migrate import ensure_schema
from live_server import LiveServer, start_live_server

SERVER_URIS = {
    "postgresql": os.environ.get(
        "CAIRN_TEST_POSTGRES_URI", "postgresql://postgres@127.0.0.1:5432/test"
    ),
    "mysql": os.environ.get("CAIRN_TEST_MYSQL_URI", "mysql://root@127.0.0.1:3306/test"),
}
ALL_BACKENDS = ("sqlite", "postgresql", "mysql")


def selected_backends() -> tuple[str, ...]:
    wanted = os.environ.get("CAIRN_TEST_BACKENDS")
    if not wanted:
        return ALL_BACKENDS
    return tuple(b.strip() for b in wanted.split(",") if b.strip() in ALL_BACKENDS)


def _database_name() -> str:
    """Unique per test session and worker, so concurrent pytest runs never share a database."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))[:12]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"cairn_test_{run}_{worker}"


def _admin_execute(backend: str, *statements: str) -> None:
    admin_uri = SERVER_URIS[backend]
    admin = create_db_engine(admin_uri).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for statement in statements:
                conn.execute(sa.text(statement))
    except sa.exc.OperationalError as exc:
        raise RuntimeError(
            f"The {backend} test service at {admin_uri} is not reachable ({exc.orig}). "
            "Start it, or narrow the run with CAIRN_TEST_BACKENDS=sqlite."
        ) from exc
    finally:
        admin.dispose()


def _create_server_database(backend: str) -> str:
    """Create this session's database on a server backend and return its URI."""
    name = _database_name()
    _admin_execute(backend, f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
    return SERVER_URIS[backend].rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def _migrated_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    uris: dict[str, str] = {}
    for backend in selected_backends():
        if backend == "sqlite":
            path = tmp_path_factory.mktemp("sqlite") / "cairn.db"
            uris[backend] = f"sqlite:///{path}"
        else:
            uris[backend] = _create_server_database(backend)
        engine = create_db_engine(uris[backend])
        ensure_schema(engine)
        engine.dispose()
    yield uris
    for engine in _CLEANUP_ENGINES.values():
        engine.dispose()
    force = {"postgresql": " WITH (FORCE)", "mysql": ""}
    for backend in uris:
        if backend != "sqlite":
            _admin_execute(backend, f"DROP DATABASE IF EXISTS {_database_name()}{force[backend]}")


#: One engine per test database for the whole session: emptying tables is per test and
#: opening a fresh engine (and SQLite's pragmas) each time costs more than the deletes.
_CLEANUP_ENGINES: dict[str, sa.Engine] = {}


def _empty_all_tables(uri: str) -> None:
    engine = _CLEANUP_ENGINES.get(uri)
    if engine is None:
        engine = _CLEANUP_ENGINES[uri] = create_db_engine(uri)
    with engine.begin() as conn:
        names = [t.name for t in reversed(tables.metadata.sorted_tables)]
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
            return
        for name in names:
            conn.execute(sa.text(f"DELETE FROM {name}"))
        if conn.dialect.name == "sqlite":
            conn.execute(sa.text("DELETE FROM sqlite_sequence"))
        else:
            conn.execute(sa.text("ALTER TABLE experiments AUTO_INCREMENT = 1"))


@pytest.fixture(params=selected_backends())
def backend_uri(request: pytest.FixtureRequest, _migrated_databases: dict[str, str]) -> str:
    """The URI of an empty, migrated database; parametrised over every SQL backend."""
    uri = _migrated_databases[request.param]
    _empty_all_tables(uri)
    return uri


@pytest.fixture(scope="session")
def _live_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, LiveServer]]:
    servers: dict[str, LiveServer] = {}
    yield servers
    for server in servers.values():
        server.stop()


@pytest.fixture
def live_server(
    backend_uri: str, _live_servers: dict[str, LiveServer], tmp_path_factory: pytest.TempPathFactory
) -> LiveServer:
    """A cairn server on loopback over ``backend_uri`` (one per backend and session)."""
    server = _live_servers.get(backend_uri)
    if server is None:
        server = start_live_server(backend_uri, tmp_path_factory.mktemp("server"))
        _live_servers[backend_uri] = server
    server.store.ensure_default_experiment()  # the tables were just emptied
    server.reset_files()
    return server


@pytest.fixture
def artifact_root(tmp_path: Path) -> Path:
    root = tmp_path / "artifacts"
    root.mkdir()
    return root
