"""Dispatch requests whose (method, path) is known exactly, without walking the router.

Starlette tries each route's regular expression in order. MLflow's API under two prefixes
is ~230 routes, so a request near the end of the table paid ~0.2 ms just to be routed, as
much as a small store call. Routes without path parameters are looked up in a dict here;
anything else (logged-model paths, artifact paths, unknown paths) goes on to the router.
Security middleware sits outside this one, so every request still passes it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

Endpoint = Callable[[Request], Awaitable[Response]]


class ExactRoutes:
    def __init__(self, app: ASGIApp, table: Mapping[tuple[str, str], Endpoint]) -> None:
        self.app = app
        self.table = dict(table)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            endpoint = self.table.get((scope["method"], scope["path"]))
            if endpoint is not None:
                response = await endpoint(Request(scope, receive))
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
