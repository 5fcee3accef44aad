"""The compare page: params side by side with differences highlighted, metrics with the best
run marked, and the parallel-coordinates and scatter plots drawn on their canvases."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Locator, Page, expect

from cairn.tracking.client import CairnClient

MARKUP = "<img src=x onerror=alert(1)>"

# Pixels with any opacity on the plot's canvas: an empty chart leaves it transparent.
_PAINTED = """(testId) => {
  const canvas = document.querySelector(`[data-testid="${testId}"] canvas`);
  if (!canvas || !canvas.width) return 0;
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
  return painted;
}"""


def _runs(client: CairnClient, names: tuple[str, ...] = ("a", "b", "c")) -> list[str]:
    experiment_id = client.create_experiment(f"compare-{uuid.uuid4().hex[:10]}")
    seeds = [
        ({"lr": "0.1", "optimizer": "adam", "layers": "3"}, {"loss": 0.5, "accuracy": 0.81}),
        ({"lr": "0.01", "optimizer": "sgd", "layers": "3"}, {"loss": 0.2, "accuracy": 0.93}),
        ({"lr": "0.001", "optimizer": "adam", "layers": "3"}, {"loss": 0.35, "accuracy": 0.88}),
    ]
    ids = []
    for name, (params, metrics) in zip(names, seeds, strict=False):
        run_id = client.create_run(experiment_id, run_name=name).info.run_id
        for key, value in params.items():
            client.log_param(run_id, key, value)
        for key, number in metrics.items():
            client.log_metric(run_id, key, number)
        ids.append(run_id)
    return ids


def _row(page: Page, table: str, key: str) -> Locator:
    return (
        page.get_by_test_id(table).locator("tbody tr").filter(has=page.get_by_text(key, exact=True))
    )


def test_params_differences_are_highlighted_and_can_be_isolated(
    page: Page, client: CairnClient
) -> None:
    ids = _runs(client)
    page.goto(f"/#/compare?runs={','.join(ids)}")

    expect(page.get_by_role("heading", name="Comparing 3 runs")).to_be_visible()
    expect(_row(page, "params-table", "lr")).to_have_attribute("data-differs", "true")
    expect(_row(page, "params-table", "optimizer")).to_have_attribute("data-differs", "true")
    expect(_row(page, "params-table", "layers")).to_have_attribute("data-differs", "false")
    header = page.get_by_test_id("params-table").locator("thead")
    expect(header.get_by_role("link", name="b")).to_have_attribute("href", f"#/runs/{ids[1]}")

    page.get_by_label("Only differences").click()
    expect(_row(page, "params-table", "layers")).to_have_count(0)
    expect(_row(page, "params-table", "lr")).to_be_visible()
    expect(page).to_have_url(re.compile(r"diff=1"))

    page.reload()
    expect(_row(page, "params-table", "layers")).to_have_count(0)


def test_metrics_table_marks_the_best_run(page: Page, client: CairnClient) -> None:
    ids = _runs(client)
    page.goto(f"/#/compare?runs={','.join(ids)}")

    loss = _row(page, "metrics-table", "loss").locator("td")
    expect(loss.nth(2)).to_have_text("0.2")
    expect(loss.nth(2)).to_have_attribute("data-best", "true")
    expect(loss.nth(1)).to_have_attribute("data-best", "false")
    accuracy = _row(page, "metrics-table", "accuracy").locator("td")
    expect(accuracy.nth(2)).to_have_attribute("data-best", "true")

    # "lower is better" flipped for loss: the highest loss is now the best
    page.get_by_role("button", name="loss: lower is better").click()
    expect(loss.nth(1)).to_have_attribute("data-best", "true")
    expect(page).to_have_url(re.compile(r"flip=loss"))


def test_parallel_coordinates_and_scatter_draw(page: Page, client: CairnClient) -> None:
    ids = _runs(client)
    page.goto(f"/#/compare?runs={','.join(ids)}&color=metric:loss")

    for plot in ("parallel-plot", "scatter-plot"):
        expect(page.get_by_test_id(plot).locator("canvas")).to_have_count(1)
        page.wait_for_function(f"({_PAINTED})('{plot}') > 500")

    page.get_by_role("textbox", name="X axis").click()
    page.get_by_role("option", name="optimizer", exact=True).click()
    expect(page).to_have_url(re.compile(r"x=param%3Aoptimizer"))
    page.get_by_role("textbox", name="Y axis").click()
    page.get_by_role("option", name="loss", exact=True).click()
    expect(page).to_have_url(re.compile(r"y=metric%3Aloss"))
    page.wait_for_function(f"({_PAINTED})('scatter-plot') > 500")
    expect(page.get_by_role("textbox", name="Color by")).to_have_value("loss")


def test_removing_a_run_and_markup_in_run_names(page: Page, client: CairnClient) -> None:
    ids = _runs(client, names=("plain", MARKUP))
    page.goto(f"/#/compare?runs={','.join(ids)}")

    header = page.get_by_test_id("params-table").locator("thead")
    expect(header).to_contain_text(MARKUP)
    assert page.locator("img").count() == 0
    page.get_by_role("button", name="Remove plain from the comparison").click()
    expect(page.get_by_role("heading", name="Comparing 1 run")).to_be_visible()
    expect(page).to_have_url(re.compile(r"runs=" + ids[1] + r"(&|$)"))


def test_no_runs_explains_how_to_compare(page: Page) -> None:
    page.goto("/#/compare")
    expect(page.get_by_text("No runs selected.")).to_be_visible()


def test_unknown_runs_are_reported_not_fatal(page: Page, client: CairnClient) -> None:
    ids = _runs(client, names=("only",))
    page.goto(f"/#/compare?runs={ids[0]},{'0' * 32}")

    expect(page.get_by_role("heading", name="Comparing 1 run")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("0" * 32)
