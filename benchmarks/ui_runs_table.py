"""The web UI's runs table over 100,000 runs, in a real Chromium.

Seeds one experiment with ``--runs`` runs (10 params, 10 metrics, 3 tags each), straight into
the embedded SQLite store's tables in bulk (a few seconds per 10k runs; the rows are exactly
what ``create_run`` + ``log_batch`` would write: a run row, its params and tags, one metric
chunk and one latest-value row per metric). Then starts ``cairn server`` on the directory and,
in Chromium (Playwright, ``/usr/bin/chromium``), measures:

* **time to first rows**: from navigation start to the first run row in the table (a
  MutationObserver stamps it), over ``--loads`` fresh page loads (cold: new browser context
  each time), with the API calls the page made before it (Resource Timing);
* **scrolling 10,000 rows**: the table's scroller moved down ``--step-rows`` rows per animation
  frame until row ``--scroll-rows`` is on screen, the table loading further pages as it goes;
  frame times (p50/p95/max), frames over 50 ms, long tasks, and the time spent waiting for a
  page of runs at the end of what was loaded.

Screenshots go to ``--screenshots`` (default: the data directory). Reuse a seeded directory
with ``--dir``; it is seeded only when it holds fewer runs than asked::

    .venv/bin/python benchmarks/ui_runs_table.py --dir /tmp/cairn-ui-100k
    .venv/bin/python benchmarks/ui_runs_table.py --runs 20000 --loads 3
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa
from _common import console, data_dir, fmt_duration, machine_line, new_table, percentile
from _servers import Server

from cairn import CairnClient
from cairn.store.db import tables as t
from cairn.tracking.client import close_stores

EXPERIMENT = "bench-ui-runs-table"
BASE_TS = 1_700_000_000_000
CHROMIUM = "/usr/bin/chromium"
N_PARAMS = N_METRICS = 10
INSERT_BATCH = 5_000
ROW_HEIGHT = 32  # px, as in ui/src/components/runs/RunsTableParts.tsx
FIRST_SHOT, SCROLLED_SHOT = "ui_runs_table_first_rows.png", "ui_runs_table_scrolled.png"

FIRST_ROW_SCRIPT = """
(() => {
  const stamp = () => {
    if (window.__firstRowAt === undefined && document.querySelector('[role="row"][data-run-id]'))
      window.__firstRowAt = performance.now();
  };
  new MutationObserver(stamp).observe(document, { childList: true, subtree: true });
})();
"""

SCROLL_SCRIPT = """
async ([targetRow, stepRows, rowHeight]) => {
  const el = document.querySelector('[data-testid="runs-table"]');
  const goal = targetRow * rowHeight;
  const longTasks = [];
  const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries()));
  observer.observe({ type: "longtask", buffered: false });
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const frames = [];
  let waits = 0, waitMs = 0;
  await frame();
  const t0 = performance.now();
  let last = t0;
  while (el.scrollTop < goal - 1) {
    const max = el.scrollHeight - el.clientHeight;
    if (el.scrollTop >= max - 1) {
      // At the end of the loaded rows: the table fetches the next page; wait for it.
      const w0 = performance.now();
      waits++;
      while (el.scrollHeight - el.clientHeight <= max + 1) {
        await frame();
        if (performance.now() - w0 > 60000) throw new Error("no more rows after 60 s");
      }
      waitMs += performance.now() - w0;
      last = performance.now();
    }
    el.scrollTop = Math.min(el.scrollTop + stepRows * rowHeight, goal);
    await frame();
    const now = performance.now();
    frames.push(now - last);
    last = now;
  }
  await frame();
  observer.disconnect();
  const rows = [...el.querySelectorAll('[role="row"][data-run-id]')];
  const top = el.querySelector('[role="row"]:not([data-run-id])').getBoundingClientRect().bottom;
  const visible = rows
    .filter((r) => r.getBoundingClientRect().bottom > top + 1)
    .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
  return {
    totalMs: performance.now() - t0,
    frames,
    waits,
    waitMs,
    longTasks: longTasks.map((t) => t.duration),
    domRows: rows.length,
    firstVisible: visible.length
      ? visible[0].querySelector('[data-column="name"] a').textContent
      : null,
    loaded: document.querySelector('[data-testid="runs-count"]').textContent,
  };
}
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time the web UI's runs table over many runs in Chromium.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--dir", help="tracking directory (default: a fresh temporary one)")
    parser.add_argument("--runs", type=int, default=100_000, help="runs in the experiment")
    parser.add_argument("--loads", type=int, default=5, help="timed page loads (first rows)")
    parser.add_argument("--scroll-rows", type=int, default=10_000, help="rows to scroll through")
    parser.add_argument("--step-rows", type=int, default=20, help="rows scrolled per frame")
    parser.add_argument("--screenshots", help="directory for screenshots (default: --dir)")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


