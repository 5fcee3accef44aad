"""One HTTP attempt at a webhook: check the destination again, sign, POST, classify.

The destination is checked on every attempt, not only when the webhook was saved: DNS answers
change, and a name that was public yesterday may point inside today.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from cairn.errors import InvalidParameterValue
from cairn.server.webhooks.guard import BlockedDestination, UnresolvableHost, UrlGuard
from cairn.server.webhooks.signing import delivery_headers
from cairn.version import __version__

#: How much of a receiver's reply is kept (the test endpoint shows it); the rest is not read.
MAX_RESPONSE_BODY = 64 * 1024
#: Statuses worth retrying besides 5xx: timeout and "slow down".
_RETRY_STATUSES = frozenset({408, 429})


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to; ``retry_after`` is the receiver's own wish, in seconds."""

    success: bool
    retryable: bool
    duration_ms: int
    response_status: int | None = None
    response_body: str | None = None
    error_message: str | None = None
    retry_after: float | None = None


def new_client(transport: httpx.BaseTransport | None, timeout: float) -> httpx.Client:
    """Redirects are not followed and proxies from the environment are ignored: either would
    send the request somewhere the guard never checked."""
    return httpx.Client(
        transport=transport,
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": f"cairn-webhooks/{__version__}"},
    )


def attempt(
    client: httpx.Client,
    guard: UrlGuard,
    url: str,
    delivery_id: str,
    body: str,
    secret: str | None,
) -> Outcome:
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        destination = guard.check(url)
    except UnresolvableHost as exc:
        return Outcome(False, True, elapsed(), error_message=exc.message)
    except (BlockedDestination, InvalidParameterValue) as exc:
        return Outcome(False, False, elapsed(), error_message=f"Refused: {exc.message}")
    headers = delivery_headers(delivery_id, body, secret)
    extensions = {}
    if destination.host_header is not None:
        headers["Host"] = destination.host_header
    if destination.sni_hostname is not None:
        extensions["sni_hostname"] = destination.sni_hostname
    request = client.build_request(
        "POST",
        destination.url,
        content=body.encode("utf-8"),
        headers=headers,
        extensions=extensions,
    )
    try:
        response = client.send(request, stream=True)
    except httpx.TransportError as exc:
        error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return Outcome(False, True, elapsed(), error_message=error)
    try:
        text = _read_capped(response)
    finally:
        response.close()
    return _classify(response, text, elapsed())


def _read_capped(response: httpx.Response) -> str:
    data = bytearray()
    try:
        for chunk in response.iter_bytes():
            data += chunk
            if len(data) >= MAX_RESPONSE_BODY:
                break
    except httpx.HTTPError:
        pass  # the status line arrived; a broken body does not change the outcome
    return bytes(data[:MAX_RESPONSE_BODY]).decode(response.encoding or "utf-8", errors="replace")


def _classify(response: httpx.Response, text: str, duration_ms: int) -> Outcome:
    status = response.status_code
    if 200 <= status < 300:
        return Outcome(True, False, duration_ms, status, text)
    retryable = status >= 500 or status in _RETRY_STATUSES
    if 300 <= status < 400:
        error = f"HTTP {status}: redirects are not followed"
    else:
        error = f"HTTP {status}"
    return Outcome(False, retryable, duration_ms, status, text, error, _retry_after(response))


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    return float(value) if value.isdigit() else None
