"""The REST store against a live cairn server: one store, many threads, one connection pool."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from cairn.entities import Metric
from cairn.store.tracking.rest import RestTrackingStore
from cairn.store.tracking.rest.http import origin_of
from live_server import LiveServer


@pytest.mark.parametrize("backend_uri", ["sqlite"], indirect=True)
def test_one_store_is_safe_to_share_between_threads(live_server: LiveServer) -> None:
    store = RestTrackingStore(live_server.url)
    try:
        run_id = store.create_run("0").info.run_id

        def log(worker: int) -> None:
            for step in range(20):
                store.log_metric(run_id, Metric("m", float(step), worker * 100 + step, step))

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(log, range(8)))
        assert len(store.get_metric_history(run_id, "m")) == 160
    finally:
        store.close()


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("http://user:pw@Host.example:80/x", "http://host.example"),
        ("https://h:443", "https://h"),
        ("https://h:8443/p?q=1", "https://h:8443"),
        ("http://[::1]:5000/", "http://[::1]:5000"),
    ],
)
def test_origins_ignore_user_info_paths_and_default_ports(url: str, origin: str) -> None:
    assert origin_of(url) == origin
