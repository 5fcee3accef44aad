"""A scripted HTTP server on a real loopback socket, for the REST stores' request tests.

Each test queues the answers it wants (status, headers, body, optional delay); the last answer
repeats once the queue runs dry. Every request that arrives is recorded with its method, path,
query, headers and body, so tests can assert exactly what the client sent.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from cairn.store.tracking.rest import HttpConfig

#: Quick retries so retry tests take milliseconds, not the production backoff.
FAST = HttpConfig(timeout=5.0, max_retries=3, backoff_factor=0.01)
#: A GetExperiment answer.
EXPERIMENT = {
    "experiment": {
        "experiment_id": "1",
        "name": "exp",
        "artifact_location": "mlflow-artifacts:/1",
        "lifecycle_stage": "active",
    }
}


@dataclass
class Answer:
    status: int = 200
    body: bytes | str | dict[str, Any] = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    def payload(self) -> tuple[bytes, str]:
        if isinstance(self.body, dict):
            return json.dumps(self.body).encode(), "application/json"
        if isinstance(self.body, str):
            return self.body.encode(), "text/plain"
        return self.body, "application/json"


@dataclass
class Seen:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class StubServer:
    def __init__(self) -> None:
        self.answers: list[Answer] = []
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                with stub.lock:
                    stub.seen.append(
                        Seen(
                            self.command,
                            parts.path,
                            parse_qsl(parts.query, keep_blank_values=True),
                            {k.lower(): v for k, v in self.headers.items()},
                            body,
                        )
                    )
                    answer = stub.answers.pop(0) if len(stub.answers) > 1 else stub.answers[0]
                if answer.delay:
                    time.sleep(answer.delay)
                payload, content_type = answer.payload()
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:  # the client gave up (timeout tests)
                    pass

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    def answer(self, *answers: Answer) -> StubServer:
        self.answers = list(answers)
        return self
