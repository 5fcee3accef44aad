"""The same workloads through the real ``mlflow`` client: ``mlflow server`` vs ``cairn server``.

Both servers run on SQLite in a fresh temporary directory, on the same machine, one after the
other (mlflow first), each as a subprocess on a free loopback port with ``--workers`` workers.
The client is MLflow's own (``MlflowClient``, ``mlflow.artifacts``), so only the server differs;
it runs with ``MLFLOW_HTTP_REQUEST_MAX_RETRIES=0`` so that a failing endpoint errors at once.
``mlflow server`` runs with ``MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false``: by default it also
starts a GenAI job runner (7 huey consumer processes) that cairn has no counterpart for and that
takes CPU from everything else on a small machine; ``--mlflow-job-runner`` leaves it on.

Measured per server:

* start-up: from ``Popen`` until ``GET /health`` answers 200 (polled every 20 ms), median of
  ``--startups`` cold starts on fresh directories; plus one restart on the filled database;
* ``log_metric``: ``--single-calls`` synchronous calls (one request each) in one run;
* ``log_batch``: ``--batch-points`` points, 1000 metrics per call over 10 keys, in one run;
* ``get_metric_history`` of a ``--history-points`` point metric (the client pages 25k at a time);
* run creation (``create_run`` with 2 tags + ``log_batch`` of 2 params and 2 metrics) of
  ``--search-runs`` runs from ``--threads`` client threads, then the p50 of ``--repeats``
  ``search_runs(max_results=100)`` calls per query shape;
* a 64 MiB artifact uploaded through the artifact proxy and downloaded back (sha256 checked).

A workload that fails on one server is reported (request and error) and the others go on. The
speed-up column is always "how many times faster cairn is": cairn/mlflow for rates,
mlflow/cairn for times, so > 1 means cairn is faster. Examples::

    .venv/bin/python benchmarks/server_side_by_side.py
    .venv/bin/python benchmarks/server_side_by_side.py --only cairn --search-runs 1000
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import os
import random
import statistics
import tempfile
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from _common import console, fmt_duration, new_table
from _report import fmt_value
from _servers import SERVERS, Server, prologue, run_main, scratch_dir

if TYPE_CHECKING:
    from mlflow import MlflowClient

BASE_TS = 1_700_000_000_000
ARTIFACT_MIB = 64
SEARCH_SHAPES: dict[str, tuple[str, list[str] | None]] = {
    "no filter, order by start_time DESC": ("", ["attributes.start_time DESC"]),
    "metrics.m > 0.5": ("metrics.m > 0.5", None),
    "params.p = 'v3'": ("params.p = 'v3'", None),
    "tags.team = 'team-2'": ("tags.team = 'team-2'", None),
    "no filter, order by metrics.m DESC": ("", ["metrics.m DESC"]),
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="mlflow server vs cairn server through the mlflow client, on SQLite.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--only", choices=("mlflow", "cairn", "both"), default="both")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--startups", type=int, default=3, help="cold starts to time")
    parser.add_argument("--single-calls", type=int, default=500, help="log_metric calls")
    parser.add_argument("--batch-points", type=int, default=100_000, help="log_batch points")
    parser.add_argument("--history-points", type=int, default=100_000, help="history length")
    parser.add_argument("--search-runs", type=int, default=2000, help="runs to search over")
    parser.add_argument("--threads", type=int, default=4, help="client threads creating runs")
    parser.add_argument("--repeats", type=int, default=20, help="timed searches per shape")
    parser.add_argument(
        "--mlflow-job-runner",
        action="store_true",
        help="leave mlflow's GenAI job runner on (its default; 7 extra processes)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the server directories")
    args = parser.parse_args()
    args.servers = SERVERS if args.only == "both" else (args.only,)
    return args


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Measure:
    label: str
    unit: str
    higher_is_better: bool


@dataclass
class Results:
    measures: dict[str, Measure] = field(default_factory=dict)
    values: dict[tuple[str, str], float | str] = field(default_factory=dict)
    # server -> search shape -> run names of the first page
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, server: str, label: str, unit: str, value: float | str, higher: bool) -> None:
        self.measures.setdefault(label, Measure(label, unit, higher))
        self.values[(label, server)] = value


def speedup(measure: Measure, mlflow: float | str | None, cairn: float | str | None) -> str:
    if not isinstance(mlflow, float) or not isinstance(cairn, float) or min(mlflow, cairn) <= 0:
        return "-"
    ratio = cairn / mlflow if measure.higher_is_better else mlflow / cairn
    return f"{ratio:.2f}x"


def print_results(results: Results, servers: tuple[str, ...]) -> None:
    table = new_table(
        "mlflow client -> server, SQLite (speed-up: > 1 = cairn faster)",
        "measure",
        "unit",
        *servers,
        "cairn speed-up",
    )
    for label, measure in results.measures.items():
        cells = [results.values.get((label, s)) for s in servers]
        ratio = speedup(
            measure, results.values.get((label, "mlflow")), results.values.get((label, "cairn"))
        )
        unit = measure.unit + (" (higher better)" if measure.higher_is_better else "")
        table.add_row(label, unit, *(fmt_value(measure.unit, c) for c in cells), ratio)
    console.print(table)


# --------------------------------------------------------------------------- workloads


def bench_log_metric(client: MlflowClient, exp_id: str, args: argparse.Namespace) -> float:
    run_id = client.create_run(exp_id, run_name="single").info.run_id
    started = time.perf_counter()
    for i in range(args.single_calls):
        client.log_metric(run_id, "m", 1.0 / (i + 1), timestamp=BASE_TS + i, step=i)
    return float(args.single_calls) / (time.perf_counter() - started)


def _metric_batches(total: int, keys: int) -> list[list[Any]]:
    from mlflow.entities import Metric

    return [
        [
            Metric(f"b{i % keys}", (i * 7919) % 1000 / 1000, BASE_TS + i, i // keys)
            for i in range(start, min(total, start + 1000))
        ]
        for start in range(0, total, 1000)
    ]


def bench_log_batch(client: MlflowClient, exp_id: str, args: argparse.Namespace) -> float:
    run_id = client.create_run(exp_id, run_name="batch").info.run_id
    batches = _metric_batches(args.batch_points, keys=10)
    started = time.perf_counter()
    for batch in batches:
        client.log_batch(run_id, metrics=batch)
    return float(args.batch_points) / (time.perf_counter() - started)


def bench_history(client: MlflowClient, exp_id: str, args: argparse.Namespace) -> float:
    """Median seconds of 3 reads of a ``--history-points`` history (logged untimed)."""
    run_id = client.create_run(exp_id, run_name="history").info.run_id
    for batch in _metric_batches(args.history_points, keys=1):
        client.log_batch(run_id, metrics=batch)
    times = []
    for _ in range(3):
        started = time.perf_counter()
        count = len(client.get_metric_history(run_id, "b0"))
        times.append(time.perf_counter() - started)
    if count != args.history_points:
        raise RuntimeError(f"history has {count:,} points, expected {args.history_points:,}")
    return statistics.median(times)


def _create_run(client: MlflowClient, exp_id: str, i: int) -> None:
    from mlflow.entities import Metric, Param

    rng = random.Random(i)
    tags = {"team": f"team-{i % 5}", "note": f"run {i}"}
    run_id = client.create_run(
        exp_id, start_time=BASE_TS + i * 1000, tags=tags, run_name=f"run-{i:05d}"
    ).info.run_id
    client.log_batch(
        run_id,
        metrics=[Metric("m", rng.random(), BASE_TS + i, 0), Metric("loss", rng.random(), 0, 0)],
        params=[Param("p", f"v{i % 10}"), Param("cfg", f"cfg-{i:05d}")],
    )


def bench_create_runs(client: MlflowClient, exp_id: str, args: argparse.Namespace) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(args.threads) as pool:
        list(pool.map(lambda i: _create_run(client, exp_id, i), range(args.search_runs)))
    return float(args.search_runs) / (time.perf_counter() - started)


def bench_search(
    client: MlflowClient, exp_id: str, args: argparse.Namespace, shape: str, pages: dict[str, Any]
) -> float:
    """p50 milliseconds of ``--repeats`` searches of one shape, after one untimed call whose
    run names go to ``pages[shape]`` (both servers must return the same runs in the same order).
    """
    filter_string, order_by = SEARCH_SHAPES[shape]

    def search() -> list[Any]:
        return list(
            client.search_runs(
                [exp_id], filter_string=filter_string, max_results=100, order_by=order_by
            )
        )

    pages[shape] = tuple(run.info.run_name for run in search())
    if not pages[shape]:
        raise RuntimeError("search returned no runs")
    times = []
    for _ in range(args.repeats):
        started = time.perf_counter()
        search()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def bench_artifact(
    client: MlflowClient, exp_id: str, blob: Path, digest: str
) -> tuple[float, float, str]:
    """(upload MiB/s, download MiB/s, artifact_uri) of one file through the artifact proxy."""
    import mlflow.artifacts

    run = client.create_run(exp_id, run_name="artifact")
    started = time.perf_counter()
    client.log_artifact(run.info.run_id, str(blob))
    up = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="cairn-bench-dl-") as dst:
        started = time.perf_counter()
        local = mlflow.artifacts.download_artifacts(
            run_id=run.info.run_id,
            artifact_path=blob.name,
            dst_path=dst,
            tracking_uri=client.tracking_uri,
        )
        down = time.perf_counter() - started
        if _sha256(Path(local)) != digest:
            raise RuntimeError("downloaded artifact differs from the upload (sha256)")
    return ARTIFACT_MIB / up, ARTIFACT_MIB / down, run.info.artifact_uri


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --------------------------------------------------------------------------- driver


class Runner:
    """Runs every workload against one server, recording failures instead of raising."""

    def __init__(self, name: str, results: Results, base: Path) -> None:
        self.name, self.results, self.base = name, results, base
        self.failures: list[str] = []
        self.servers: list[Server] = []  # every one started, so that all are stopped

    def attempt(self, label: str, unit: str, higher: bool, fn: Callable[[], float]) -> float | None:
        try:
            value = fn()
        except Exception as exc:  # a failing endpoint must not stop the other workloads
            self.results.add(self.name, label, unit, "error", higher)
            self.failures.append(f"{label}: {type(exc).__name__}: {exc}")
            console.print(f"  {label}: {type(exc).__name__}: {exc}", style="red", markup=False)
            console.print(traceback.format_exc(limit=-3), markup=False)
            return None
        self.results.add(self.name, label, unit, value, higher)
        suffix = "" if unit in ("s", "ms") else f" {unit}"
        console.print(f"  {label}: {fmt_value(unit, value)}{suffix}")
        return value

    def fresh_server(self, args: argparse.Namespace) -> Server:
        root = Path(tempfile.mkdtemp(prefix=f"{self.name}-", dir=self.base))
        job_runner = self.name == "mlflow" and args.mlflow_job_runner
        self.servers.append(Server(self.name, root, args.workers, job_runner))
        return self.servers[-1]

    def stop_all(self) -> None:
        for server in self.servers:
            server.stop()


def time_startups(runner: Runner, args: argparse.Namespace) -> Server:
    """Median cold start-up; the last server started is left running for the workloads."""
    times: list[float] = []
    server = runner.fresh_server(args)
    for k in range(args.startups):
        if k:
            server.stop()
            server = runner.fresh_server(args)
        times.append(server.start())
    shown = ", ".join(f"{t:.2f}" for t in times)
    label = f"start-up, fresh dir (median of {len(times)})"
    runner.attempt(label, "s", False, lambda: statistics.median(times))
    console.print(f"    ({shown} s)")
    return server


def run_workloads(runner: Runner, server: Server, args: argparse.Namespace, blob: Path) -> None:
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=server.url)
    exp_id = client.create_experiment(f"bench-{int(time.time())}")
    n = runner.attempt

    n(
        "log_metric, 1 call per point",
        "calls/s",
        True,
        lambda: bench_log_metric(client, exp_id, args),
    )
    n(
        "log_batch, 1000 metrics per call",
        "points/s",
        True,
        lambda: bench_log_batch(client, exp_id, args),
    )
    history = f"get_metric_history, {args.history_points:,} points"
    n(history, "s", False, lambda: bench_history(client, exp_id, args))
    pages = runner.results.pages.setdefault(runner.name, {})
    search_exp = client.create_experiment(f"search-{int(time.time())}")
    creation = f"runs created ({args.threads} threads)"
    if n(creation, "runs/s", True, lambda: bench_create_runs(client, search_exp, args)) is not None:
        for shape in SEARCH_SHAPES:
            label = f"search p50 ({args.search_runs:,} runs): {shape}"
            search = functools.partial(bench_search, client, search_exp, args, shape, pages)
            n(label, "ms", False, search)
    digest = _sha256(blob)
    speeds: dict[str, float] = {}

    def artifact() -> float:
        up, down, uri = bench_artifact(client, exp_id, blob, digest)
        console.print(f"    (artifact_uri {uri})")
        speeds["down"] = down
        return up

    if n(f"artifact upload, {ARTIFACT_MIB} MiB", "MiB/s", True, artifact) is not None:
        n(f"artifact download, {ARTIFACT_MIB} MiB", "MiB/s", True, lambda: speeds["down"])


def bench_server(
    name: str, args: argparse.Namespace, results: Results, base: Path, blob: Path
) -> list[str]:
    """Every workload against one server; returns the failures."""
    console.rule(f"[bold]{name} server[/bold] (--workers {args.workers})")
    runner = Runner(name, results, base)
    started = time.perf_counter()
    try:
        server = time_startups(runner, args)
        console.print(f"  serving {server.url}, data in {server.root}")
        run_workloads(runner, server, args, blob)
        server.stop()
        runner.attempt("start-up, restart on the filled database", "s", False, server.start)
    except Exception as exc:
        runner.failures.append(f"{type(exc).__name__}: {exc}")
        console.print(f"  {name} aborted: {exc}", style="red", markup=False)
    finally:
        runner.stop_all()
    console.print(f"  {name}: {fmt_duration(time.perf_counter() - started)} in all")
    if runner.failures and runner.servers:
        console.print(f"  {name} server log tail:", style="red")
        console.print(runner.servers[-1].log_tail(), markup=False)
    return runner.failures


def main() -> None:
    args = parse_args()
    prologue(args.workers, client=" client")
    results = Results()
    failures: dict[str, list[str]] = {}
    started = time.perf_counter()
    with scratch_dir("cairn-side-by-side-", args.keep) as base:
        blob = base / f"blob-{ARTIFACT_MIB}MiB.bin"
        blob.write_bytes(os.urandom(ARTIFACT_MIB * 2**20))
        for name in args.servers:
            failures[name] = bench_server(name, args, results, base, blob)
    console.print()
    print_results(results, args.servers)
    mlflow_pages, cairn_pages = results.pages.get("mlflow", {}), results.pages.get("cairn", {})
    for shape in sorted(set(mlflow_pages) & set(cairn_pages)):
        if mlflow_pages[shape] != cairn_pages[shape]:
            failures["cairn"].append(
                f"search {shape!r}: first page differs from mlflow's ({len(cairn_pages[shape])} "
                f"runs, first {cairn_pages[shape][:3]} vs {len(mlflow_pages[shape])} runs, "
                f"first {mlflow_pages[shape][:3]})"
            )
    for name, errors in failures.items():
        for error in errors:
            console.print(f"{name}: {error}", style="red", markup=False)
    console.print(f"total: {fmt_duration(time.perf_counter() - started)}")


if __name__ == "__main__":
    run_main(main)
