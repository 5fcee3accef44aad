"""JSON and error responses in MLflow's envelope; the HTTP status mapping lives in errors.py.

Responses are serialized with the standard library into compact JSON; every value was already
made JSON-safe by ``cairn.wire`` (NaN as a string, infinities clamped).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from starlette.responses import Response

from cairn.errors import CairnError

logger = logging.getLogger("cairn.server")

JSON_TYPE = "application/json"


class EncodedJson(dict[str, Any]):
    """A reply a handler already wrote as JSON text (hot paths with 10^5+ items, where
    building dicts for ``json.dumps`` costs more than the request itself)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


def json_response(payload: Any, status: int = 200) -> Response:
    if isinstance(payload, EncodedJson):
        return Response(payload.text, status_code=status, media_type=JSON_TYPE)
    body = json.dumps(payload, separators=(",", ":"), allow_nan=False)
    return Response(body, status_code=status, media_type=JSON_TYPE)


def error_response(exc: Exception) -> Response:
    """The envelope for any failure: typed errors keep their code, anything else is a 500
    whose details go to the log, never to the caller."""
    if isinstance(exc, CairnError):
        return json_response(exc.to_dict(), exc.http_status)
    logger.exception("Unhandled error while serving a request", exc_info=exc)
    return json_response(
        {"error_code": "INTERNAL_ERROR", "message": "Internal server error; see the server log."},
        500,
    )


def plain_error(status: int, error_code: str, message: str) -> Response:
    return json_response({"error_code": error_code, "message": message}, status)
