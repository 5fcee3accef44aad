"""Run creation rate and ``search_runs`` latency of the embedded store (SQLite) at scale.

Phase 1 creates ``--runs`` runs in one experiment through ``CairnClient``: one ``create_run``
and one ``log_batch`` (10 params, 5 metrics, 3 tags) per run, as a training script would.
Phase 2 times ``--repeats`` calls of ``CairnClient.search_runs`` (``max_results`` 100) for each
of several query shapes and prints p50 / p95 / max latency per shape. It also times the two
halves of a search separately (the id query, and hydrating the page of runs) and, with
``--explain``, prints SQLite's query plan for each shape.

The data is deterministic (``--seed``): param ``pK`` is ``v0``..``v9`` (10% each), ``p9`` is
``cfg-00000``..``cfg-99999``, metrics ``m0``..``m4`` are uniform in [0, 1), tag ``team`` is one
of five teams, ``model`` one of six architectures, ``note`` is free text.

Creating 100,000 runs takes a few minutes; ``--reuse`` searches an already populated
``--dir`` again without recreating it::

    .venv/bin/python benchmarks/search_runs.py --dir /tmp/cairn-100k
    .venv/bin/python benchmarks/search_runs.py --dir /tmp/cairn-100k --reuse --explain
    .venv/bin/python benchmarks/search_runs.py --runs 10000          # smaller, fresh temp dir
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from _common import (
    console,
    data_dir,
    db_size_mb,
    fmt_duration,
    fmt_rate,
    latency_stats,
    machine_line,
    new_table,
)
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from cairn import CairnClient
from cairn.entities import Metric, Param, RunTag

EXPERIMENT = "bench-search-runs"
BASE_TS = 1_700_000_000_000
TEAMS = ("team-a", "team-b", "team-c", "team-d", "team-e")
MODELS = ("resnet50", "resnet101", "vit-b16", "bert-base", "gpt2-small", "convnext-t")


@dataclass(frozen=True)
class Shape:
    name: str
    filter: str
    order_by: tuple[str, ...] = ()


def query_shapes(n_runs: int) -> list[Shape]:
    middle = BASE_TS + (n_runs // 2) * 1000
    return [
        Shape(
            "metric+param, order by metric",
            "metrics.m1 > 0.5 AND params.p3 = 'v7'",
            ("metrics.m2 DESC",),
        ),
        Shape("tag =", "tags.team = 'team-b'"),
        Shape("tag LIKE, order by metric", "tags.model LIKE 'resnet%'", ("metrics.m0 ASC",)),
        Shape("param LIKE", "params.p9 LIKE 'cfg-1%'"),
        Shape(
            "OR + parentheses",
            "(params.p1 = 'v2' OR params.p2 = 'v3') AND metrics.m3 < 0.2",
            ("metrics.m3 DESC",),
        ),
        Shape(
            "attributes, order by start_time",
            f"attributes.start_time >= {middle} AND attributes.run_name LIKE '%7'",
            ("attributes.start_time ASC",),
        ),
        Shape("metric, order by param", "metrics.m4 >= 0.9", ("params.p0 ASC",)),
        Shape(
            "selective: 2 params + tag",
            "params.p3 = 'v7' AND params.p4 = 'v1' AND tags.team = 'team-a'",
        ),
        Shape("no filter (default order)", ""),
    ]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time run creation and search_runs on cairn's embedded SQLite store.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--dir", help="tracking directory (default: a fresh temporary one)")
    parser.add_argument(
        "--runs",
        type=int,
        default=None,
        help="runs the experiment should hold (default 100000; with --reuse: the runs already "
        "there, or more if given)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="search the runs already in --dir (creating only those still missing)",
    )
    parser.add_argument("--repeats", type=int, default=20, help="timed searches per shape")
    parser.add_argument("--warmup", type=int, default=1, help="untimed searches per shape first")
    parser.add_argument("--max-results", type=int, default=100, help="page size of each search")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated values")
    parser.add_argument(
        "--explain", action="store_true", help="print SQLite's query plan of each shape"
    )
    parser.add_argument(
        "--no-breakdown",
        action="store_true",
        help="skip timing the id query and the hydration separately",
    )
    parser.add_argument("--skip-search", action="store_true", help="only create the runs")
    args = parser.parse_args()
    if args.reuse and not args.dir:
        parser.error("--reuse needs --dir (the populated directory)")
    return args


def run_payload(i: int, rng: random.Random) -> tuple[list[Metric], list[Param], list[RunTag]]:
    ts = BASE_TS + i * 1000
    metrics = [Metric(f"m{k}", rng.random(), ts, 0) for k in range(5)]
    params = [Param(f"p{k}", f"v{rng.randrange(10)}") for k in range(9)]
    params.append(Param("p9", f"cfg-{rng.randrange(100_000):05d}"))
    tags = [
        RunTag("team", rng.choice(TEAMS)),
        RunTag("model", rng.choice(MODELS)),
        RunTag("note", f"sweep {i // 1000} trial {i % 1000}"),
    ]
    return metrics, params, tags


def count_runs(client: CairnClient, experiment_id: str) -> int:
    import sqlalchemy as sa

    from cairn.store.db import tables as t

    with client.store.engine.connect() as conn:  # type: ignore[attr-defined]
        return int(
            conn.execute(
                sa.select(sa.func.count())
                .select_from(t.runs)
                .where(t.runs.c.experiment_id == int(experiment_id))
            ).scalar_one()
        )


def create_runs(client: CairnClient, experiment_id: str, start: int, total: int, seed: int) -> None:
    todo = total - start
    console.print(
        f"[bold]creating {todo:,} runs[/bold] (runs {start:,}..{total - 1:,}): "
        "create_run + log_batch(5 metrics, 10 params, 3 tags) each"
    )
    create_s = batch_s = 0.0
    checkpoints: list[tuple[int, float]] = []
    step = max(1, todo // 10)
    began = time.perf_counter()
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]} runs/s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, refresh_per_second=4) as progress:
        task = progress.add_task("runs", total=todo, rate="-")
        last_t, last_n = began, 0
        for i in range(start, total):
            # One Random per run, so resuming a partial directory reproduces the same values.
            metrics, params, tags = run_payload(i, random.Random(seed * 1_000_003 + i))
            t0 = time.perf_counter()
            run = client.create_run(
                experiment_id, start_time=BASE_TS + i * 1000, run_name=f"bench-{i:06d}"
            )
            t1 = time.perf_counter()
            client.log_batch(run.info.run_id, metrics=metrics, params=params, tags=tags)
            t2 = time.perf_counter()
            create_s += t1 - t0
            batch_s += t2 - t1
            done = i - start + 1
            if done % 500 == 0 or done == todo:
                now = time.perf_counter()
                progress.update(
                    task, completed=done, rate=fmt_rate((done - last_n) / (now - last_t))
                )
                last_t, last_n = now, done
            if done % step == 0 or done == todo:
                checkpoints.append((i + 1, time.perf_counter()))
    elapsed = time.perf_counter() - began
    client.set_experiment_tag(experiment_id, "bench.runs", total)

    console.print(
        f"  created {todo:,} runs in {fmt_duration(elapsed)} -> "
        f"[bold]{fmt_rate(todo / elapsed)} runs/s[/bold] "
        f"({elapsed / todo * 1000:.2f} ms/run: create_run {create_s / todo * 1000:.2f} ms, "
        f"log_batch {batch_s / todo * 1000:.2f} ms, "
        f"rest {(elapsed - create_s - batch_s) / todo * 1000:.2f} ms)"
    )
    table = new_table("Creation rate as the store grows", "runs in store", "runs/s in slice")
    prev_n, prev_t = start, began
    for n, t in checkpoints:
        table.add_row(f"{prev_n:,}..{n:,}", fmt_rate((n - prev_n) / (t - prev_t)))
        prev_n, prev_t = n, t
    console.print(table)


def explain(client: CairnClient, experiment_id: str, shape: Shape, max_results: int) -> None:
    import sqlalchemy as sa

    from cairn.entities import ViewType
    from cairn.store.search import select_run_ids

    query = select_run_ids(
        [int(experiment_id)],
        shape.filter or None,
        ViewType.ACTIVE_ONLY,
        shape.order_by,
        0,
        max_results + 1,
    )
    engine = client.store.engine  # type: ignore[attr-defined]
    sql = str(query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
    with engine.connect() as conn:
        plan = conn.execute(sa.text("EXPLAIN QUERY PLAN " + sql)).all()
    console.print(f"[bold]{shape.name}[/bold]\n[dim]{sql}[/dim]")
    depth = {0: 0}
    for node_id, parent, _, detail in plan:
        depth[node_id] = depth.get(parent, 0) + 1
        console.print("  " * depth[node_id] + detail)
    console.print()


def time_parts(
    client: CairnClient, experiment_id: str, shape: Shape, max_results: int, repeats: int
) -> tuple[float, float]:
    """Median seconds of the id query and of loading the page of runs, run separately."""
    import statistics

    from cairn.entities import ViewType
    from cairn.store.search import select_run_ids
    from cairn.store.tracking.sql.mapping import load_runs

    query = select_run_ids(
        [int(experiment_id)],
        shape.filter or None,
        ViewType.ACTIVE_ONLY,
        shape.order_by,
        0,
        max_results + 1,
    )
    ids_s, load_s = [], []
    engine = client.store.engine  # type: ignore[attr-defined]
    for _ in range(repeats):
        with engine.connect() as conn:
            t0 = time.perf_counter()
            ids = list(conn.execute(query).scalars())
            t1 = time.perf_counter()
            load_runs(conn, ids[:max_results])
            t2 = time.perf_counter()
        ids_s.append(t1 - t0)
        load_s.append(t2 - t1)
    return statistics.median(ids_s), statistics.median(load_s)


def run_searches(
    client: CairnClient, experiment_id: str, n_runs: int, args: argparse.Namespace
) -> None:
    shapes = query_shapes(n_runs)
    if args.explain:
        console.print("[bold]EXPLAIN QUERY PLAN of the id query of each shape[/bold]\n")
        for shape in shapes:
            explain(client, experiment_id, shape, args.max_results)

    console.print(
        f"[bold]searching {n_runs:,} runs[/bold]: {args.repeats} timed calls per shape "
        f"(+{args.warmup} warm-up), max_results={args.max_results}"
    )
    columns = ["shape", "page", "p50 ms", "p95 ms", "max ms", "mean ms"]
    breakdown = not args.no_breakdown
    if breakdown:
        columns += ["id query p50", "hydrate p50"]
    table = new_table(f"search_runs latency over {n_runs:,} runs", *columns)
    all_times: list[float] = []
    total_s = 0.0
    for shape in shapes:
        for _ in range(args.warmup):
            page = client.search_runs(
                [experiment_id],
                shape.filter,
                max_results=args.max_results,
                order_by=list(shape.order_by),
            )
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            page = client.search_runs(
                [experiment_id],
                shape.filter,
                max_results=args.max_results,
                order_by=list(shape.order_by),
            )
            times.append(time.perf_counter() - t0)
        returned = len(list(page))
        more = "+" if page.next_page_token else ""
        p50, p95, worst, mean = latency_stats(times)
        row = [
            shape.name,
            f"{returned}{more}",
            f"{p50:.1f}",
            f"{p95:.1f}",
            f"{worst:.1f}",
            f"{mean:.1f}",
        ]
        if breakdown:
            ids_p50, load_p50 = time_parts(
                client, experiment_id, shape, args.max_results, min(5, args.repeats)
            )
            row += [f"{ids_p50 * 1000:.1f}", f"{load_p50 * 1000:.1f}"]
        table.add_row(*row)
        all_times.extend(times)
        total_s += sum(times)
        console.print(f"  {shape.name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms")
    p50, p95, worst, mean = latency_stats(all_times)
    table.add_section()
    table.add_row(
        f"all {len(all_times)} searches",
        "",
        f"{p50:.1f}",
        f"{p95:.1f}",
        f"{worst:.1f}",
        f"{mean:.1f}",
    )
    console.print()
    console.print(table)
    console.print(f"total search time: {fmt_duration(total_s)} for {len(all_times)} searches")
    console.print("[dim]page: runs returned (max_results); '+' means more pages follow.[/dim]")
    console.print("\n[dim]filters:[/dim]")
    for shape in shapes:
        order = f"  order_by={list(shape.order_by)}" if shape.order_by else ""
        console.print(f"[dim]  {shape.name}: {shape.filter or '(none)'}{order}[/dim]")


def main() -> None:
    args = parse_args()
    directory: Path = data_dir(args.dir, "cairn-bench-search-")
    console.print(machine_line())
    console.print(f"tracking dir: {directory}\n")
    client = CairnClient(str(directory))
    existing = client.get_experiment_by_name(EXPERIMENT)
    if existing is not None and not args.reuse:
        sys.exit(
            f"{directory} already holds experiment {EXPERIMENT!r}: pass --reuse to search it "
            "again, or give a fresh --dir."
        )
    experiment_id = existing.experiment_id if existing else client.create_experiment(EXPERIMENT)
    have = count_runs(client, experiment_id)
    if args.reuse and have:
        console.print(f"reusing {have:,} runs in experiment {experiment_id}")
    target = have if (args.runs is None and have) else max(have, args.runs or 100_000)
    if target > have:
        create_runs(client, experiment_id, have, target, args.seed)
    console.print(f"database size: {db_size_mb(directory):,.1f} MiB\n")
    if not args.skip_search:
        run_searches(client, experiment_id, target, args)


if __name__ == "__main__":
    main()
