"""The browser boundary, enforced once for every route (security notes, rule 4).

A pure ASGI middleware, so it also covers streaming artifact routes and errors raised by the
framework itself:

- ``Host`` must be allowed (DNS rebinding makes a browser send a foreign name to a loopback
  server). IP literals and ``localhost`` are always fine (rebinding needs a name); other names
  must match ``--allowed-hosts`` (``*`` or ``*.example.com`` patterns).
- State-changing requests (POST, PUT, PATCH, DELETE) from another origin are refused: a
  browser sends ``Origin`` (or ``Sec-Fetch-Site: cross-site``) on those, plain clients don't.
- Every response carries ``X-Content-Type-Options: nosniff`` and ``X-Frame-Options``.

Refusals never echo the offending header back (rule 4: errors never echo headers).
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Sequence
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"SAMEORIGIN"),
]


def split_host(host: str) -> str:
    """The name part of a ``Host`` header value (``[::1]:5000`` -> ``::1``)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        return host.split(":", 1)[0]
    return host


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_allowed(host: str, patterns: Sequence[str]) -> bool:
    name = split_host(host)
    if not name:
        return False
    if _is_ip(name) or name == "localhost" or name.endswith(".localhost"):
        return True
    for pattern in patterns:
        pattern = split_host(pattern)
        if pattern == "*" or pattern == name:
            return True
        if pattern.startswith("*.") and name.endswith(pattern[1:]):
            return True
    return False


def _origin_allowed(origin: str, host: str, allowed_origins: Sequence[str]) -> bool:
    if origin == "null":
        return False
    if origin.rstrip("/") in {o.rstrip("/") for o in allowed_origins} or "*" in allowed_origins:
        return True
    parts = urlsplit(origin)
    return bool(parts.netloc) and parts.netloc.lower() == host.strip().lower()


class BrowserGuard:
    def __init__(
        self,
        app: ASGIApp,
        allowed_hosts: Sequence[str] = (),
        allowed_origins: Sequence[str] = (),
    ) -> None:
        self.app = app
        self.allowed_hosts = tuple(allowed_hosts)
        self.allowed_origins = tuple(allowed_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        problem = self._problem(scope["method"], headers)
        if problem is not None:
            await _refuse(send, *problem)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + _SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _problem(self, method: str, headers: dict[str, str]) -> tuple[int, str, str] | None:
        host = headers.get("host", "")
        if not host_allowed(host, self.allowed_hosts):
            return (
                403,
                "PERMISSION_DENIED",
                "The Host header names a host this server does not answer for. Add it with "
                "--allowed-hosts if it is legitimate.",
            )
        if method not in _UNSAFE_METHODS:
            return None
        origin = headers.get("origin")
        if origin is not None and not _origin_allowed(origin, host, self.allowed_origins):
            return (
                403,
                "PERMISSION_DENIED",
                "Cross-origin requests that change state are refused. Add the origin with "
                "--cors-allowed-origins if it is trusted.",
            )
        if origin is None and headers.get("sec-fetch-site") == "cross-site":
            return (403, "PERMISSION_DENIED", "Cross-site requests that change state are refused.")
        return None


async def _refuse(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error_code": code, "message": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *_SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
