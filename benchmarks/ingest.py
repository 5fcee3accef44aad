"""Metric ingest and history reads: ``mlflow server`` vs ``cairn server``, plus cairn's own client.

Both servers run on SQLite in a fresh temporary directory, one after the other (mlflow first),
each a subprocess on a free loopback port (see ``_servers.py``: clean environment, telemetry
off, mlflow's GenAI job runner off). Measured (sizes are flags; ``--quick`` for a smoke run):

1. ``POST /api/2.0/mlflow/runs/log-batch`` from raw HTTP: bodies of 1000 metrics over 10 keys,
   JSON bytes built before timing, posted one after the other over one keep-alive
   ``httpx.Client``; points/s (the server's share of ingest).
2. 8 processes, each an ``MlflowClient.log_batch`` loop (1000 metrics per call) into its own
   run; aggregate points/s from the first start to the last finish.
3. ``MlflowClient.log_metric``, one call per point; and on cairn ``CairnClient.log_metric``
   (synchronous by default).
4. Run creation with the mlflow client: ``create_run`` + ``log_batch`` (5 params, 5 metrics,
   3 tags) + ``set_terminated``, sequential.
5. ``GET /api/2.0/mlflow/metrics/get-history`` of a 100k-point metric from raw HTTP (pages
   followed when a server pages), median of 3.
6. cairn only: 1M points in one ``POST /api/2.0/cairn/runs/log-series``, read back with
   ``CairnClient.store.get_metric_series`` (columnar) and ``CairnClient.get_metric_history``
   (``Metric`` objects), and ``GET /api/2.0/cairn/metrics/sampled`` (1000 buckets, median of 5).
7. cairn only: ``cairn.log_metrics`` (10 keys per step) against the server, points/s from the
   first call until ``cairn.flush()`` returns.
8. Client-side cost of one fluent ``log_metric`` call in an active run (per-call figures are
   averages over batches of 100 calls, timed with ``perf_counter_ns``; median and p99 of those):
   cairn against an embedded SQLite directory and against the server; mlflow's
   ``mlflow.log_metric`` against its server with ``MLFLOW_ENABLE_ASYNC_LOGGING=true`` and, on
   fewer calls timed one by one, synchronously.
9. Start-up (``Popen`` until ``GET /health`` answers 200, median of cold starts on fresh
   directories; the last one serves the workloads) and ``import`` time (fresh interpreter with
   ``-c "import X"`` minus ``-c "pass"``, median).

It prints figures and asserts nothing but data integrity: every workload that logs reads its
points back, and a lost or extra point is reported loudly and makes the script exit 1 (2 when
a workload failed with an error). The speed-up column reads "> 1 = cairn faster". Examples::

    .venv/bin/python benchmarks/ingest.py
    .venv/bin/python benchmarks/ingest.py --quick
    .venv/bin/python benchmarks/ingest.py --only cairn --batch-points-cairn 500000
"""

from __future__ import annotations

import argparse
import functools
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from _common import console, fmt_duration, machine_line
from _ingest_cairn import run_cairn_own, run_embedded, run_mlflow_fluent
from _ingest_http import run_mlflow_api
from _report import START, Results, cairn_below, print_results
from _servers import SERVERS, Server, prologue, run_main, scratch_dir, server_env

# flag: (default, --quick)
SIZES: dict[str, tuple[int, int, str]] = {
    "batch_points_cairn": (200_000, 20_000, "log-batch points, cairn (1)"),
    "batch_points_mlflow": (20_000, 5_000, "log-batch points, mlflow (1)"),
    "clients": (8, 4, "parallel mlflow client processes (2)"),
    "client_points": (20_000, 2_000, "points per client process (2)"),
    "sync_calls": (500, 100, "log_metric calls, one request each (3)"),
    "runs_cairn": (100, 20, "runs created, cairn (4)"),
    "runs_mlflow": (30, 10, "runs created, mlflow (4)"),
    "history_points": (100_000, 20_000, "history length for get-history (5)"),
    "series_points": (1_000_000, 100_000, "points in the native series (6)"),
    "fluent_steps": (100_000, 10_000, "cairn.log_metrics steps of 10 keys (7)"),
    "loop_calls": (200_000, 20_000, "cairn.log_metric calls in the tight loop (8)"),
    "mlflow_async_calls": (5_000, 1_000, "mlflow.log_metric calls, async mode (8)"),
    "mlflow_sync_calls": (200, 50, "mlflow.log_metric calls, synchronous (8)"),
    "startups": (3, 1, "cold starts per server (9)"),
    "imports": (5, 3, "fresh interpreters per import timing (9)"),
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Metric ingest and history reads: mlflow server vs cairn server (SQLite).",
    )
    parser.add_argument("--only", choices=("mlflow", "cairn", "both"), default="both")
    parser.add_argument("--quick", action="store_true", help="small sizes: a ~1 min smoke run")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes [1]")
    parser.add_argument("--keep", action="store_true", help="keep the server directories")
    for name, (full, quick, text) in SIZES.items():
        flag = "--" + name.replace("_", "-")
        parser.add_argument(
            flag, type=int, default=None, help=f"{text} [{full:,}; quick {quick:,}]"
        )
    args = parser.parse_args()
    for name, (full, quick, _) in SIZES.items():
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)
    args.servers = SERVERS if args.only == "both" else (args.only,)
    return args


