"""Workloads 6-8 of ``ingest.py``: cairn's own API and client, with mlflow's fluent counterpart.

6. the native series endpoints (one ``log-series`` request, columnar, object and sampled reads);
7. ``cairn.log_metrics`` through the asynchronous fluent logger until ``cairn.flush()``;
8. the client-side cost of one fluent ``log_metric`` call: cairn against the server and an
   embedded SQLite directory, ``mlflow.log_metric`` in its async and synchronous modes.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import math
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from _common import console, percentile
from _ingest_http import (
    BASE_TS,
    KEYS,
    bench_client_log_metric,
    check_history,
    get,
    median_time,
    new_run,
    post,
)
from _report import OWN, READS, LostData, Results, cairn_at_least, cairn_below

CAIRN_API = "/api/2.0/cairn"
SYNC_LOOP = "fluent log_metric, synchronous -> server: median/call"


def check_series(run_id: str, key: str, found: Any, steps: Any, values: Any) -> str:
    """Raise LostData unless ``found`` (a MetricSeries) holds exactly these points."""
    import numpy as np

    got_steps = np.asarray(found.steps)
    order = np.argsort(got_steps, kind="stable")
    got_values = np.asarray(found.values)[order]
    if len(got_steps) != len(steps) or not (
        np.array_equal(got_steps[order], steps) and np.array_equal(got_values, values)
    ):
        raise LostData(
            f"run {run_id} key {key}: {len(got_steps):,} points, expected {len(steps):,}; "
            f"value checksum {math.fsum(got_values):.6g} vs {math.fsum(values):.6g}"
        )
    return f"{math.fsum(got_values):.6g}"


def timed_loop(n: int, call: Callable[[int], Any], batch: int) -> tuple[list[float], float]:
    """(µs per call of each batch of ``batch`` calls, total seconds)."""
    clock = time.perf_counter_ns
    samples: list[float] = []
    begin = clock()
    for start in range(0, n, batch):
        end = min(n, start + batch)
        t0 = clock()
        for i in range(start, end):
            call(i)
        samples.append((clock() - t0) / (end - start) / 1000)
    return samples, (clock() - begin) / 1e9


def bench_cairn_log_metric(http: httpx.Client, url: str, calls: int) -> float:
    import cairn

    client = cairn.CairnClient(url)
    return bench_client_log_metric(http, url, client, "cairn-log-metric", calls)


# --------------------------------------------------------------------------- 6-8: workloads


def bench_series(http: httpx.Client, url: str, points: int, results: Results) -> None:
    """Workload 6: ``points`` points in one log-series request, then read back three ways."""
    import numpy as np

    from cairn.entities import MetricSeries
    from cairn.store.tracking.series import to_base64

    run_id = new_run(url, "series")
    steps = np.arange(points, dtype=np.int64)
    values = np.sin(steps / 1000.0)
    series = MetricSeries("m", steps, BASE_TS + steps, values)
    body = json.dumps({"run_id": run_id, "series": [to_base64(series)]}).encode()
    n = f"{points / 1e6:g}M" if points >= 1_000_000 else f"{points:,}"

    def ingest() -> float:
        started = time.perf_counter()
        post(http, f"{CAIRN_API}/runs/log-series", body)
        return points / (time.perf_counter() - started)

    label = f"log-series: {n} points in 1 request"
    if results.record_cairn(READS, label, "points/s", True, ingest) is not None:
        bench_series_reads(http, url, run_id, (n, steps, values), results)


def bench_series_reads(
    http: httpx.Client, url: str, run_id: str, logged: tuple[str, Any, Any], results: Results
) -> None:
    """The three reads of workload 6; ``logged`` is (size label, steps, values)."""
    import cairn

    n, steps, values = logged
    client = cairn.CairnClient(url)

    def columnar() -> float:
        seconds, found = median_time(lambda: client.store.get_metric_series(run_id, "m"), 3)
        console.print(f"    checksum {check_series(run_id, 'm', found, steps, values)}")
        return seconds

    def objects() -> float:
        seconds, found = median_time(lambda: client.get_metric_history(run_id, "m"), 1)
        if len(found) != len(steps):
            raise LostData(f"get_metric_history returned {len(found):,} of {len(steps):,} points")
        return seconds

    def sampled() -> float:
        params = {"run_id": run_id, "metric_key": "m", "buckets": 1000}
        path = f"{CAIRN_API}/metrics/sampled"
        seconds, reply = median_time(lambda: get(http, path, params), 5)
        count = int(reply["series"].get("count", 0))
        if not 0 < count <= 2000:
            raise RuntimeError(f"sampled reply holds {count} points for 1000 buckets")
        return seconds * 1000

    label = f"get_metric_series, {n} points (columnar, median of 3)"
    results.record_cairn(READS, label, "s", False, columnar, target=cairn_below(2, "s"))
    label = f"CairnClient.get_metric_history, {n} (Metric objects)"
    results.record_cairn(READS, label, "s", False, objects)
    label = f"sampled, 1000 buckets of {n} (raw HTTP, median of 5)"
    results.record_cairn(READS, label, "ms", False, sampled, target=cairn_below(100, "ms"))


def bench_fluent_ingest(url: str, steps: int) -> float | str:
    import numpy as np

    import cairn

    if not hasattr(cairn, "flush"):
        return "not available"  # asynchronous fluent logging not in this cairn yet
    cairn.set_tracking_uri(url)
    keys = list(KEYS)
    with cairn.start_run(run_name="fluent-ingest") as run:
        run_id = run.info.run_id
        started = time.perf_counter()
        for i in range(steps):
            v = i * 0.25
            cairn.log_metrics({k: v + j for j, k in enumerate(keys)}, step=i)
        cairn.flush()
        rate = steps * len(keys) / (time.perf_counter() - started)
    client = cairn.CairnClient(url)
    expected_steps = np.arange(steps, dtype=np.int64)
    for j, key in enumerate(keys):
        found = client.store.get_metric_series(run_id, key)
        check_series(run_id, key, found, expected_steps, expected_steps * 0.25 + j)
    return rate


def bench_cairn_loop(uri: str, calls: int, synchronous: bool = False) -> tuple:
    """(median µs/call, p99 µs/call, calls/s including the flush) of cairn.log_metric."""
    import numpy as np

    import cairn

    if not hasattr(cairn, "flush"):
        return "not available", "not available", "not available"
    cairn.set_tracking_uri(uri)
    log_metric = cairn.log_metric
    batch = 1 if synchronous else 100  # a synchronous call is a request: ms, time each
    with cairn.start_run(run_name="tight-loop") as run:
        samples, seconds = timed_loop(
            calls, lambda i: log_metric("m", i * 0.5, step=i, synchronous=synchronous), batch
        )
        started = time.perf_counter()
        cairn.flush()
        seconds += time.perf_counter() - started
    found = cairn.CairnClient(uri).store.get_metric_series(run.info.run_id, "m")
    expected = np.arange(calls, dtype=np.int64)
    check_series(run.info.run_id, "m", found, expected, expected * 0.5)
    return statistics.median(samples), percentile(samples, 99), calls / seconds


def bench_mlflow_loop(http: httpx.Client, url: str, calls: int, asynchronous: bool) -> tuple:
    """(median µs/call, p99 µs/call, calls/s including the flush) of mlflow.log_metric."""
    import mlflow

    os.environ["MLFLOW_ENABLE_ASYNC_LOGGING"] = "true" if asynchronous else "false"
    try:
        mlflow.set_tracking_uri(url)
        log_metric = mlflow.log_metric
        batch = 100 if asynchronous else 1  # a synchronous call is a request: ms, time each
        # end_run prints a "View run" link
        with contextlib.redirect_stdout(io.StringIO()), mlflow.start_run(run_name="loop") as run:
            samples, seconds = timed_loop(calls, lambda i: log_metric("k0", i * 0.5, step=i), batch)
            started = time.perf_counter()
            mlflow.flush_async_logging()
            seconds += time.perf_counter() - started
    finally:
        os.environ.pop("MLFLOW_ENABLE_ASYNC_LOGGING", None)
    check_history(http, run.info.run_id, 1, calls)
    return statistics.median(samples), percentile(samples, 99), calls / seconds


# --------------------------------------------------------------------------- rows


def run_cairn_own(http: httpx.Client, url: str, args: argparse.Namespace, results: Results) -> None:
    """Workloads 3 (cairn's client row), 6, 7 and 8 against the cairn server."""
    label = "CairnClient.log_metric (synchronous), 1 request each"
    single = functools.partial(bench_cairn_log_metric, http, url, args.sync_calls)
    why, target = "no (see MlflowClient)", cairn_at_least(400, "/s")
    results.record_cairn(OWN, label, "calls/s", True, single, why, target=target)
    bench_series(http, url, args.series_points, results)
    label = f"cairn.log_metrics, 10 keys x {args.fluent_steps:,} steps, until flush"
    fluent = functools.partial(bench_fluent_ingest, url, args.fluent_steps)
    target = cairn_at_least(300_000, "/s")
    results.record_cairn(OWN, label, "points/s", True, fluent, target=target)
    loop_rows(results, "cairn", "server", lambda: bench_cairn_loop(url, args.loop_calls))
    calls = args.mlflow_sync_calls
    results.record(
        "cairn", OWN, SYNC_LOOP, "µs", False, lambda: bench_cairn_loop(url, calls, True)[0]
    )


def run_embedded(args: argparse.Namespace, base: Path, results: Results) -> None:
    """Workload 8 against an embedded SQLite directory (no server)."""
    directory = tempfile.mkdtemp(prefix="embedded-", dir=base)
    loop = functools.partial(bench_cairn_loop, directory, args.loop_calls)
    loop_rows(results, "cairn", "embedded SQLite dir", loop)


def run_mlflow_fluent(
    http: httpx.Client, url: str, args: argparse.Namespace, results: Results
) -> None:
    """mlflow's counterpart of workload 8: ``mlflow.log_metric``, async then synchronous."""
    calls = args.mlflow_async_calls
    loop_rows(results, "mlflow", "server", lambda: bench_mlflow_loop(http, url, calls, True))
    calls = args.mlflow_sync_calls
    sync = functools.partial(bench_mlflow_loop, http, url, calls, False)
    results.record("mlflow", OWN, SYNC_LOOP, "µs", False, lambda: sync()[0])


def loop_rows(results: Results, server: str, where: str, fn: Callable[[], tuple]) -> None:
    """Three rows (median, p99, loop rate) from one tight-loop measurement."""
    figures: dict[str, float] = {}

    def measure() -> float:
        figures["median"], figures["p99"], figures["rate"] = fn()
        return figures["median"]

    label = f"fluent log_metric, async -> {where}:"
    record: Callable[..., float | None] = functools.partial(results.record, server)
    if where != "server":  # nothing of mlflow's to compare with: cairn-only rows
        record = results.record_cairn
    target = cairn_below(20, "µs")
    if record(OWN, f"{label} median/call", "µs", False, measure, target=target) is None:
        return
    record(OWN, f"{label} p99/call", "µs", False, lambda: figures["p99"])
    record(OWN, f"{label} loop incl. flush", "calls/s", True, lambda: figures["rate"])
