"""Metric logging throughput of the embedded store (SQLite) through cairn's public APIs.

Modes (pick with ``--modes``; all run by default):

* ``batch``   ``CairnClient.log_batch`` with ``--batch-size`` metrics per call (the fast path),
              ``--points`` points in one run, spread over ``--keys`` metric keys;
* ``single``  one ``CairnClient.log_metric`` call per point (one transaction each), measured
              on ``--single-points`` points and extrapolated to ``--points``;
* ``fluent``  ``cairn.log_metrics({...}, step=i)`` with ``--fluent-keys`` keys per step inside
              ``cairn.start_run()``, measured on ``--fluent-points`` points and extrapolated;
* ``history`` read back a ``--history-points`` point history of one key with
              ``CairnClient.get_metric_history`` (paged, as the client does it) and, for
              comparison, with one unpaged store query.

Only the logging calls are timed (building the ``Metric`` objects is not). Examples::

    .venv/bin/python benchmarks/log_metrics.py
    .venv/bin/python benchmarks/log_metrics.py --points 200000 --modes batch,history
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from _common import (
    console,
    data_dir,
    db_size_mb,
    fmt_duration,
    fmt_rate,
    machine_line,
    new_table,
)

import cairn
from cairn import CairnClient
from cairn.entities import Metric

MODES = ("batch", "single", "fluent", "history")
BASE_TS = 1_700_000_000_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time metric logging into cairn's embedded SQLite store.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--dir", help="tracking directory (default: a fresh temporary one)")
    parser.add_argument("--points", type=int, default=1_000_000, help="points for batch mode")
    parser.add_argument("--batch-size", type=int, default=1000, help="metrics per log_batch call")
    parser.add_argument("--keys", type=int, default=10, help="metric keys in batch mode")
    parser.add_argument(
        "--single-points", type=int, default=5000, help="log_metric calls in single mode"
    )
    parser.add_argument(
        "--fluent-points", type=int, default=200_000, help="points logged in fluent mode"
    )
    parser.add_argument("--fluent-keys", type=int, default=10, help="keys per log_metrics call")
    parser.add_argument(
        "--history-points", type=int, default=100_000, help="length of the history read back"
    )
    parser.add_argument("--history-repeats", type=int, default=3, help="history reads to time")
    parser.add_argument(
        "--modes", default=",".join(MODES), help=f"comma-separated subset of {','.join(MODES)}"
    )
    args = parser.parse_args()
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = sorted(set(args.modes) - set(MODES))
    if unknown:
        parser.error(f"unknown mode(s): {', '.join(unknown)}")
    if args.batch_size > 1000:
        parser.error("--batch-size is at most 1000 (the per-request limit of log_batch)")
    return args


class Results:
    def __init__(self, target_points: int) -> None:
        self.target = target_points
        self.table = new_table(
            "Metric logging throughput",
            "mode",
            "points timed",
            "calls",
            "time",
            "points/s",
            "µs/point",
            f"time for {target_points:,} points",
        )

    def add(self, mode: str, points: int, calls: int, seconds: float, measured: bool) -> None:
        rate = points / seconds
        at_target = self.target / rate
        label = fmt_duration(at_target) + ("" if measured else " (extrapolated)")
        self.table.add_row(
            mode,
            f"{points:,}",
            f"{calls:,}",
            fmt_duration(seconds),
            fmt_rate(rate),
            f"{1e6 / rate:.1f}",
            label,
        )
        console.print(
            f"  {mode}: {points:,} points in {fmt_duration(seconds)} -> "
            f"[bold]{fmt_rate(rate)} points/s[/bold]"
        )


def bench_batch(client: CairnClient, args: argparse.Namespace, results: Results) -> None:
    console.print(
        f"[bold]batch[/bold]: log_batch, {args.batch_size} metrics/call, {args.keys} keys, "
        f"{args.points:,} points in one run"
    )
    run_id = client.create_run("0", run_name="bench-batch").info.run_id
    calls = 0
    elapsed = 0.0
    for start in range(0, args.points, args.batch_size):
        # point i is key m{i % keys} at step i // keys: each call covers consecutive steps
        batch = [
            Metric(f"m{i % args.keys}", (i * 7919) % 1000 / 1000, BASE_TS + i, i // args.keys)
            for i in range(start, min(args.points, start + args.batch_size))
        ]
        started = time.perf_counter()
        client.log_batch(run_id, metrics=batch)
        elapsed += time.perf_counter() - started
        calls += 1
    logged = args.points
    results.add(f"log_batch ({args.batch_size}/call)", logged, calls, elapsed, measured=True)


def bench_single(client: CairnClient, args: argparse.Namespace, results: Results) -> None:
    console.print(
        f"[bold]single[/bold]: {args.single_points:,} log_metric calls (one transaction each)"
    )
    run_id = client.create_run("0", run_name="bench-single").info.run_id
    started = time.perf_counter()
    for i in range(args.single_points):
        client.log_metric(run_id, "loss", 1.0 / (i + 1), timestamp=BASE_TS + i, step=i)
    elapsed = time.perf_counter() - started
    results.add(
        "log_metric (1/call)",
        args.single_points,
        args.single_points,
        elapsed,
        measured=args.single_points >= args.points,
    )


def bench_fluent(directory: Path, args: argparse.Namespace, results: Results) -> None:
    keys = [f"m{k}" for k in range(args.fluent_keys)]
    steps = max(1, args.fluent_points // len(keys))
    console.print(f"[bold]fluent[/bold]: cairn.log_metrics, {len(keys)} keys/step, {steps:,} steps")
    cairn.set_tracking_uri(str(directory))
    with cairn.start_run(run_name="bench-fluent"):
        started = time.perf_counter()
        for step in range(steps):
            cairn.log_metrics({k: (step + i) % 97 / 97 for i, k in enumerate(keys)}, step=step)
        elapsed = time.perf_counter() - started
    points = steps * len(keys)
    results.add(
        f"cairn.log_metrics ({len(keys)}/call)",
        points,
        steps,
        elapsed,
        measured=points >= args.points,
    )


def bench_history(client: CairnClient, args: argparse.Namespace) -> None:
    n = args.history_points
    console.print(f"[bold]history[/bold]: {n:,} points of one key, read back")
    run_id = client.create_run("0", run_name="bench-history").info.run_id
    for start in range(0, n, 1000):
        client.log_batch(
            run_id,
            metrics=[
                Metric("loss", 1.0 / (s + 1), BASE_TS + s, s)
                for s in range(start, min(n, start + 1000))
            ],
        )
    table = new_table(
        f"Reading a {n:,}-point metric history", "call", "points", "best", "median", "points/s"
    )

    def measure(label: str, read) -> None:  # type: ignore[no-untyped-def]
        times = []
        count = 0
        for _ in range(args.history_repeats):
            started = time.perf_counter()
            count = len(read())
            times.append(time.perf_counter() - started)
        best = min(times)
        table.add_row(
            label,
            f"{count:,}",
            fmt_duration(best),
            fmt_duration(statistics.median(times)),
            fmt_rate(count / best),
        )
        console.print(f"  {label}: best {fmt_duration(best)} for {count:,} points")

    measure(
        "client.get_metric_history (25k pages)",
        lambda: client.get_metric_history(run_id, "loss"),
    )
    measure(
        "store.get_metric_history (unpaged)",
        lambda: client.store.get_metric_history(run_id, "loss", None, None),
    )
    console.print(table)


def main() -> None:
    args = parse_args()
    directory = data_dir(args.dir, "cairn-bench-metrics-")
    console.print(machine_line())
    console.print(f"tracking dir: {directory}\n")
    client = CairnClient(str(directory))
    client.store  # open (create the schema) outside the timings  # noqa: B018
    results = Results(args.points)
    if "batch" in args.modes:
        bench_batch(client, args, results)
    if "single" in args.modes:
        bench_single(client, args, results)
    if "fluent" in args.modes:
        bench_fluent(directory, args, results)
    if any(m in args.modes for m in ("batch", "single", "fluent")):
        console.print()
        console.print(results.table)
    if "history" in args.modes:
        bench_history(client, args)
    console.print(f"database size: {db_size_mb(directory):,.1f} MiB")


if __name__ == "__main__":
    main()
