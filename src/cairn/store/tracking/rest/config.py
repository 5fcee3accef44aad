"""What a transport needs to know: timeouts, retries, TLS and credentials, plus URL helpers
that never show user info (so messages and logs cannot leak a password in a URI)."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from cairn.config import (
    DEFAULT_HTTP_BACKOFF_FACTOR,
    DEFAULT_HTTP_MAX_RETRIES,
    DEFAULT_HTTP_TIMEOUT,
    Settings,
)


@dataclass(frozen=True)
class HttpConfig:
    """Timeouts, retries, TLS and credentials of one transport (secrets stay out of repr)."""

    timeout: float = DEFAULT_HTTP_TIMEOUT
    max_retries: int = DEFAULT_HTTP_MAX_RETRIES
    backoff_factor: float = DEFAULT_HTTP_BACKOFF_FACTOR
    #: Longest single wait, computed or asked for by ``Retry-After``.
    backoff_max: float = 60.0
    insecure_tls: bool = False
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> HttpConfig:
        return cls(
            timeout=settings.http_timeout,
            max_retries=settings.http_max_retries,
            backoff_factor=settings.http_backoff_factor,
            insecure_tls=settings.insecure_tls,
            username=settings.username,
            password=settings.password,
            token=settings.tracking_token,
        )

    def authorization(self) -> str | None:
        """The Authorization header value: Basic wins over Bearer, as in MLflow's client."""
        if self.username and self.password:
            pair = f"{self.username}:{self.password}".encode()
            return "Basic " + base64.b64encode(pair).decode("ascii")
        if self.token:
            return f"Bearer {self.token}"
        return None

    def secrets(self) -> list[str]:
        """Every string that must never appear in a message (longest first)."""
        values = [self.password, self.token, self.authorization()]
        if self.username and self.password:
            values.append(base64.b64encode(f"{self.username}:{self.password}".encode()).decode())
        return sorted({v for v in values if v}, key=len, reverse=True)


_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL, without any user info (safe to show); a default
    port is left out, so ``http://h`` and ``http://h:80`` are the same origin."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    shown_port = f":{port}" if port and port != _DEFAULT_PORTS.get(scheme) else ""
    return f"{scheme}://{host}{shown_port}"


def redact_url(url: str) -> str:
    """A URL without user info, query or fragment, for messages."""
    parts = urlsplit(url)
    return origin_of(url) + parts.path
