"""Pick the tracking store for a URI: a tiny scheme registry, as the house style asks.

- nothing configured: the embedded default, ``./cairn-data/`` (SQLite + artifact folder);
- a directory path or ``file:`` URI: the same layout inside that directory;
- ``sqlite:``, ``postgresql:``, ``mysql:`` (and ``+driver`` forms): the SQL store, with
  artifacts under the configured artifact root (default ``./cairn-data/artifacts``);
- ``http:`` / ``https:``: a tracking server, through the REST store (timeouts, retries and
  credentials come from the settings).

``CAIRN_MODE=offline`` (or ``CAIRN_OFFLINE_FALLBACK`` with a server that does not answer)
swaps any of these for the offline spool: see ``cairn.offline.mode``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from cairn.config import DEFAULT_ARTIFACT_DIR, DEFAULT_DB_NAME, Settings, default_data_dir
from cairn.errors import InvalidParameterValue
from cairn.offline.mode import spool_store_for
from cairn.store.artifacts import local_path_to_uri, uri_to_local_path
from cairn.store.db.uris import is_sql_uri
from cairn.store.tracking.base import TrackingStore


def _data_dir_uris(data_dir: Path) -> tuple[str, str]:
    data_dir = data_dir.expanduser().resolve()
    db_uri = f"sqlite:///{data_dir / DEFAULT_DB_NAME}"
    return db_uri, local_path_to_uri(data_dir / DEFAULT_ARTIFACT_DIR)


def resolve_store_uris(tracking_uri: str | None, settings: Settings) -> tuple[str, str]:
    """Return (database URI, default artifact root URI) for a tracking URI of a local store
    (server URIs have neither: see ``open_tracking_store``)."""
    if not tracking_uri:
        db_uri, artifacts = _data_dir_uris(default_data_dir())
    elif is_sql_uri(tracking_uri):
        db_uri = tracking_uri
        artifacts = local_path_to_uri(default_data_dir() / DEFAULT_ARTIFACT_DIR)
    elif tracking_uri.startswith("file:") or "://" not in tracking_uri:
        local = (
            uri_to_local_path(tracking_uri)
            if tracking_uri.startswith("file:")
            else Path(tracking_uri)
        )
        db_uri, artifacts = _data_dir_uris(local)
    else:
        scheme = tracking_uri.split(":", 1)[0]
        raise InvalidParameterValue(
            f"Unsupported tracking URI scheme '{scheme[:50]}'. Use a directory path, "
            "sqlite:///file.db, postgresql://..., mysql://... or http(s)://server:port"
        )
    if settings.artifact_root:
        artifacts = settings.artifact_root
        if "://" not in artifacts:
            artifacts = local_path_to_uri(Path(artifacts).expanduser().resolve())
    return db_uri, artifacts


def is_server_uri(tracking_uri: str | None) -> bool:
    return bool(tracking_uri) and urlsplit(tracking_uri or "").scheme.lower() in ("http", "https")


def open_tracking_store(tracking_uri: str | None, settings: Settings) -> TrackingStore:
    spool = spool_store_for(tracking_uri, settings, server=is_server_uri(tracking_uri))
    if spool is not None:  # offline mode, or the server is down and fallback is on
        return spool
    if tracking_uri and is_server_uri(tracking_uri):
        from cairn.store.tracking.rest import HttpConfig, RestTrackingStore

        return RestTrackingStore(tracking_uri, HttpConfig.from_settings(settings))

    from cairn.store.tracking.sql.store import SqlTrackingStore

    db_uri, artifact_root = resolve_store_uris(tracking_uri, settings)
    return SqlTrackingStore.open(
        db_uri, artifact_root, truncate_long_values=settings.truncate_long_values
    )