# --- seeding ------------------------------------------------------------------------------------


def experiment_and_count(client: CairnClient) -> tuple[str, int]:
    experiment = client.get_experiment_by_name(EXPERIMENT)
    experiment_id = experiment.experiment_id if experiment else client.create_experiment(EXPERIMENT)
    engine = client.store.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        count = conn.execute(
            sa.select(sa.func.count())
            .select_from(t.runs)
            .where(t.runs.c.experiment_id == int(experiment_id))
        ).scalar_one()
    return experiment_id, int(count)


def _packed(value: float, ts: int) -> tuple[bytes, bytes, bytes]:
    return (
        np.array([0], dtype="<i8").tobytes(),
        np.array([ts], dtype="<i8").tobytes(),
        np.array([value], dtype="<f8").tobytes(),
    )


def seed(client: CairnClient, experiment_id: str, start: int, total: int, seed_: int) -> None:
    """Insert runs ``start..total-1`` in bulk, the rows create_run + log_batch would write."""
    experiment = client.get_experiment(experiment_id)
    engine = client.store.engine  # type: ignore[attr-defined]
    began = time.perf_counter()
    for lo in range(start, total, INSERT_BATCH):
        runs, params, tags, chunks, latest = [], [], [], [], []
        for i in range(lo, min(total, lo + INSERT_BATCH)):
            rng = random.Random(seed_ * 1_000_003 + i)
            run_id = uuid.UUID(int=rng.getrandbits(128)).hex
            ts = BASE_TS + i * 1000
            name = f"bench-{i:06d}"
            runs.append(
                {
                    "run_uuid": run_id,
                    "experiment_id": int(experiment_id),
                    "name": name,
                    "user_id": "bench",
                    "status": "FINISHED",
                    "start_time": ts,
                    "end_time": ts + rng.randrange(10_000, 3_600_000),
                    "deleted_time": None,
                    "lifecycle_stage": "active",
                    "artifact_uri": f"{experiment.artifact_location}/{run_id}/artifacts",
                }
            )
            for k in range(N_PARAMS):
                params.append(
                    {"run_uuid": run_id, "key": f"p{k}", "value": f"v{rng.randrange(10)}"}
                )
            for key, value in (
                ("mlflow.runName", name),
                ("mlflow.user", "bench"),
                ("mlflow.source.name", "train.py"),
                ("team", f"team-{rng.randrange(5)}"),
            ):
                tags.append({"run_uuid": run_id, "key": key, "value": value})
            for k in range(N_METRICS):
                value = rng.random()
                steps, stamps, values = _packed(value, ts)
                chunks.append(
                    {
                        "run_uuid": run_id,
                        "key": f"m{k}",
                        "point_count": 1,
                        "min_step": 0,
                        "max_step": 0,
                        "step_data": steps,
                        "timestamp_data": stamps,
                        "value_data": values,
                    }
                )
                latest.append(
                    {
                        "run_uuid": run_id,
                        "key": f"m{k}",
                        "value": value,
                        "timestamp": ts,
                        "step": 0,
                        "is_nan": False,
                    }
                )
        with engine.begin() as conn:
            conn.execute(t.runs.insert(), runs)
            conn.execute(t.params.insert(), params)
            conn.execute(t.tags.insert(), tags)
            conn.execute(t.metric_chunks.insert(), chunks)
            conn.execute(t.latest_metrics.insert(), latest)
        done = min(total, lo + INSERT_BATCH)
        elapsed = time.perf_counter() - began
        console.print(f"  seeded {done:,}/{total:,} runs ({elapsed:.0f} s)", end="\r")
    console.print()
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    # A sanity check through the public API: the newest run has its params and metrics.
    newest = client.search_runs([experiment_id], max_results=1).items[0]
    assert len(newest.data.params) == N_PARAMS and len(newest.data.metrics) == N_METRICS, newest
    assert newest.info.run_name == f"bench-{total - 1:06d}", newest.info.run_name


# --- browser ------------------------------------------------------------------------------------


def first_rows(browser: Any, url: str, shot: Path | None) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.add_init_script(FIRST_ROW_SCRIPT)
    page.goto(url)
    page.wait_for_function("window.__firstRowAt !== undefined", timeout=60_000)
    result = page.evaluate(
        """() => ({
          firstRow: window.__firstRowAt,
          api: performance.getEntriesByType("resource")
            .filter((e) => e.name.includes("/api/"))
            .map((e) => ({ name: new URL(e.name).pathname.split("/").slice(-2).join("/"),
                           start: e.startTime, end: e.responseEnd, bytes: e.encodedBodySize })),
        })"""
    )
    if shot:
        page.wait_for_timeout(300)
        page.screenshot(path=str(shot))
    context.close()
    return dict(result)


