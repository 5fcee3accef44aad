"""Pick the registry store for a registry URI, the same way the tracking store is picked.

- ``http(s)://``: a tracking server's registry API, through the REST registry store;
- anything else a tracking URI can be (nothing, a directory, ``file:``, ``sqlite:``,
  ``postgresql:``, ``mysql:``): the SQL registry store on the database that URI resolves to,
  because the registry lives in the tracking database (as MLflow's does by default).

When the tracking store of the same URI is already open, the registry borrows its engine, so a
process holds one connection pool per database (and SQLite sees a single writer pool).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cairn.config import OFFLINE_MODE, Settings
from cairn.errors import InvalidParameterValue, NotImplementedByStore
from cairn.store.registry.base import RegistryStore
from cairn.store.tracking.registry import is_server_uri, resolve_store_uris

if TYPE_CHECKING:
    from cairn.store.tracking.base import TrackingStore

OFFLINE_MESSAGE = (
    "The model registry is not available in offline mode (CAIRN_MODE=offline): runs go to the "
    "local spool, which has no registry. The registry needs a tracking server or a local "
    "store: upload the spool with `cairn sync`, then register against that store (unset "
    "CAIRN_MODE)."
)


def open_registry_store(
    registry_uri: str | None,
    settings: Settings,
    *,
    tracking_store: TrackingStore | None = None,
) -> RegistryStore:
    """Open the registry of ``registry_uri``; ``tracking_store`` is the open tracking store of
    the same URI, whose engine is shared when it is a SQL store."""
    if settings.mode == OFFLINE_MODE:
        raise NotImplementedByStore(OFFLINE_MESSAGE)
    if registry_uri and is_server_uri(registry_uri):
        from cairn.store.registry.rest import RestRegistryStore
        from cairn.store.tracking.rest import HttpConfig

        return RestRegistryStore(registry_uri, HttpConfig.from_settings(settings))

    from cairn.store.registry.sql.store import SqlRegistryStore
    from cairn.store.tracking.sql.store import SqlTrackingStore

    if isinstance(tracking_store, SqlTrackingStore):
        return SqlRegistryStore(tracking_store.engine, owns_engine=False)
    try:
        db_uri, _ = resolve_store_uris(registry_uri, settings)
    except InvalidParameterValue as exc:
        raise InvalidParameterValue(f"Invalid registry URI: {exc.message}") from None
    return SqlRegistryStore.open(db_uri)
