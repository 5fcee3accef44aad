"""The process-wide cache of open stores: one tracking and one registry store per URI and
settings.

Opening a store builds an engine and connection pool (or an HTTP session), so every
:class:`~cairn.tracking.client.CairnClient` for the same URI shares the one opened here, and
:func:`close_stores` is the single place that closes them all. A local registry borrows the
engine of the tracking store on the same URI, so one database gets one pool.
"""

from __future__ import annotations

import threading

from cairn.config import OFFLINE_MODE, Settings
from cairn.store.registry.base import RegistryStore
from cairn.store.tracking.base import TrackingStore
from cairn.store.tracking.registry import is_server_uri, open_tracking_store
from cairn.tracking.delivery import registry

_Key = tuple[str | None, Settings]
_STORES: dict[_Key, TrackingStore] = {}
_REGISTRY_STORES: dict[_Key, RegistryStore] = {}
#: Re-entrant: opening a registry store may open the tracking store of its URI first.
_STORES_LOCK = threading.RLock()


def store_for(tracking_uri: str | None, settings: Settings) -> TrackingStore:
    """The store of ``tracking_uri``, opened on first use and shared afterwards."""
    key = (tracking_uri, settings)
    with _STORES_LOCK:
        if key not in _STORES:
            _STORES[key] = open_tracking_store(tracking_uri, settings)
        return _STORES[key]


def registry_store_for(registry_uri: str | None, settings: Settings) -> RegistryStore:
    """The registry store of ``registry_uri``, opened on first use and shared afterwards."""
    from cairn.store.registry.open import open_registry_store  # registry users only

    key = (registry_uri, settings)
    with _STORES_LOCK:
        if key not in _REGISTRY_STORES:
            local = settings.mode != OFFLINE_MODE and not is_server_uri(registry_uri)
            tracking = store_for(registry_uri, settings) if local else None
            _REGISTRY_STORES[key] = open_registry_store(
                registry_uri, settings, tracking_store=tracking
            )
        return _REGISTRY_STORES[key]


def close_stores() -> None:
    """Close every store this process opened (tests, or a long-lived process switching URIs),
    after delivering what was logged asynchronously to them."""
    registry.close_all()
    with _STORES_LOCK:
        for registry_store in _REGISTRY_STORES.values():
            registry_store.close()  # first: a local one borrows a tracking store's engine
        _REGISTRY_STORES.clear()
        for store in _STORES.values():
            store.close()
        _STORES.clear()
