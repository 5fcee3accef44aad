"""The REST API's address book: base URL checks, endpoint URLs, and the JSON call helpers
every resource module of the REST store uses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from cairn.errors import InvalidParameterValue
from cairn.store.tracking.rest import _bodies as b
from cairn.store.tracking.rest.http import HttpTransport, JsonDict

API_PREFIX = "/api/2.0/mlflow"
#: MLflow serves a few UI endpoints (e.g. search-datasets) only under this prefix.
AJAX_PREFIX = "/ajax-api/2.0/mlflow"
#: cairn's own endpoints (columnar metrics, run import); an MLflow server answers 404 there.
CAIRN_PREFIX = "/api/2.0/cairn"


def check_tracking_uri(tracking_uri: str) -> str:
    """The base URL of a tracking server (no trailing slash); http(s) only."""
    parts = urlsplit(tracking_uri)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidParameterValue(
            f"A REST tracking URI must look like http(s)://host[:port][/prefix]; got a "
            f"{parts.scheme or 'schemeless'!r} URI."
        )
    if parts.query or parts.fragment:
        raise InvalidParameterValue("A tracking URI must not carry a query or fragment.")
    return tracking_uri.rstrip("/")


@dataclass(frozen=True)
class RestApi:
    """``<tracking_uri>/api/2.0/mlflow/<endpoint>`` calls through one transport."""

    tracking_uri: str
    transport: HttpTransport

    def url(self, endpoint: str, prefix: str = API_PREFIX) -> str:
        return f"{self.tracking_uri}{prefix}/{endpoint}"

    def get(
        self,
        endpoint: str,
        fields: JsonDict,
        prefix: str = API_PREFIX,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> JsonDict:
        """A GET whose fields travel in the query string (reads are always retryable)."""
        return self.transport.request_json(
            "GET",
            self.url(endpoint, prefix),
            params=b.query(fields),
            headers=headers,
            idempotent=True,
        )

    def call(
        self,
        method: str,
        endpoint: str,
        body: JsonDict | None,
        *,
        idempotent: bool,
        prefix: str = API_PREFIX,
        headers: Mapping[str, str] | None = None,
    ) -> JsonDict:
        """A call with a JSON body (unset fields left out), as MLflow's client sends it;
        ``headers`` are extra headers for this call only."""
        return self.transport.request_json(
            method,
            self.url(endpoint, prefix),
            body=None if body is None else b.compact(body),
            headers=headers,
            idempotent=idempotent,
        )

    def post(
        self,
        endpoint: str,
        body: JsonDict,
        *,
        idempotent: bool,
        prefix: str = API_PREFIX,
        headers: Mapping[str, str] | None = None,
    ) -> JsonDict:
        return self.call(
            "POST", endpoint, body, idempotent=idempotent, prefix=prefix, headers=headers
        )
