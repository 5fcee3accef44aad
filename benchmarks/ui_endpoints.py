"""Latency of the web UI's run-table reads on 100k runs: experiment keys, run groups, export.

Times the store calls behind ``GET /api/2.0/cairn/experiments/keys`` (``run_keys``),
``POST /api/2.0/cairn/runs/groups`` (``group_runs``) and, with ``--export``, the CSV writer
of ``POST /api/2.0/cairn/runs/export`` over every run. The data is ``search_runs.py``'s
(10 params, 5 metrics, 3 tags per run), created here unless ``--reuse`` names a directory that
already holds it::

    .venv/bin/python benchmarks/ui_endpoints.py --dir /tmp/cairn-100k --reuse
    .venv/bin/python benchmarks/ui_endpoints.py --runs 20000 --export
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import console, data_dir, latency_stats, machine_line, new_table
from search_runs import EXPERIMENT, count_runs, create_runs

from cairn import CairnClient
from cairn.store.tracking.base import TrackingStore

GROUPINGS = (
    ("tags.team (5 groups)", "tags.team", None),
    ("params.p0 (10 groups)", "params.p0", None),
    ("params.p9 (>1000 groups, capped)", "params.p9", None),
    ("tags.model, filtered", "tags.model", "metrics.m1 > 0.5 AND params.p3 = 'v7'"),
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", help="tracking directory (default: a fresh temporary one)")
    parser.add_argument("--runs", type=int, default=100_000, help="runs to create (100000)")
    parser.add_argument("--reuse", action="store_true", help="time the runs --dir holds")
    parser.add_argument("--repeats", type=int, default=5, help="timed calls per read (5)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--export", action="store_true", help="also time a full CSV export")
    args = parser.parse_args()
    if args.reuse and not args.dir:
        parser.error("--reuse needs --dir (the populated directory)")
    return args


def timed(call: Callable[[], Any], repeats: int) -> tuple[list[float], Any]:
    call()  # warm-up: page cache and query plans
    seconds, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = call()
        seconds.append(time.perf_counter() - start)
    return seconds, result


def time_reads(store: TrackingStore, experiment_id: str, repeats: int) -> None:
    table = new_table("run-table reads", "read", "answer", "p50 ms", "p95 ms", "max ms")
    seconds, found = timed(lambda: store.run_keys([experiment_id]), repeats)
    counts = f"{len(found.metric_keys)}/{len(found.param_keys)}/{len(found.tag_keys)} keys"
    table.add_row("experiments/keys", counts, *(f"{v:,.1f}" for v in latency_stats(seconds)[:3]))
    for label, group_by, filter_string in GROUPINGS:

        def groups(by: str = group_by, where: str | None = filter_string) -> Any:
            return store.group_runs([experiment_id], by, ["m0", "m1"], filter_string=where)

        seconds, found = timed(groups, repeats)
        answer = f"{len(found)} groups"
        table.add_row(
            f"runs/groups {label}", answer, *(f"{v:,.1f}" for v in latency_stats(seconds)[:3])
        )
    console.print(table)


def time_export(store: TrackingStore, experiment_id: str) -> None:
    from cairn.server.handlers.run_export import ExportColumns, csv_chunks

    found = store.run_keys([experiment_id])
    columns = ExportColumns(found.param_keys, found.metric_keys, ("team",))
    start = time.perf_counter()
    size = rows = 0
    for chunk in csv_chunks(store.iter_runs([experiment_id]), columns):
        size += len(chunk)
        rows += chunk.count(b"\n")
    elapsed = time.perf_counter() - start
    console.print(
        f"runs/export: {rows - 1:,} rows, {size / 2**20:,.1f} MiB of CSV in {elapsed:,.1f} s "
        f"({(rows - 1) / elapsed:,.0f} rows/s)"
    )


def main() -> None:
    args = parse_args()
    directory: Path = data_dir(args.dir, "cairn-bench-ui-")
    console.print(machine_line())
    console.print(f"tracking dir: {directory}\n")
    client = CairnClient(str(directory))
    existing = client.get_experiment_by_name(EXPERIMENT)
    if existing is not None and not args.reuse:
        sys.exit(f"{directory} already holds {EXPERIMENT!r}: pass --reuse, or a fresh --dir.")
    experiment_id = existing.experiment_id if existing else client.create_experiment(EXPERIMENT)
    have = count_runs(client, experiment_id)
    if not args.reuse and have < args.runs:
        create_runs(client, experiment_id, have, args.runs, args.seed)
        have = args.runs
    console.print(f"timing over {have:,} runs in experiment {experiment_id}\n")
    time_reads(client.store, experiment_id, args.repeats)
    if args.export:
        time_export(client.store, experiment_id)


if __name__ == "__main__":
    main()
