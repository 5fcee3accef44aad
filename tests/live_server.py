"""A real cairn server on loopback, in a background thread of the test process.

Tests talk to it over real HTTP; sharing the process keeps start-up to a few milliseconds and
lets one server per backend serve the whole session (tables are emptied between tests, as for
the store fixtures).
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from cairn.server.app import create_app, open_store
from cairn.server.settings import ServerSettings
from cairn.server.state import ServerState
from cairn.store.artifacts import local_path_to_uri
from cairn.store.tracking.sql.store import SqlTrackingStore


@dataclass
class LiveServer:
    url: str
    settings: ServerSettings
    store: SqlTrackingStore
    artifacts: Path
    _server: uvicorn.Server
    _thread: threading.Thread

    def reset_files(self) -> None:
        """Empty the artifact root and the proxy destination between tests."""
        proxy = Path(self.settings.artifacts_destination.removeprefix("file://"))
        for directory in (self.artifacts, proxy):
            shutil.rmtree(directory, ignore_errors=True)
            directory.mkdir(parents=True)

    @property
    def state(self) -> ServerState:
        return self._server.config.app.state.cairn  # type: ignore[no-any-return]

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        # The app runs without lifespan (no shutdown handlers): stop its event publisher
        # (webhook delivery threads) and the registry store here.
        events = self.state.events
        if events is not None and hasattr(events, "close"):
            events.close()
        self.state.registry.close()
        self.store.close()


def start_live_server(backend_uri: str, root: Path, **overrides: object) -> LiveServer:
    """Serve ``backend_uri``; new experiments keep artifacts under ``root/artifacts`` (a
    plain local root, so store contract tests see the same URIs as the SQL store gives)."""
    artifacts = root / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    options: dict[str, object] = {
        "backend_store_uri": backend_uri,
        "artifacts_destination": local_path_to_uri(root / "proxy"),
        "default_artifact_root": local_path_to_uri(artifacts),
    }
    options.update(overrides)
    settings = ServerSettings(**options)  # type: ignore[arg-type]
    store = open_store(settings)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings, store), log_level="warning", lifespan="off", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("The test server did not start.")
        time.sleep(0.01)
    return LiveServer(f"http://127.0.0.1:{port}", settings, store, artifacts, server, thread)
