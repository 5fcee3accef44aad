"""The HTTP transport shared by the REST tracking store and the HTTP artifact repository.

One ``httpx.Client`` per transport: a keep-alive connection pool that is safe to share between
threads, created on the first request (constructors do no work) and closed by ``close()``.
``httpx`` is imported only here and only when a request is made, so ``import cairn`` stays light.

Retry rule (MLflow's client retries every call; we decide per request):

- Failures *before the request reached the server* (connection refused, connect timeout, no
  free pooled connection) are retried for every request: nothing was sent, so nothing can be
  applied twice.
- A 429 (rate limited) is retried for every request: the server refused it unprocessed.
- Other transient failures (408, 500, 502, 503, 504, a read/write timeout, a dropped
  connection) are retried only for *idempotent* requests: reads, searches, upserts and writes
  whose repetition the server de-duplicates (set-tag, log-batch, log-param with the same value,
  update-run, artifact PUT/DELETE...). Creates and deletes that answer 404 the second time are
  not idempotent: repeating them after the server may already have acted would create a
  duplicate or turn a success into a misleading error. The caller says which kind a request is.
- A 5xx whose JSON envelope carries a deterministic error code (e.g. ``INVALID_STATE``, which
  MLflow maps to 500) is a user error, not a hiccup, and is raised at once.

Waits grow exponentially (``backoff_factor * 2**attempt``, capped) with random jitter, and a
``Retry-After`` header (seconds or an HTTP date) replaces the computed wait when present.

Credentials (Bearer token or Basic user/password) are sent only to the origin of the tracking
server the transport was made for, never to other hosts an artifact URI may name, and they are
scrubbed from every error message this module raises.
"""

from __future__ import annotations

import email.utils
import json
import random
import threading
import time
import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cairn.errors import CairnError, ServiceUnavailable, error_from_code
from cairn.store.tracking.rest.config import HttpConfig, origin_of, redact_url
from cairn.version import __version__

if TYPE_CHECKING:
    import httpx

USER_AGENT = f"cairn-python-client/{__version__}"
#: Statuses worth another try (MLflow's list); 429 is retried even for non-idempotent calls.
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
#: Envelope codes that mean "try again later"; any other code on a 5xx is deterministic.
TRANSIENT_CODES = frozenset(
    {
        "INTERNAL_ERROR",
        "TEMPORARILY_UNAVAILABLE",
        "DEADLINE_EXCEEDED",
        "REQUEST_LIMIT_EXCEEDED",
        "RESOURCE_EXHAUSTED",
    }
)
#: MLflow's client mapping of a non-JSON error body to an error code, by HTTP status.
STATUS_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "ENDPOINT_NOT_FOUND",
    409: "ALREADY_EXISTS",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL_ERROR",
    501: "NOT_IMPLEMENTED",
    503: "TEMPORARILY_UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
_SHOWN_BODY = 200
_DOWNLOAD_CHUNK = 1024 * 1024

__all__ = ["HttpConfig", "HttpTransport", "origin_of", "redact_url"]

JsonDict = dict[str, Any]
QueryParams = Sequence[tuple[str, str]]


