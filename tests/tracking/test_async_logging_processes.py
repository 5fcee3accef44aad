"""Asynchronous logging across process boundaries: a server restarted mid-stream, and an
interpreter that exits without flushing."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import cairn
from cairn.tracking import fluent
from cairn.tracking.client import CairnClient

_CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith(("CAIRN_", "MLFLOW_"))}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``cairn server`` as a real subprocess, restartable on the same port and database."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            *(sys.executable, "-m", "cairn.cli.main", "server"),
            *("--backend-store-uri", f"sqlite:///{self.root / 'server.db'}"),
            *("--artifacts-destination", str(self.root / "artifacts")),
            *("--host", "127.0.0.1", "--port", str(self.port)),
        ]
        log = (self.root / "server.log").open("ab")
        self.process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=_CLEAN_ENV, start_new_session=True
        )
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.root / "server.log").read_text()
            try:
                if httpx.get(f"{self.url}/health", timeout=1).text == "OK":
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError("cairn server did not start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)  # its own session: only the server
            self.process.wait(timeout=10)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    srv = Server(tmp_path)
    srv.start()
    yield srv
    srv.kill()


def test_server_killed_and_restarted_mid_stream_loses_nothing(
    tracking_dir: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAIRN_HTTP_REQUEST_MAX_RETRIES", "0")  # only the sender retries
    monkeypatch.setenv("CAIRN_HTTP_REQUEST_TIMEOUT", "5")
    monkeypatch.setenv("CAIRN_ASYNC_LOGGING_BATCH_WINDOW", "0.01")
    fluent._state.settings = None
    cairn.set_tracking_uri(server.url)
    total = 3000
    with cairn.start_run() as run:
        cairn.log_param("lr", 0.1)
        for step in range(total):
            cairn.log_metric("loss", 1.0 / (step + 1), step=step)
            cairn.log_metric("acc", step / total, step=step)
            if step % 20 == 0:
                time.sleep(0.002)  # batches keep flowing while the server dies
            if step == 1000:
                server.kill()
            if step == 2000:
                server.start()
        cairn.set_tag("done", "yes")
        sender = fluent.client().async_logger().sender
    assert sender.retries > 0  # the outage was seen, and ridden out
    client = CairnClient(server.url)
    for key in ("loss", "acc"):
        history = client.get_metric_history(run.info.run_id, key)
        assert [p.step for p in history] == list(range(total)), key
    data = client.get_run(run.info.run_id).data
    assert data.param_dict == {"lr": "0.1"} and data.tag_dict["done"] == "yes"


def _run_script(code: str, tracking: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), str(tracking)],
        capture_output=True,
        text=True,
        env=_CLEAN_ENV,
        timeout=60,
        check=True,
    )


def test_pending_points_are_delivered_at_interpreter_exit(tracking_dir: Path) -> None:
    out = _run_script(
        """
        import sys, cairn
        cairn.set_tracking_uri(sys.argv[1])
        run = cairn.start_run()
        for step in range(20_000):
            cairn.log_metric("loss", float(step), step=step)
        cairn.log_param("lr", "0.1")
        print(run.info.run_id)
        # no flush, no end_run: the exit hook delivers what is queued
        """,
        tracking_dir,
    )
    run_id = out.stdout.strip()
    client = CairnClient(str(tracking_dir))
    assert [p.step for p in client.get_metric_history(run_id, "loss")] == list(range(20_000))
    assert client.get_run(run_id).data.param_dict == {"lr": "0.1"}
    assert out.stderr == ""


def test_a_loss_discovered_at_exit_is_printed(tracking_dir: Path) -> None:
    out = _run_script(
        """
        import sys, cairn
        cairn.set_tracking_uri(sys.argv[1])
        run = cairn.start_run()
        cairn.log_param("lr", "0.1", synchronous=True)
        cairn.log_param("lr", "0.2")
        print(run.info.run_id)
        """,
        tracking_dir,
    )
    run_id = out.stdout.strip()
    assert f"run {run_id}: 0 metric points, 1 param and 0 tags were not stored" in out.stderr
    assert "Changing param values is not allowed" in out.stderr
