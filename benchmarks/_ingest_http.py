"""Workloads 1-5 of ``ingest.py``: the MLflow REST API from raw HTTP and from ``MlflowClient``.

Also the wire helpers the other workloads share: posting prepared JSON bodies, reading a
metric back through ``get-history`` and checking that every point arrived (``check_history``).
The same calls run against both servers; only the sizes differ (``--batch-points-*``,
``--runs-*``), because mlflow is too slow for cairn's sizes.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import multiprocessing as mp
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import httpx
from _common import console
from _report import INGEST, READS, LostData, Results, cairn_at_least
from _servers import CLIENT_ENV

BASE_TS = 1_700_000_000_000
KEYS = [f"k{j}" for j in range(10)]
JSON_HEADERS = {"Content-Type": "application/json"}
MLFLOW_API = "/api/2.0/mlflow"


def value_of(i: int) -> float:
    return (i * 7919) % 1000 / 1000


def batch_bodies(run_id: str, points: int, keys: int) -> list[bytes]:
    """log-batch request bodies of 1000 metrics each, point i on key k(i % keys)."""
    bodies = []
    for start in range(0, points, 1000):
        metrics = [
            {
                "key": f"k{i % keys}",
                "value": value_of(i),
                "timestamp": BASE_TS + i,
                "step": i // keys,
            }
            for i in range(start, min(points, start + 1000))
        ]
        bodies.append(json.dumps({"run_id": run_id, "metrics": metrics}).encode())
    return bodies


def post(http: httpx.Client, path: str, body: bytes | dict[str, Any]) -> dict[str, Any]:
    if isinstance(body, dict):
        body = json.dumps(body).encode()
    response = http.post(path, content=body, headers=JSON_HEADERS)
    if response.status_code != 200:
        raise RuntimeError(f"POST {path}: HTTP {response.status_code}: {response.text[:300]}")
    return dict(response.json())


def get(http: httpx.Client, path: str, params: dict[str, Any]) -> dict[str, Any]:
    response = http.get(path, params=params)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: HTTP {response.status_code}: {response.text[:300]}")
    return dict(response.json())


def get_history(http: httpx.Client, run_id: str, key: str) -> list[dict[str, Any]]:
    """Every point of a metric through get-history, following next_page_token if any."""
    points: list[dict[str, Any]] = []
    params: dict[str, Any] = {"run_id": run_id, "metric_key": key}
    while True:
        reply = get(http, f"{MLFLOW_API}/metrics/get-history", params)
        points.extend(reply.get("metrics", []))
        if not reply.get("next_page_token"):
            return points
        params["page_token"] = reply["next_page_token"]


def check_history(http: httpx.Client, run_id: str, keys: int, points: int) -> None:
    """Raise LostData unless every key holds steps 0..n-1 once (n = points / keys)."""
    per_key = points // keys
    for j in range(keys):
        steps = sorted(int(p.get("step", 0)) for p in get_history(http, run_id, f"k{j}"))
        if steps != list(range(per_key)):
            missing = len(set(range(per_key)) - set(steps))
            raise LostData(
                f"run {run_id} key k{j}: {len(steps):,} points, expected {per_key:,} "
                f"({missing:,} steps missing)"
            )


def new_run(server_url: str, name: str) -> str:
    from mlflow import MlflowClient

    client = MlflowClient(server_url)
    exp = client.get_experiment_by_name("ingest")
    exp_id = exp.experiment_id if exp else client.create_experiment("ingest")
    return str(client.create_run(exp_id, run_name=name).info.run_id)


def median_time(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


# --------------------------------------------------------------------------- 1-5: mlflow API


def bench_log_batch(http: httpx.Client, url: str, points: int) -> float:
    run_id = new_run(url, "log-batch")
    bodies = batch_bodies(run_id, points, len(KEYS))
    started = time.perf_counter()
    for body in bodies:
        post(http, f"{MLFLOW_API}/runs/log-batch", body)
    rate = points / (time.perf_counter() - started)
    check_history(http, run_id, len(KEYS), points)
    return rate


def _client_process(
    url: str, run_id: str, points: int, barrier: Any, queue: Any
) -> None:  # pragma: no cover - runs in a child process
    try:
        os.environ.update(CLIENT_ENV)
        from mlflow import MlflowClient
        from mlflow.entities import Metric

        client = MlflowClient(url)
        batches = [
            [
                Metric(f"k{i % 10}", value_of(i), BASE_TS + i, i // 10)
                for i in range(start, min(points, start + 1000))
            ]
            for start in range(0, points, 1000)
        ]
        barrier.wait()
        started = time.time()
        for batch in batches:
            client.log_batch(run_id, metrics=batch)
        queue.put((started, time.time(), None))
    except BaseException as exc:
        barrier.abort()
        queue.put((0.0, 0.0, f"{type(exc).__name__}: {exc}"))


def bench_parallel_clients(http: httpx.Client, url: str, clients: int, points: int) -> float:
    ctx = mp.get_context("spawn")
    run_ids = [new_run(url, f"client-{k}") for k in range(clients)]
    barrier, queue = ctx.Barrier(clients + 1), ctx.Queue()
    procs = [
        ctx.Process(target=_client_process, args=(url, run_id, points, barrier, queue))
        for run_id in run_ids
    ]
    for proc in procs:
        proc.start()
    try:
        barrier.wait(timeout=300)  # every child has imported mlflow and built its batches
        spans = [queue.get(timeout=600) for _ in procs]
    finally:
        for proc in procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.kill()
    failed = [err for _, _, err in spans if err]
    if failed:
        raise RuntimeError(f"{len(failed)} client(s) failed: {failed[0]}")
    rate = clients * points / (max(s[1] for s in spans) - min(s[0] for s in spans))
    for run_id in run_ids:
        check_history(http, run_id, len(KEYS), points)
    return rate


def bench_mlflow_log_metric(http: httpx.Client, url: str, calls: int) -> float:
    from mlflow import MlflowClient

    return bench_client_log_metric(http, url, MlflowClient(url), "log-metric", calls)


def bench_client_log_metric(
    http: httpx.Client, url: str, client: Any, run_name: str, calls: int
) -> float:
    """Calls/s of ``client.log_metric`` (mlflow's or cairn's), one request per point."""
    run_id = new_run(url, run_name)
    started = time.perf_counter()
    for i in range(calls):
        client.log_metric(run_id, "k0", value_of(i), timestamp=BASE_TS + i, step=i)
    rate = calls / (time.perf_counter() - started)
    check_history(http, run_id, 1, calls)
    return rate


def bench_raw_log_metric(http: httpx.Client, url: str, calls: int) -> float:
    run_id = new_run(url, "raw-log-metric")
    bodies = [
        json.dumps(
            {
                "run_id": run_id,
                "key": "k0",
                "value": value_of(i),
                "timestamp": BASE_TS + i,
                "step": i,
            }
        ).encode()
        for i in range(calls)
    ]
    started = time.perf_counter()
    for body in bodies:
        post(http, f"{MLFLOW_API}/runs/log-metric", body)
    rate = calls / (time.perf_counter() - started)
    check_history(http, run_id, 1, calls)
    return rate


def bench_create_runs(url: str, runs: int) -> float:
    from mlflow import MlflowClient
    from mlflow.entities import Metric, Param, RunTag

    client = MlflowClient(url)
    exp_id = client.create_experiment(f"runs-{time.time_ns()}")
    tags = [RunTag("team", "team-0"), RunTag("model", "resnet"), RunTag("note", "bench")]
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):  # set_terminated prints "View run" links
        for i in range(runs):
            run_id = client.create_run(exp_id, run_name=f"run-{i:05d}").info.run_id
            client.log_batch(
                run_id,
                metrics=[Metric(f"m{j}", value_of(i + j), BASE_TS + i, 0) for j in range(5)],
                params=[Param(f"p{j}", f"v{(i + j) % 10}") for j in range(5)],
                tags=tags,
            )
            client.set_terminated(run_id)
    rate = runs / (time.perf_counter() - started)
    found = client.search_runs([exp_id], max_results=max(1000, runs))
    finished = [r for r in found if r.info.status == "FINISHED" and len(r.data.metrics) == 5]
    if len(finished) != runs:
        raise LostData(f"{len(finished)} complete finished runs of {runs} created")
    return rate


def bench_get_history(http: httpx.Client, url: str, points: int) -> float:
    run_id = new_run(url, "history")
    for body in batch_bodies(run_id, points, 1):  # logged untimed, the same bodies for both
        post(http, f"{MLFLOW_API}/runs/log-batch", body)
    seconds, found = median_time(lambda: get_history(http, run_id, "k0"), 3)
    if len(found) != points:
        raise LostData(f"get-history returned {len(found):,} points, expected {points:,}")
    return seconds


# --------------------------------------------------------------------------- rows


def run_mlflow_api(
    name: str, http: httpx.Client, url: str, args: argparse.Namespace, results: Results
) -> None:
    """Workloads 1-5 against one server, each measured into its row."""
    points = args.batch_points_cairn if name == "cairn" else args.batch_points_mlflow
    label = "log-batch, 1000 metrics/request (raw HTTP)"
    batch = functools.partial(bench_log_batch, http, url, points)
    results.record(name, INGEST, label, "points/s", True, batch, ratio_target=50)
    console.print(f"    ({points:,} points)")
    label = f"{args.clients} mlflow client processes, log_batch (aggregate)"
    clients, each = args.clients, args.client_points
    parallel = functools.partial(bench_parallel_clients, http, url, clients, each)
    target = cairn_at_least(14_000, "/s")
    results.record(name, INGEST, label, "points/s", True, parallel, target=target)
    label = "MlflowClient.log_metric, 1 request each"
    single = functools.partial(bench_mlflow_log_metric, http, url, args.sync_calls)
    results.record(name, INGEST, label, "calls/s", True, single, ratio_target=10)
    label = "log-metric, 1 request each (raw HTTP)"
    raw = functools.partial(bench_raw_log_metric, http, url, args.sync_calls)
    results.record(name, INGEST, label, "calls/s", True, raw)
    runs = args.runs_cairn if name == "cairn" else args.runs_mlflow
    label = "runs: create_run + log_batch(5 params, 5 metrics, 3 tags) + end"
    create = functools.partial(bench_create_runs, url, runs)
    results.record(name, INGEST, label, "runs/s", True, create, ratio_target=10)
    console.print(f"    ({runs} runs)")
    label = f"get-history, {args.history_points:,} points (raw HTTP, median of 3)"
    history = functools.partial(bench_get_history, http, url, args.history_points)
    results.record(name, READS, label, "s", False, history, ratio_target=20)
