"""Starting and stopping ``mlflow server`` / ``cairn server`` for the side-by-side benchmarks.

Each server is a subprocess on a free loopback port, in its own process group (so that its
workers die with it), with a clean environment: no ``MLFLOW_*``/``CAIRN_*`` variables from the
caller, telemetry off, and mlflow's GenAI job runner (7 huey consumer processes that cairn has
no counterpart for) off unless asked for.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from _common import console, machine_line

SERVERS = ("mlflow", "cairn")
HEALTH_POLL_S = 0.02
START_TIMEOUT_S = 180.0
# The client must fail fast on a broken server instead of retrying for minutes; no telemetry.
CLIENT_ENV = {
    "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0",
    "MLFLOW_HTTP_REQUEST_TIMEOUT": "300",
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "DO_NOT_TRACK": "true",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_argv(name: str, root: Path, port: int, workers: int) -> list[str]:
    common = ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    if name == "mlflow":
        return [
            *(sys.executable, "-m", "mlflow", "server"),
            *("--backend-store-uri", f"sqlite:///{root}/mlflow.db"),
            *("--artifacts-destination", str(root / "mlartifacts")),
            *common,
        ]
    return [
        *(sys.executable, "-m", "cairn.cli", "server"),
        *("--backend-store-uri", str(root)),
        *("--artifacts-destination", str(root / "artifacts")),
        *common,
    ]


def server_env(job_runner: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLFLOW_", "CAIRN_"))}
    env.update(MLFLOW_DISABLE_TELEMETRY="true", DO_NOT_TRACK="true")
    # mlflow server otherwise starts 7 huey consumer processes for its GenAI job runner
    env["MLFLOW_SERVER_ENABLE_JOB_EXECUTION"] = "true" if job_runner else "false"
    return env


@dataclass
class Server:
    """One server subprocess (in its own process group, so that its workers die with it)."""

    name: str
    root: Path
    workers: int
    job_runner: bool = False
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> float:
        """Start the server and return the seconds until ``/health`` answered 200."""
        self.port = free_port()
        self.log_path = self.root.parent / f"{self.root.name}.log"
        log = self.log_path.open("ab")
        argv = server_argv(self.name, self.root, self.port, self.workers)
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            argv,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=server_env(self.job_runner),
            cwd=self.root,
            start_new_session=True,
        )
        log.close()
        while time.perf_counter() - started < START_TIMEOUT_S:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} server exited: {self.log_tail()}")
            if healthy(self.url):
                return time.perf_counter() - started
            time.sleep(HEALTH_POLL_S)
        raise RuntimeError(f"{self.name} server not healthy in {START_TIMEOUT_S:.0f} s")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        # TERM lets the server shut down cleanly; the KILL afterwards takes any straggler of
        # its process group (mlflow's job-runner consumers outlive their parent).
        for sig, wait_s in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 10.0)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(wait_s)
            except subprocess.TimeoutExpired:
                continue

    def log_tail(self, chars: int = 2000) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")[-chars:]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def interrupt(signum: int, frame: object) -> None:
    """Signal handler: SIGTERM/SIGINT unwind through ``finally`` blocks that stop servers."""
    raise KeyboardInterrupt(f"signal {signum}")


def install_interrupt_handlers() -> None:
    # SIGTERM (and SIGINT, even where a shell started us ignoring it) unwinds through the
    # finally blocks, which stop the servers.
    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, interrupt)


def prologue(workers: int, client: str = "", suffix: str = "") -> None:
    """Start a side-by-side script: signal handlers, the client's environment, header lines.

    The headers name the machine and the mlflow version; ``client`` and ``suffix`` go before
    and after the "; servers on SQLite" part of the second.
    """
    install_interrupt_handlers()
    os.environ.update(CLIENT_ENV)
    console.print(machine_line())
    import mlflow

    console.print(
        f"mlflow {mlflow.__version__}{client}; servers on SQLite, {workers} worker(s){suffix}"
    )


@contextlib.contextmanager
def scratch_dir(prefix: str, keep: bool) -> Iterator[Path]:
    """A fresh temporary directory for the servers' data, removed afterwards unless ``keep``."""
    base = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield base
    finally:
        if keep:
            console.print(f"data kept in {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


def run_main(main: Callable[[], int | None]) -> NoReturn:
    """Exit with ``main()``'s status; an interrupt has stopped the servers on its way out."""
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        console.print("interrupted (servers stopped)")
        sys.exit(130)
