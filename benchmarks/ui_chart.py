"""Time for the web UI to draw a 1M-point metric, in a real Chromium against ``cairn server``.

One run gets a 1,000,000-point metric (logged in one request through cairn's native
``runs/log-series`` endpoint). The script then opens the run's metric charts in Debian's
Chromium (driven by Playwright) and measures:

* **page → chart**: navigation start to the chart's first drawn frame with data (the chart
  container's ``data-rendered-at``, set on ECharts' ``finished`` event), cold (fresh browser
  context, nothing cached) and warm (reload, assets cached);
* **tab → chart**: a click on the "Metric charts" tab of a loaded run page to the drawn chart
  (the sampled fetch, decoding and drawing only);
* the ``metrics/sampled`` request itself (server-side min/max sampling of 1M points to
  ~2,000, as the browser saw it), and direct HTTP calls to it for comparison;
* **zoom detail**: a wheel zoom's re-fetch of the zoomed step range.

Goal: the chart drawn in under 1 s. Example::

    .venv/bin/python benchmarks/ui_chart.py
    .venv/bin/python benchmarks/ui_chart.py --points 1000000 --repeats 5 --screenshot /tmp/c.png
"""

from __future__ import annotations

import argparse
import statistics
import time
import urllib.request
from pathlib import Path

import numpy as np
from _common import console, fmt_duration, machine_line, new_table
from _servers import Server, install_interrupt_handlers, run_main, scratch_dir
from playwright.sync_api import Browser, Page, sync_playwright

from cairn.entities import MetricSeries
from cairn.tracking.client import CairnClient

CHROMIUM = "/usr/bin/chromium"
DRAWN = '[data-testid="metric-chart"][data-rendered="true"]'
GOAL_S = 1.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time the web UI's chart of a 1M-point metric in Chromium.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--points", type=int, default=1_000_000, help="points of the metric")
    parser.add_argument("--repeats", type=int, default=5, help="timed loads per measurement")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--chromium", default=CHROMIUM, help="Chromium executable")
    parser.add_argument("--screenshot", help="save a screenshot of the drawn chart here")
    parser.add_argument("--keep", action="store_true", help="keep the server's data directory")
    return parser.parse_args()


def seed(url: str, points: int) -> tuple[str, float]:
    """One run with a ``points``-long noisy loss curve and a few spikes; (run id, seconds)."""
    client = CairnClient(url)
    experiment_id = client.create_experiment("ui-chart-benchmark")
    run_id = client.create_run(experiment_id, run_name="one-million-points").info.run_id
    rng = np.random.default_rng(0)
    steps = np.arange(points, dtype=np.int64)
    stamps = 1_700_000_000_000 + steps * 50
    values = np.exp(-steps / (points / 5)) + 0.02 * rng.standard_normal(points)
    values[rng.integers(0, points, 5)] += 3.0  # spikes the sampling must keep
    started = time.perf_counter()
    client.store.log_metric_series(run_id, [MetricSeries("loss", steps, stamps, values)])
    return run_id, time.perf_counter() - started


def sampled_timing(page: Page) -> tuple[float, int]:
    """(duration in s, transfer bytes) of the page's last overview ``metrics/sampled`` fetch."""
    entry = page.evaluate(
        """() => performance.getEntriesByType("resource")
              .filter(e => e.name.includes("metrics/sampled") && e.name.includes("buckets=1000")
                           && !e.name.includes("start_step"))
              .map(e => [e.duration, e.transferSize || e.encodedBodySize]).pop()"""
    )
    return (entry[0] / 1000, int(entry[1])) if entry else (float("nan"), 0)


_WATERFALL = """() => {
  const pick = (part) => performance.getEntriesByType("resource")
    .filter((e) => e.name.includes(part)).map((e) => [e.startTime, e.responseEnd])[0];
  const nav = performance.getEntriesByType("navigation")[0];
  return {
    "app script parsed (DOMContentLoaded)": [0, nav.domContentLoadedEventEnd],
    "run page code": pick("/assets/RunPage-"),
    "runs/get": pick("runs/get"),
    "chart code (ECharts)": pick("/assets/installCanvasRenderer-"),
    "metrics/sampled": pick("metrics/sampled"),
  };
}"""


def waterfall(page: Page) -> list[tuple[str, float, float]]:
    """(step, start ms, end ms) of one page load, navigation start = 0."""
    spans = page.evaluate(_WATERFALL)
    out = [(name, span[0], span[1]) for name, span in spans.items() if span]
    drawn = float(page.get_attribute(DRAWN, "data-rendered-at") or "nan")
    return [*out, ("chart drawn", drawn, drawn)]


def load_chart(page: Page, url: str, run_id: str, reload: bool = False) -> float:
    """Seconds from navigation start to the drawn chart."""
    if reload:
        page.reload()
    else:
        page.goto(f"{url}/#/runs/{run_id}?tab=metrics")
    page.wait_for_selector(DRAWN, timeout=60_000)
    return float(page.get_attribute(DRAWN, "data-rendered-at") or "nan") / 1000


