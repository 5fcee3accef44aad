"""Page tokens for search results, in MLflow's format.

A token is base64 of the JSON ``{"offset": N}`` (MLflow writes ``{"offset": 1}`` with the space,
giving ``eyJvZmZzZXQiOiAxfQ==``). Clients treat it as opaque, but matching it byte for byte means a
token handed out by an MLflow server keeps working after a switch to cairn and back.
"""

from __future__ import annotations

import base64
import binascii
import json

from cairn.errors import InvalidParameterValue


def encode_page_token(offset: int) -> str:
    """The token that resumes a search at ``offset``.

    >>> encode_page_token(1)
    'eyJvZmZzZXQiOiAxfQ=='
    """
    return base64.b64encode(json.dumps({"offset": offset}).encode("utf-8")).decode("ascii")


def decode_page_token(token: str | None) -> int:
    """The offset a token stands for; 0 for no token (the first page)."""
    if not token:
        return 0
    try:
        payload = json.loads(base64.b64decode(token.encode("ascii"), validate=True))
    except (UnicodeError, binascii.Error, ValueError):
        raise InvalidParameterValue(f"Invalid page token {token!r}: not base64 JSON") from None
    offset = payload.get("offset") if isinstance(payload, dict) else None
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise InvalidParameterValue(
            f"Invalid page token {token!r}: it holds no non-negative integer offset"
        )
    return offset
