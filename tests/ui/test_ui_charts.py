"""Metric charts: the canvas draws server-sampled series, settings live in the URL, and a zoom
fetches the zoomed step range again so a long history shows its real points."""

from __future__ import annotations

import base64
import re
import uuid

import numpy as np
from playwright.sync_api import Page, Request, expect

from cairn.entities import MetricSeries
from cairn.tracking.client import CairnClient

MARKUP = "<img src=x onerror=alert(1)>"
CHART = '[data-testid="metric-chart"]'
DRAWN = f'{CHART}[data-rendered="true"]'

# Pixels in the colour of the first run's line (#4269d0, and its anti-aliased neighbours) in
# the plot area of a chart's canvas: the axes and labels alone are grey.
_LINE_PIXELS = """(key) => {
  const canvas = document.querySelector(
    `[data-testid="metric-chart"][data-metric-key="${key}"] canvas`);
  if (!canvas || !canvas.width) return -1;
  const h = Math.floor(canvas.height * 0.8);
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, h).data;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
    if (a > 200 && b > 170 && r < 130 && g < 150) n++;
  }
  return n;
}"""


def _run(client: CairnClient, points: int = 5000, name: str = "chart-run") -> str:
    experiment_id = client.create_experiment(f"charts-{uuid.uuid4().hex[:10]}")
    run_id = client.create_run(experiment_id, run_name=name).info.run_id
    steps = np.arange(points, dtype=np.int64)
    stamps = 1_700_000_000_000 + steps * 1000
    loss = np.exp(-steps / (points / 4)) + 0.01
    loss[points // 3] = 50.0  # a spike the sampling must keep
    client.store.log_metric_series(
        run_id,
        [
            MetricSeries("loss", steps, stamps, loss),
            MetricSeries("accuracy", steps, stamps, 1 - loss / 2),
        ],
    )
    return run_id


def _open_charts(page: Page, run_id: str, query: str = "") -> None:
    page.goto(f"/#/runs/{run_id}?tab=metrics{query}")
    expect(page.locator(DRAWN)).to_have_count(2)


def test_each_metric_is_drawn_on_a_canvas(page: Page, client: CairnClient) -> None:
    run_id = _run(client)
    _open_charts(page, run_id)

    loss = page.locator(f'{CHART}[data-metric-key="loss"]')
    expect(loss).to_have_attribute("data-series-count", "1")
    # 5,000 points arrive as a min/max sample of at most 2 x 1,000 buckets + 2.
    assert 1000 <= int(loss.get_attribute("data-point-count") or 0) <= 2002
    assert page.evaluate(_LINE_PIXELS, "loss") > 100
    assert page.evaluate(_LINE_PIXELS, "accuracy") > 100


def test_the_spike_survives_sampling(page: Page, client: CairnClient) -> None:
    run_id = _run(client, points=20_000)
    with page.expect_response(re.compile(r"metrics/sampled.*metric_key=loss")) as answer:
        _open_charts(page, run_id)
    body = answer.value.json()["series"]
    assert body["count"] <= 2002
    values = np.frombuffer(base64.b64decode(body["values"]), "<f8")
    assert values.max() == 50.0


def test_settings_toggles_are_in_the_url(page: Page, client: CairnClient) -> None:
    run_id = _run(client)
    _open_charts(page, run_id)

    page.get_by_label("Log scale").click()
    expect(page).to_have_url(re.compile(r"chart_log=1"))

    page.get_by_role("textbox", name="Smoothing").click()
    page.get_by_role("option", name="Exponential (EMA)").click()
    expect(page).to_have_url(re.compile(r"chart_smooth=ema"))
    # The raw line stays, faint, behind the smoothed one.
    expect(page.locator(f'{CHART}[data-metric-key="loss"]')).to_have_attribute(
        "data-series-count", "2"
    )

    page.get_by_text("Relative time", exact=True).click()
    expect(page).to_have_url(re.compile(r"chart_x=relative"))
    expect(page.locator(DRAWN)).to_have_count(2)
    page.get_by_text("Wall time", exact=True).click()
    expect(page).to_have_url(re.compile(r"chart_x=time"))
    expect(page.locator(DRAWN)).to_have_count(2)
    assert page.evaluate(_LINE_PIXELS, "loss") > 100


def test_a_link_with_settings_opens_the_same_view(page: Page, client: CairnClient) -> None:
    run_id = _run(client)
    _open_charts(page, run_id, "&chart_log=1&chart_smooth=avg&chart_window=25&chart_x=relative")

    expect(page.get_by_label("Log scale")).to_be_checked()
    expect(page.get_by_role("textbox", name="Smoothing")).to_have_value("Running average")
    expect(page.get_by_label("Window (points)")).to_have_value("25")
    expect(page.get_by_label("Relative time")).to_be_checked()
    expect(page.locator(f'{CHART}[data-metric-key="loss"]')).to_have_attribute(
        "data-series-count", "2"
    )


def test_metric_filter_is_in_the_url(page: Page, client: CairnClient) -> None:
    run_id = _run(client)
    page.goto(f"/#/runs/{run_id}?tab=metrics&chart_filter=ACC")

    expect(page.locator(DRAWN)).to_have_count(1)
    expect(page.locator(DRAWN)).to_have_attribute("data-metric-key", "accuracy")
    page.get_by_label("Filter metrics").fill("")
    expect(page.locator(DRAWN)).to_have_count(2)
    expect(page).not_to_have_url(re.compile(r"chart_filter"))


def test_zoom_fetches_the_zoomed_step_range(page: Page, client: CairnClient) -> None:
    run_id = _run(client, points=50_000)
    _open_charts(page, run_id)
    chart = page.locator(f'{CHART}[data-metric-key="loss"]')
    box = chart.bounding_box()
    assert box is not None

    def zoomed(request: Request) -> bool:
        return "metrics/sampled" in request.url and "start_step=" in request.url

    with page.expect_request(zoomed) as request:
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        for _ in range(6):
            page.mouse.wheel(0, -400)
    url = request.value.url
    start = int(re.search(r"start_step=(\d+)", url).group(1))  # type: ignore[union-attr]
    end = int(re.search(r"end_step=(\d+)", url).group(1))  # type: ignore[union-attr]
    assert 0 <= start < end < 50_000 and end - start < 45_000
    expect(chart).to_have_attribute("data-zoomed", "true")
    # The window's detail (up to 2,002 points of its own) is spliced into the overview.
    page.wait_for_function(
        """() => Number(document.querySelector(
            '[data-testid="metric-chart"][data-metric-key="loss"]').dataset.pointCount) > 2002"""
    )


def test_run_names_in_legend_and_tooltip_are_text(page: Page, client: CairnClient) -> None:
    run_id = _run(client, points=200, name=MARKUP)
    _open_charts(page, run_id)
    chart = page.locator(f'{CHART}[data-metric-key="loss"]')
    box = chart.bounding_box()
    assert box is not None

    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tooltip = chart.locator("div").filter(has_text=MARKUP).last
    expect(tooltip).to_be_visible()
    assert chart.locator("img").count() == 0


def _experiment_of_runs(client: CairnClient) -> tuple[str, list[str]]:
    """Four runs of one experiment, two per learning rate, each with a loss curve."""
    experiment_id = client.create_experiment(f"charts-{uuid.uuid4().hex[:10]}")
    ids = []
    for i, lr in enumerate(["0.1", "0.1", "0.01", "0.01"]):
        run_id = client.create_run(experiment_id, run_name=f"run-{i}").info.run_id
        client.log_param(run_id, "lr", lr)
        steps = np.arange(300, dtype=np.int64)
        loss = np.exp(-steps / (50 + 40 * i)) + 0.01 * i
        client.store.log_metric_series(
            run_id, [MetricSeries("loss", steps, 1_700_000_000_000 + steps * 1000, loss)]
        )
        ids.append(run_id)
    return experiment_id, ids


def test_selected_runs_are_overlaid(page: Page, client: CairnClient) -> None:
    experiment_id, ids = _experiment_of_runs(client)
    page.goto(f"/#/experiments/{experiment_id}?tab=charts&sel={','.join(ids[:3])}")

    chart = page.locator(f'{DRAWN}[data-metric-key="loss"]')
    expect(chart).to_have_attribute("data-series-count", "3")
    expect(chart).to_have_attribute("data-point-count", "900")


def test_grouped_runs_are_drawn_as_mean_and_band(page: Page, client: CairnClient) -> None:
    experiment_id, ids = _experiment_of_runs(client)
    page.goto(f"/#/experiments/{experiment_id}?tab=charts&sel={','.join(ids)}&group=params.lr")

    # Per group: the mean line and the band (a polygon between min and max).
    chart = page.locator(f'{DRAWN}[data-metric-key="loss"]')
    expect(chart).to_have_attribute("data-series-count", "4")
    page.get_by_text("Std dev", exact=True).click()
    expect(page).to_have_url(re.compile(r"chart_band=std"))
    expect(chart).to_have_attribute("data-series-count", "4")
