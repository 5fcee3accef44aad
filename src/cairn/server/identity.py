"""Who made a request, for the registry's audit history.

Until cairn has its own authentication, the caller names itself: cairn's client sends
``X-Cairn-User`` (the local user name), and MLflow's client sends HTTP basic credentials when
``MLFLOW_TRACKING_USERNAME`` is set, whose user part is taken. Neither is verified, exactly like
a run's ``user_id`` in MLflow; an authenticating proxy in front of the server should overwrite
the header. Names are capped so a header cannot bloat the history.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote

from starlette.requests import Request

USER_HEADER = "x-cairn-user"
MAX_USER_LENGTH = 256


def _basic_user(authorization: str) -> str | None:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "basic" or not token:
        return None
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user = decoded.split(":", 1)[0]
    return user or None


def request_user(request: Request) -> str | None:
    headers = request.headers
    header = headers.get(USER_HEADER)
    # cairn's client percent-encodes the name (HTTP headers are ASCII); "%" travels as "%25"
    user = unquote(header) if header else _basic_user(headers.get("authorization", ""))
    if not user:
        return None
    user = "".join(ch for ch in user if ch.isprintable()).strip()
    return user[:MAX_USER_LENGTH] or None
