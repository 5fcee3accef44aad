"""The real ``mlflow`` client (3.17.2) against a live ``cairn server`` on loopback.

Each server is a real subprocess started through the real CLI, one per backend and session,
serving proxied artifacts (runs get ``mlflow-artifacts:/`` URIs). Tests share a server, so each
one works in its own freshly created experiment. Tests marked ``backends`` run on every SQL
backend the root conftest selects (``CAIRN_TEST_BACKENDS``); the rest run on SQLite only, for
speed. PostgreSQL and MariaDB get a dedicated database for the session; a missing service is
an error, never a skip.

``CAIRN_COMPAT_SERVER=mlflow`` starts ``mlflow server`` instead of cairn with the same flags:
the suite then checks itself against the reference implementation.
"""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import mlflow
import pytest
from compat_server import CompatServer, start_server
from mlflow import MlflowClient

import cairn
from cairn.tracking import fluent as cairn_fluent
from cairn.tracking.client import close_stores

with warnings.catch_warnings():
    # Importing mlflow.pyfunc infers schemas for MLflow's own agent types and warns that an
    # `Any` hint in them is not validated: MLflow's internals, not something a test can change.
    warnings.filterwarnings(
        "ignore", message=r".*Any type hint is inferred as AnyType", category=UserWarning
    )
    import mlflow.pyfunc

_ROOT_CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"

# Client settings for the whole session: fail fast on a server bug (MLflow's default is seven
# retries with exponential back-off, i.e. minutes per failing call) and never phone home.
_CLIENT_ENV = {
    "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0",
    "MLFLOW_HTTP_REQUEST_TIMEOUT": "60",
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "DO_NOT_TRACK": "true",
    "MLFLOW_ENABLE_ASYNC_LOGGING": "false",
}


def _root(config: pytest.Config) -> ModuleType:
    """The root ``tests/conftest.py`` module as pytest registered it (its helpers manage the
    PostgreSQL / MariaDB test databases); importing it by name would clash with this file."""
    module = config.pluginmanager.get_plugin(str(_ROOT_CONFTEST))
    assert isinstance(module, ModuleType), "tests/conftest.py is not loaded"
    return module


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    marked = metafunc.definition.get_closest_marker("backends") is not None
    backends = _root(metafunc.config).selected_backends() if marked else ("sqlite",)
    metafunc.parametrize("backend", backends, scope="session")


@pytest.fixture(scope="session", autouse=True)
def _client_env() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        for name in list(os.environ):
            if name.startswith(("MLFLOW_", "CAIRN_")) and not name.startswith("CAIRN_TEST_"):
                mp.delenv(name)
        for name, value in _CLIENT_ENV.items():
            mp.setenv(name, value)
        yield


@dataclass
class _ServerPool:
    """Servers started on first use and stopped (databases dropped) at the end of the session."""

    config: pytest.Config
    tmp: pytest.TempPathFactory
    servers: dict[str, CompatServer] = field(default_factory=dict)
    databases: list[str] = field(default_factory=list)

    def _database_uri(self, backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{self.tmp.mktemp('compat-sqlite') / 'cairn.db'}"
        root = _root(self.config)
        name = f"{root._database_name()}_compat"
        root._admin_execute(backend, f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
        self.databases.append(backend)
        return str(root.SERVER_URIS[backend].rsplit("/", 1)[0] + "/" + name)

    def get(self, backend: str, workers: int = 1) -> CompatServer:
        key = f"{backend}-w{workers}"
        if key not in self.servers:
            uri = self._database_uri(backend)
            self.servers[key] = start_server(backend, uri, self.tmp.mktemp(key), workers)
        return self.servers[key]

    def close(self) -> None:
        for server in self.servers.values():
            server.stop()
        root = _root(self.config)
        name = f"{root._database_name()}_compat"
        force = {"postgresql": " WITH (FORCE)", "mysql": ""}
        for backend in self.databases:
            root._admin_execute(backend, f"DROP DATABASE IF EXISTS {name}{force[backend]}")


@pytest.fixture(scope="session")
def _servers(
    pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[_ServerPool]:
    pool = _ServerPool(pytestconfig, tmp_path_factory)
    yield pool
    pool.close()


@pytest.fixture(scope="session")
def server(backend: str, _servers: _ServerPool) -> CompatServer:
    """A live server over ``backend`` (SQLite unless the test is marked ``backends``)."""
    return _servers.get(backend)


@pytest.fixture(scope="session")
def multi_worker_server(_servers: _ServerPool) -> CompatServer:
    """A SQLite server started with ``--workers 4``."""
    return _servers.get("sqlite", workers=4)


@pytest.fixture
def client(server: CompatServer) -> MlflowClient:
    return MlflowClient(tracking_uri=server.url)


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def unique_name() -> Callable[[str], str]:
    """``unique_name("exp")`` -> ``exp-<12 hex>``: names no other test on the server uses."""
    return _unique


@pytest.fixture
def experiment_id(client: MlflowClient) -> str:
    """A fresh experiment of this test's own."""
    return client.create_experiment(_unique("compat"))


@pytest.fixture
def fluent(server: CompatServer, experiment_id: str) -> Iterator[str]:
    """The fluent API (``mlflow.start_run`` & co.) pointed at ``server`` with ``experiment_id``
    active; yields the experiment id and leaves no active run or global URI behind."""
    mlflow.set_tracking_uri(server.url)
    mlflow.set_experiment(experiment_id=experiment_id)
    yield experiment_id
    while mlflow.active_run() is not None:
        mlflow.end_run()
    # log_model / load_model make their model "active": later fluent metrics would link to it.
    mlflow.clear_active_model()
    mlflow.tracking.fluent._reset_last_logged_model_id()
    mlflow.tracking.fluent._active_experiment_id = None
    os.environ.pop("MLFLOW_EXPERIMENT_ID", None)
    mlflow.set_tracking_uri(None)  # type: ignore[arg-type]  # None resets (and unsets the env var)


@pytest.fixture
def rest(server: CompatServer) -> Iterator[Callable[..., Any]]:
    """Raw REST calls for what the client never sends (e.g. an oversize batch)."""
    with httpx.Client(base_url=f"{server.url}/api/2.0/mlflow", timeout=60) as http:

        def call(method: str, path: str, **kwargs: Any) -> httpx.Response:
            return http.request(method, path, **kwargs)

        yield call


@pytest.fixture
def cairn_client_on(server: CompatServer, experiment_id: str) -> Iterator[str]:
    """cairn's fluent API (``cairn.start_run`` & co.) pointed at the same server and
    experiment as ``fluent``; yields the experiment id and resets cairn's state afterwards."""
    cairn_fluent._reset_for_tests()
    cairn.set_tracking_uri(server.url)
    cairn.set_experiment(experiment_id=experiment_id)
    yield experiment_id
    while cairn.active_run():
        cairn.end_run()
    cairn_fluent._reset_for_tests()
    close_stores()