def scroll(browser: Any, url: str, args: argparse.Namespace, shot: Path | None) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector('[role="row"][data-run-id]', timeout=60_000)
    result = page.evaluate(SCROLL_SCRIPT, [args.scroll_rows, args.step_rows, ROW_HEIGHT])
    if shot:
        page.screenshot(path=str(shot))
    context.close()
    return dict(result)


def report_first_rows(loads: list[dict[str, Any]]) -> None:
    table = new_table(
        "Time to first rows (fresh browser context each load)",
        "load",
        "first row",
        "API calls before it",
    )
    for i, load in enumerate(loads, 1):
        calls = ", ".join(
            f"{c['name']} {c['start']:.0f}-{c['end']:.0f} ms ({c['bytes'] / 1024:.0f} KiB)"
            for c in load["api"]
            if c["start"] <= load["firstRow"]
        )
        table.add_row(str(i), f"{load['firstRow']:.0f} ms", calls)
    console.print(table)
    times = [load["firstRow"] for load in loads]
    console.print(
        f"first rows: median [bold]{statistics.median(times):.0f} ms[/bold], "
        f"best {min(times):.0f} ms, worst {max(times):.0f} ms (goal < 1000 ms)"
    )


def report_scroll(result: dict[str, Any], args: argparse.Namespace) -> None:
    frames = result["frames"]
    long_tasks = result["longTasks"]
    scrolling_ms = result["totalMs"] - result["waitMs"]
    table = new_table(
        f"Scrolling {args.scroll_rows:,} rows ({args.step_rows} rows per frame)", "measure", "value"
    )
    table.add_row("total time", fmt_duration(result["totalMs"] / 1000))
    table.add_row(
        "  of which waiting for pages",
        f"{fmt_duration(result['waitMs'] / 1000)} ({result['waits']} waits)",
    )
    table.add_row("  of which scrolling", fmt_duration(scrolling_ms / 1000))
    table.add_row(
        "frames", f"{len(frames):,} ({len(frames) / (scrolling_ms / 1000):.0f} fps while scrolling)"
    )
    table.add_row(
        "frame time p50 / p95 / max",
        f"{statistics.median(frames):.1f} / {percentile(frames, 95):.1f} / {max(frames):.1f} ms",
    )
    table.add_row("frames over 50 ms", str(sum(f > 50 for f in frames)))
    table.add_row(
        "long tasks (> 50 ms)",
        f"{len(long_tasks)} (total {sum(long_tasks):.0f} ms, "
        f"max {max(long_tasks, default=0):.0f} ms)",
    )
    table.add_row("rows in the DOM at the end", str(result["domRows"]))
    table.add_row("first visible row at the end", str(result["firstVisible"]))
    table.add_row("table footer", result["loaded"])
    console.print(table)


def main() -> int:
    args = parse_args()
    console.print(machine_line())
    root = data_dir(args.dir, "cairn-ui-bench-")
    shots = Path(args.screenshots) if args.screenshots else root
    shots.mkdir(parents=True, exist_ok=True)
    client = CairnClient(str(root))
    experiment_id, count = experiment_and_count(client)
    if count < args.runs:
        console.print(f"[bold]seeding {args.runs - count:,} runs[/bold] into {root}")
        began = time.perf_counter()
        seed(client, experiment_id, count, args.runs, args.seed)
        console.print(f"  seeded in {fmt_duration(time.perf_counter() - began)}")
    else:
        console.print(f"reusing {count:,} runs in {root}")
    close_stores()

    from playwright.sync_api import sync_playwright

    server = Server("cairn", root, workers=1)
    try:
        console.print(f"cairn server up in {server.start():.1f} s at {server.url}")
        url = f"{server.url}/#/experiments/{experiment_id}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            console.print(f"Chromium {browser.version}")
            first_rows(browser, url, None)  # warm the server's caches and the OS page cache
            loads = [
                first_rows(browser, url, shots / FIRST_SHOT if i == 0 else None)
                for i in range(args.loads)
            ]
            report_first_rows(loads)
            result = scroll(browser, url, args, shots / SCROLLED_SHOT)
            report_scroll(result, args)
            browser.close()
    finally:
        server.stop()
    first_shot, scrolled_shot = shots / FIRST_SHOT, shots / SCROLLED_SHOT
    console.print(f"screenshots: {first_shot}, {scrolled_shot}")
    expected = f"bench-{args.runs - 1 - args.scroll_rows:06d}"
    if result["firstVisible"] != expected:
        console.print(f"[red]expected row {expected} at the top after scrolling[/red]")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
