"""The tracking store of a remote server (``http://`` / ``https://`` tracking URIs).

``http`` holds the transport (connection pool, retries, auth) that the HTTP artifact repository
shares; ``store`` maps each ``TrackingStore`` method onto MLflow's REST API. Light to import:
``httpx`` loads with the first request.
"""

from cairn.store.tracking.rest.http import HttpConfig, HttpTransport
from cairn.store.tracking.rest.store import RestTrackingStore

__all__ = ["HttpConfig", "HttpTransport", "RestTrackingStore"]