# --------------------------------------------------------------------------- 9: start-up


def import_seconds(module: str, repeats: int) -> float:
    """Median wall time of ``python -c "import module"`` minus that of ``python -c "pass"``."""

    def wall(code: str) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=server_env(False))
        return time.perf_counter() - started

    base = statistics.median(wall("pass") for _ in range(repeats))
    return max(0.0, statistics.median(wall(f"import {module}") for _ in range(repeats)) - base)


def start_server(name: str, args: argparse.Namespace, base: Path, results: Results) -> Server:
    """``--startups`` cold starts on fresh directories; the last server is left running."""
    times: list[float] = []
    server: Server | None = None
    for _ in range(args.startups):
        if server is not None:
            server.stop()
        root = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=base))
        server = Server(name, root, args.workers)
        try:
            times.append(server.start())
        except BaseException:
            server.stop()
            raise
    assert server is not None
    label = f"server start to first /health 200 (median of {len(times)})"
    median = functools.partial(statistics.median, times)
    results.record(name, START, label, "s", False, median, target=cairn_below(1.5, "s"))
    console.print(f"    ({', '.join(f'{t:.2f}' for t in times)} s)")
    return server


# --------------------------------------------------------------------------- driver


def bench_server(name: str, args: argparse.Namespace, base: Path, results: Results) -> None:
    console.rule(f"[bold]{name} server[/bold] (--workers {args.workers})")
    began, errors = time.perf_counter(), len(results.errors)
    try:
        server = start_server(name, args, base, results)
    except Exception as exc:
        results.errors.append(f"{name}: start-up: {exc}")
        console.print(f"  {name} did not start: {exc}", style="red", markup=False)
        return
    url = server.url
    console.print(f"  serving {url}, data in {server.root}")
    try:
        with httpx.Client(base_url=url, timeout=600) as http:
            run_mlflow_api(name, http, url, args, results)
            if name == "cairn":
                run_cairn_own(http, url, args, results)
            else:
                run_mlflow_fluent(http, url, args, results)
    finally:
        server.stop()
    if name == "cairn":
        run_embedded(args, base, results)
    console.print(f"  {name}: {fmt_duration(time.perf_counter() - began)} in all")
    if len(results.errors) > errors and server.log_path:
        console.print(f"  {name} server log tail:\n{server.log_tail(1500)}", markup=False)


def main() -> int:
    args = parse_args()
    prologue(args.workers, suffix=" [quick]" if args.quick else "")
    results = Results()
    began = time.perf_counter()
    for name in args.servers:  # the module is named as the server
        label = f"import mlflow / cairn (fresh interpreter, median of {args.imports})"
        target = cairn_below(0.1, "s")
        imported = functools.partial(import_seconds, name, args.imports)
        results.record(name, START, label, "s", False, imported, target=target)
    with scratch_dir("cairn-ingest-", args.keep) as base:
        for name in args.servers:
            bench_server(name, args, base, results)
    console.print()
    console.print(machine_line())
    print_results(results, args.servers)
    for error in results.errors:
        console.print(f"error: {error}", style="red", markup=False)
    for lost in results.lost:
        console.print(f"DATA LOST: {lost}", style="bold red", markup=False)
    console.print(f"total: {fmt_duration(time.perf_counter() - began)}")
    if results.lost:
        console.print("!!! DATA INTEGRITY CHECK FAILED: points were lost !!!", style="bold red")
        return 1
    return 2 if results.errors else 0


if __name__ == "__main__":
    run_main(main)
