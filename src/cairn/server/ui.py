"""The web UI: the production bundle built from ``ui/`` into ``ui_dist/``, served at the root.

``index.html`` is never cached (a new server version must reach browsers at once) and carries
a Content-Security-Policy that allows only this server's scripts; the hashed files under
``assets/`` are immutable and cached for a year. Without a bundle (a checkout where ``npm`` has
not run), the root page says how to build one instead of failing.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response

from cairn.errors import InvalidParameterValue
from cairn.server.responses import plain_error
from cairn.store.artifacts.paths import resolve_under
from cairn.version import __version__

UI_DIST = Path(__file__).with_name("ui_dist")
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; frame-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
_NO_BUNDLE = """<!doctype html><html><head><meta charset="utf-8"><title>cairn</title></head>
<body><h1>cairn tracking server {version}</h1>
<p>The web UI is not built in this installation. Build it with
<code>./scripts/setup</code> (needs Node.js and npm), or <code>npm ci && npm run build</code>
in <code>ui/</code>.</p>
<p>The MLflow-compatible REST API is at <code>{prefix}/api/2.0/mlflow/</code>;
the OpenAPI description at <a href="{prefix}/docs">{prefix}/docs</a>.</p></body></html>"""


def add_ui_routes(app: FastAPI, prefix: str, dist: Path = UI_DIST) -> None:
    async def index() -> Response:
        page = dist / "index.html"
        if not page.is_file():
            return HTMLResponse(_NO_BUNDLE.format(version=__version__, prefix=prefix))
        return FileResponse(
            page,
            media_type="text/html",
            headers={
                "Cache-Control": "no-cache",
                "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            },
        )

    async def asset(request: Request) -> Response:
        path = str(request.path_params["path"])
        try:
            target = resolve_under(dist / "assets", path)
        except InvalidParameterValue:  # traversal and other bad paths: no such file
            return plain_error(404, "RESOURCE_DOES_NOT_EXIST", "No such UI file.")
        if not target.is_file():
            return plain_error(404, "RESOURCE_DOES_NOT_EXIST", "No such UI file.")
        return FileResponse(
            target, headers={"Cache-Control": "public, max-age=31536000, immutable"}
        )

    app.add_api_route(prefix + "/", index, methods=["GET"], include_in_schema=False)
    app.add_api_route(
        prefix + "/assets/{path:path}", asset, methods=["GET"], include_in_schema=False
    )
