"""A ``cairn server`` (or, with ``CAIRN_COMPAT_SERVER=mlflow``, the reference ``mlflow server``)
started as a real subprocess through its real CLI, for the compat suite."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

STARTUP_TIMEOUT_S = 90.0
REFERENCE = os.environ.get("CAIRN_COMPAT_SERVER", "cairn") == "mlflow"


@dataclass
class CompatServer:
    """One server subprocess; ``artifacts`` is its ``--artifacts-destination`` directory."""

    url: str
    backend: str
    artifacts: Path
    process: subprocess.Popen[bytes]
    log: Path

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # its own session: only its workers
                self.process.wait(timeout=15)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_command(db_uri: str, artifacts: Path, port: int, workers: int) -> list[str]:
    if REFERENCE:
        db_uri = db_uri.replace("postgresql://", "postgresql+psycopg://", 1)
        db_uri = db_uri.replace("mysql://", "mysql+pymysql://", 1)
        program = [sys.executable, "-m", "mlflow", "server"]
    else:
        program = [sys.executable, "-m", "cairn.cli.main", "server"]
    return [
        *program,
        *("--backend-store-uri", db_uri),
        *("--artifacts-destination", str(artifacts)),
        *("--host", "127.0.0.1"),
        *("--port", str(port)),
        *("--workers", str(workers)),
    ]


def start_server(backend: str, db_uri: str, root: Path, workers: int = 1) -> CompatServer:
    """Start a server over ``db_uri`` and wait until ``GET /health`` answers ``OK``."""
    artifacts = root / "artifacts"
    artifacts.mkdir(parents=True)
    port = _free_port()
    log = root / "server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLFLOW_", "CAIRN_"))}
    # mlflow server otherwise starts 7 GenAI job workers, which only slow a 2-core machine
    env["MLFLOW_SERVER_ENABLE_JOB_EXECUTION"] = "false"
    with log.open("wb") as out:
        process = subprocess.Popen(
            _server_command(db_uri, artifacts, port, workers),
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=root,
            start_new_session=True,
        )
    server = CompatServer(f"http://127.0.0.1:{port}", backend, artifacts, process, log)
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"The {backend} server exited with {process.returncode} before answering "
                f"/health. Its output:\n{server.log_tail()}"
            )
        try:
            if httpx.get(f"{server.url}/health", timeout=2).text == "OK":
                return server
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(
                f"The {backend} server did not answer /health within {STARTUP_TIMEOUT_S:.0f} s. "
                f"Its output:\n{server.log_tail()}"
            )
        time.sleep(0.1)
