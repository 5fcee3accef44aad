"""When a process tracks to the offline spool instead of its tracking URI.

Two ways in: ``CAIRN_MODE=offline`` always (a cluster node without network, a flight), and
``CAIRN_OFFLINE_FALLBACK=true`` for an ``http(s)`` tracking URI whose server does not answer a
quick health check when the store is opened (a server that is down must not kill a training
job the user asked to keep running). Either way the intended tracking URI is written into the
spool, so ``cairn sync`` knows where the runs belong.

The decision is taken once per store: the client caches stores per URI and settings, so a
process that fell back stays offline until it restarts, rather than splitting a run between
two stores.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import replace
from typing import TYPE_CHECKING

from cairn.config import OFFLINE_MODE, Settings
from cairn.errors import CairnError
from cairn.offline.spool import Spool

if TYPE_CHECKING:
    from cairn.store.tracking.base import TrackingStore

#: Seconds the health check waits: long enough for a slow link, short enough at start-up.
HEALTH_TIMEOUT = 2.0

_warned: set[str] = set()
_warned_lock = threading.Lock()


def spool_store_for(
    tracking_uri: str | None, settings: Settings, *, server: bool
) -> TrackingStore | None:
    """The spool's store when this process should track offline, else None.

    ``server`` says whether ``tracking_uri`` names a tracking server (only those fall back).
    """
    if settings.mode == OFFLINE_MODE:
        return _open_spool(tracking_uri, settings)
    if not (settings.offline_fallback and server and tracking_uri):
        return None
    problem = server_problem(tracking_uri, settings)
    if problem is None:
        return None
    spool = Spool.from_settings(settings)
    _warn_once(tracking_uri, spool, problem)
    return _open_spool(tracking_uri, settings)


def server_problem(
    tracking_uri: str, settings: Settings, timeout: float = HEALTH_TIMEOUT
) -> str | None:
    """Why the server does not answer ``GET /health`` within ``timeout`` (no retries), or
    None when it answers. A 4xx counts as an answer: something is there, and the real calls
    will report what is wrong with them; a 5xx or no connection does not."""
    # the HTTP stack loads only for a process that may fall back
    from cairn.store.tracking.rest.config import HttpConfig
    from cairn.store.tracking.rest.http import HttpTransport

    config = replace(
        HttpConfig.from_settings(settings),
        timeout=min(timeout, settings.http_timeout),
        max_retries=0,
    )
    transport = HttpTransport(config, auth_origin=tracking_uri)
    try:
        transport.send("GET", tracking_uri.rstrip("/") + "/health", idempotent=True)
    except CairnError as exc:
        return None if exc.http_status < 500 else exc.message
    finally:
        transport.close()
    return None


def _open_spool(tracking_uri: str | None, settings: Settings) -> TrackingStore:
    spool = Spool.from_settings(settings)
    store = spool.open_store(truncate_long_values=settings.truncate_long_values)
    spool.record_target(tracking_uri)
    return store


def _warn_once(tracking_uri: str, spool: Spool, problem: str) -> None:
    from cairn.store.tracking.rest.config import redact_url

    shown = redact_url(tracking_uri)
    with _warned_lock:
        if shown in _warned:
            return
        _warned.add(shown)
    sys.stderr.write(
        f"cairn: the tracking server {shown} is not reachable ({problem}).\n"
        f"cairn: CAIRN_OFFLINE_FALLBACK is on, so this process tracks to the offline spool "
        f"{spool.path}.\n"
        f"cairn: upload the runs when the server is back with: cairn sync --spool {spool.path}\n"
    )
    sys.stderr.flush()
