"""The process-wide cache of open tracking stores: one per tracking URI and settings.

Opening a store builds an engine and connection pool (or an HTTP session), so every
:class:`~cairn.tracking.client.CairnClient` for the same URI shares the one opened here, and
:func:`close_stores` is the single place that closes them all.
"""

from __future__ import annotations

import threading

from cairn.config import Settings
from cairn.store.tracking.base import TrackingStore
from cairn.store.tracking.registry import open_tracking_store
from cairn.tracking.delivery import registry

_STORES: dict[tuple[str | None, Settings], TrackingStore] = {}
_STORES_LOCK = threading.Lock()


def store_for(tracking_uri: str | None, settings: Settings) -> TrackingStore:
    """The store of ``tracking_uri``, opened on first use and shared afterwards."""
    key = (tracking_uri, settings)
    with _STORES_LOCK:
        if key not in _STORES:
            _STORES[key] = open_tracking_store(tracking_uri, settings)
        return _STORES[key]


def close_stores() -> None:
    """Close every store this process opened (tests, or a long-lived process switching URIs),
    after delivering what was logged asynchronously to them."""
    registry.close_all()
    with _STORES_LOCK:
        for store in _STORES.values():
            store.close()
        _STORES.clear()