def tab_to_chart(page: Page, url: str, run_id: str) -> float:
    """Seconds from a click on the charts tab of a loaded run page to the drawn chart."""
    page.goto(f"{url}/#/runs/{run_id}")
    page.get_by_role("tab", name="Metric charts").wait_for()
    page.wait_for_load_state("networkidle")
    clicked = float(page.evaluate("performance.now()"))
    page.get_by_role("tab", name="Metric charts").click()
    page.wait_for_selector(DRAWN, timeout=60_000)
    drawn = float(page.get_attribute(DRAWN, "data-rendered-at") or "nan")
    return (drawn - clicked) / 1000


def zoom_detail(page: Page) -> tuple[float, int]:
    """A wheel zoom on the chart: (seconds of the detail fetch, points drawn after it)."""
    box = page.locator(DRAWN).bounding_box()
    assert box is not None
    with page.expect_response(lambda r: "start_step=" in r.url, timeout=30_000) as answer:
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        for _ in range(8):
            page.mouse.wheel(0, -400)
    answer.value.finished()
    timing = answer.value.request.timing
    page.wait_for_timeout(300)
    points = int(page.get_attribute(DRAWN, "data-point-count") or 0)
    return (timing["responseEnd"] - timing["requestStart"]) / 1000, points


def direct_sampled(url: str, run_id: str, repeats: int) -> list[float]:
    out = []
    query = f"run_id={run_id}&metric_key=loss&buckets=1000"
    for _ in range(repeats):
        started = time.perf_counter()
        with urllib.request.urlopen(f"{url}/api/2.0/cairn/metrics/sampled?{query}") as answer:
            answer.read()
        out.append(time.perf_counter() - started)
    return out


def measure(browser: Browser, url: str, run_id: str, args: argparse.Namespace) -> None:
    cold, warm, tab, fetches = [], [], [], []
    sizes = 0
    for _ in range(args.repeats):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        cold.append(load_chart(page, url, run_id))
        fetch, sizes = sampled_timing(page)
        fetches.append(fetch)
        warm.append(load_chart(page, url, run_id, reload=True))
        tab.append(tab_to_chart(page, url, run_id))
        context.close()

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    load_chart(page, url, run_id)
    steps = waterfall(page)
    overview_points = int(page.get_attribute(DRAWN, "data-point-count") or 0)
    if args.screenshot:
        page.locator('[data-testid="metric-chart"]').screenshot(path=args.screenshot)
    zoom_s, zoom_points = zoom_detail(page)
    context.close()

    direct = direct_sampled(url, run_id, args.repeats)
    table = new_table(
        f"1 run, {args.points:,}-point metric; {args.repeats} repeats (median / min / max)",
        "measurement",
        "median",
        "min",
        "max",
        "goal",
    )

    def row(name: str, values: list[float], goal: str = "") -> None:
        table.add_row(
            name,
            fmt_duration(statistics.median(values)),
            fmt_duration(min(values)),
            fmt_duration(max(values)),
            goal,
        )

    row("page → chart drawn (cold: fresh context)", cold, f"< {GOAL_S:.0f} s")
    row("page → chart drawn (warm: reload)", warm, f"< {GOAL_S:.0f} s")
    row("charts tab click → chart drawn", tab, f"< {GOAL_S:.0f} s")
    row("metrics/sampled in the browser", fetches)
    row("metrics/sampled, direct HTTP", direct)
    console.print(table)
    flow = new_table("one cold load, ms since navigation start", "step", "start", "end")
    for name, start, end in steps:
        flow.add_row(name, f"{start:.0f}", f"{end:.0f}")
    console.print(flow)
    console.print(
        f"overview: {overview_points:,} points drawn of {args.points:,} "
        f"({sizes / 1024:.0f} KiB sampled answer); zoom detail fetch {fmt_duration(zoom_s)}, "
        f"{zoom_points:,} points drawn after the zoom"
    )
    verdict = "met" if statistics.median(cold) < GOAL_S else "NOT met"
    console.print(f"goal (chart drawn < {GOAL_S:.0f} s from navigation, cold): {verdict}")


def main() -> int:
    args = parse_args()
    install_interrupt_handlers()
    console.print(machine_line())
    if not Path(args.chromium).exists():
        console.print(f"No Chromium at {args.chromium} (apt-get install chromium).")
        return 1
    with scratch_dir("cairn-ui-chart-", args.keep) as base:
        root = base / "cairn"
        root.mkdir()
        server = Server("cairn", root, args.workers)
        try:
            console.print(f"cairn server up in {fmt_duration(server.start())}")
            run_id, seconds = seed(server.url, args.points)
            console.print(
                f"logged {args.points:,} points in one log-series request: {fmt_duration(seconds)}"
            )
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=args.chromium, args=["--no-sandbox"]
                )
                try:
                    measure(browser, server.url, run_id, args)
                finally:
                    browser.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    run_main(main)
