"""The bytes of a delivery and its signature, exactly as MLflow 3.x sends them.

The body is ``json.dumps`` with Python's default separators (MLflow's receivers recompute the
HMAC over the raw body, so the spelling matters less than using the received bytes, but a
byte-identical body keeps examples written for MLflow working unchanged). The signature covers
``"<delivery_id>.<timestamp>.<body>"`` so a captured body cannot be replayed under another
delivery id or at another time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

SIGNATURE_HEADER = "X-MLflow-Signature"
TIMESTAMP_HEADER = "X-MLflow-Timestamp"
DELIVERY_ID_HEADER = "X-MLflow-Delivery-Id"
SIGNATURE_VERSION = "v1"


def event_body(entity: str, action: str, data: Mapping[str, Any], when: datetime) -> str:
    """The JSON document a receiver gets: lowercase names, ISO-8601 UTC time, the payload."""
    document = {
        "entity": entity,
        "action": action,
        "timestamp": when.astimezone(timezone.utc).isoformat(),
        "data": dict(data),
    }
    return json.dumps(document, default=str)


def sign(secret: str, delivery_id: str, timestamp: str, body: str) -> str:
    """``v1,<base64 HMAC-SHA256>`` over ``delivery_id.timestamp.body``."""
    content = f"{delivery_id}.{timestamp}.{body}".encode()
    digest = hmac.new(secret.encode("utf-8"), content, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode('ascii')}"


def delivery_headers(
    delivery_id: str, body: str, secret: str | None, timestamp: int | None = None
) -> dict[str, str]:
    """Headers for one attempt; a retry gets a fresh timestamp (and so a fresh signature) so
    receivers that reject stale timestamps still accept it, but keeps its delivery id."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {
        "Content-Type": "application/json",
        DELIVERY_ID_HEADER: delivery_id,
        TIMESTAMP_HEADER: stamp,
    }
    if secret:
        headers[SIGNATURE_HEADER] = sign(secret, delivery_id, stamp, body)
    return headers


def verify(
    secret: str,
    headers: Mapping[str, str],
    body: bytes | str,
    *,
    tolerance_s: int = 300,
    now: float | None = None,
) -> bool:
    """What a receiver does: recompute the HMAC in constant time and reject stale messages.

    ``headers`` must look names up case-insensitively (as ``http.server`` and most frameworks'
    header objects do).
    """
    signature = headers.get(SIGNATURE_HEADER) or ""
    delivery_id = headers.get(DELIVERY_ID_HEADER) or ""
    stamp = headers.get(TIMESTAMP_HEADER) or ""
    if not (signature and delivery_id and stamp.isdigit()):
        return False
    current = time.time() if now is None else now
    if abs(current - int(stamp)) > tolerance_s:
        return False
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    expected = sign(secret, delivery_id, stamp, text)
    return hmac.compare_digest(expected.encode(), signature.encode())


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