class HttpTransport:
    """Send requests with retries and turn error responses into typed ``CairnError``s.

    ``auth_origin`` is the only origin credentials are sent to (the tracking server).
    """

    def __init__(self, config: HttpConfig | None = None, *, auth_origin: str | None = None) -> None:
        self.config = config or HttpConfig()
        self.auth_origin = origin_of(auth_origin) if auth_origin else None
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()
        self._closed = False

    # --- lifecycle -----------------------------------------------------------------------------
    def _http(self) -> httpx.Client:
        with self._lock:
            if self._closed:
                raise CairnError("This HTTP transport was closed; open a new store.")
            if self._client is None:
                import httpx  # heavy-ish: load on first request only

                self._client = httpx.Client(
                    timeout=httpx.Timeout(self.config.timeout),
                    verify=not self.config.insecure_tls,
                    follow_redirects=True,
                    headers={"User-Agent": USER_AGENT},
                    trust_env=True,
                )
                # Close the pool even if the owner forgets to, so no socket is left to the GC.
                weakref.finalize(self, self._client.close)
            return self._client

    def close(self) -> None:
        with self._lock:
            self._closed = True
            client, self._client = self._client, None
        if client is not None:
            client.close()

    # --- requests ------------------------------------------------------------------------------
    def request_json(
        self,
        method: str,
        url: str,
        *,
        body: Mapping[str, Any] | None = None,
        params: QueryParams | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool,
    ) -> JsonDict:
        """Send a JSON API call and return the decoded object (``{}`` for an empty body).

        ``headers`` are extra request headers for this call only (e.g. the registry's
        ``X-Cairn-User``); the pool's own headers and credentials still apply."""
        content = None if body is None else json.dumps(body, allow_nan=False).encode()
        all_headers = dict(headers or {})
        if content is not None:
            all_headers["Content-Type"] = "application/json"
        with self.stream(
            method, url, params=params, content=content, headers=all_headers, idempotent=idempotent
        ) as response:
            raw = response.read()
        if not raw.strip():
            return {}
        try:
            data = json.loads(raw)
        except ValueError:
            raise CairnError(
                f"{method} {redact_url(url)} answered with a body that is not JSON: "
                f"{self._scrub(raw[:_SHOWN_BODY].decode('utf-8', 'replace'))!r}"
            ) from None
        return data if isinstance(data, dict) else {}

    def send(
        self,
        method: str,
        url: str,
        *,
        content: bytes | Path | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParams | None = None,
        idempotent: bool,
    ) -> bytes:
        """Send a request whose body is raw bytes or a local file (streamed from disk, reopened
        for each attempt) and return the response body."""
        with self.stream(
            method, url, params=params, content=content, headers=headers, idempotent=idempotent
        ) as response:
            return response.read()

    def download(self, url: str, destination: Path) -> None:
        """Stream a GET into ``destination`` (written beside it, then renamed into place)."""
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(f".{destination.name}.cairn-part")
        try:
            with self.stream("GET", url, idempotent=True) as response, partial.open("wb") as out:
                for chunk in response.iter_bytes(_DOWNLOAD_CHUNK):
                    out.write(chunk)
            partial.replace(destination)
        finally:
            partial.unlink(missing_ok=True)

    @contextmanager
    def stream(
        self,
        method: str,
        url: str,
        *,
        content: bytes | Path | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParams | None = None,
        idempotent: bool,
    ) -> Iterator[httpx.Response]:
        """Yield a successful response with its body unread; errors are raised typed."""
        response = self._send_with_retries(method, url, content, headers, params, idempotent)
        try:
            yield response
        finally:
            response.close()

    def _send_with_retries(
        self,
        method: str,
        url: str,
        content: bytes | Path | None,
        headers: Mapping[str, str] | None,
        params: QueryParams | None,
        idempotent: bool,
    ) -> httpx.Response:
        import httpx

        client = self._http()
        all_headers = dict(headers or {})
        auth = self.config.authorization()
        if auth and self.auth_origin and origin_of(url) == self.auth_origin:
            all_headers["Authorization"] = auth
        attempt = 0
        while True:
            try:
                response = self._send_once(client, method, url, content, all_headers, params)
            except httpx.TransportError as exc:
                never_sent = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout))
                never_sent = never_sent or isinstance(exc, httpx.PoolTimeout)
                if attempt < self.config.max_retries and (idempotent or never_sent):
                    time.sleep(self._backoff(attempt))
                    attempt += 1
                    continue
                raise self._transport_failure(method, url, exc, attempt + 1) from exc
            if response.is_success:
                return response
            body = response.read()
            response.close()
            if attempt < self.config.max_retries and self._should_retry(
                response.status_code, body, idempotent
            ):
                time.sleep(self._retry_wait(response, attempt))
                attempt += 1
                continue
            raise self._error_from_response(method, url, response.status_code, body)

    @staticmethod
    def _send_once(
        client: httpx.Client,
        method: str,
        url: str,
        content: bytes | Path | None,
        headers: dict[str, str],
        params: QueryParams | None,
    ) -> httpx.Response:
        if isinstance(content, Path):
            with content.open("rb") as stream:  # a fresh stream per attempt
                request = client.build_request(
                    method, url, content=stream, headers=headers, params=_query(params)
                )
                response = client.send(request, stream=True)
                return response
        request = client.build_request(
            method, url, content=content, headers=headers, params=_query(params)
        )
        return client.send(request, stream=True)

    # --- retry policy --------------------------------------------------------------------------
    @staticmethod
    def _should_retry(status: int, body: bytes, idempotent: bool) -> bool:
        if status not in RETRY_STATUSES:
            return False
        if status == 429:
            return True
        if not idempotent:
            return False
        code = _envelope(body)[0]
        return code is None or code in TRANSIENT_CODES

    def _backoff(self, attempt: int) -> float:
        factor = self.config.backoff_factor
        wait = min(self.config.backoff_max, factor * 2.0**attempt)
        return wait + random.uniform(0, factor)  # jitter spreads out clients that failed together

    def _retry_wait(self, response: httpx.Response, attempt: int) -> float:
        asked = _retry_after_seconds(response.headers.get("Retry-After"))
        if asked is None:
            return self._backoff(attempt)
        return min(self.config.backoff_max, asked)

    # --- errors --------------------------------------------------------------------------------
    def _scrub(self, text: str) -> str:
        for secret in self.config.secrets():
            text = text.replace(secret, "***")
        return text

    def _transport_failure(
        self, method: str, url: str, exc: httpx.TransportError, attempts: int
    ) -> CairnError:
        import httpx

        what = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
        detail = self._scrub(str(exc) or type(exc).__name__)
        tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
        return ServiceUnavailable(
            f"{method} {redact_url(url)} {what} after {tries} "
            f"(timeout {self.config.timeout:g} s): {detail}"
        )

    def _error_from_response(self, method: str, url: str, status: int, body: bytes) -> CairnError:
        code, message = _envelope(body)
        if code is not None:
            return error_from_code(code, self._scrub(message))
        shown = body[:_SHOWN_BODY].decode("utf-8", "replace").strip()
        return error_from_code(
            STATUS_CODES.get(status, "INTERNAL_ERROR"),
            self._scrub(
                f"{method} {redact_url(url)} failed with HTTP {status}"
                + (f": {shown!r}" if shown else ".")
            ),
        )


def _query(params: QueryParams | None) -> tuple[tuple[str, str], ...] | None:
    return tuple(params) if params else None


def _envelope(body: bytes) -> tuple[str | None, str]:
    """``(error_code, message)`` of an MLflow error envelope, or ``(None, "")``."""
    try:
        data = json.loads(body)
    except ValueError:
        return None, ""
    if not isinstance(data, dict) or not isinstance(data.get("error_code"), str):
        return None, ""
    return data["error_code"], str(data.get("message", ""))


def _retry_after_seconds(value: str | None) -> float | None:
    """Seconds asked for by a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
