"""The runs table: paging, sorting, filtering (and a bad filter's message), columns, grouping,
selection with delete/restore and compare, CSV export, nested runs, live refresh, and user
text shown as text."""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from playwright.sync_api import Locator, Page, expect

from cairn.entities import Metric, Param, RunTag
from cairn.tracking.client import CairnClient

MARKUP = "<img src=x onerror=alert(1)>"
BASE_TS = 1_700_000_000_000


def _experiment(client: CairnClient, prefix: str = "runs") -> str:
    return client.create_experiment(f"{prefix}-{uuid.uuid4().hex[:10]}")


def _seed(
    client: CairnClient,
    experiment_id: str,
    count: int,
    *,
    finished: bool = True,
    optimizers: Sequence[str] = ("adam", "sgd"),
) -> list[str]:
    """``count`` runs named run-0000.. (newest first by start time), each with a loss metric
    (i / count), params lr and optimizer and a tag team; logged from a few threads."""

    def one(i: int) -> str:
        run = client.create_run(
            experiment_id, start_time=BASE_TS + i * 1000, run_name=f"run-{i:04d}"
        )
        run_id = run.info.run_id
        client.log_batch(
            run_id,
            metrics=[
                Metric("loss", i / count, BASE_TS, 0),
                Metric("acc", 1 - i / count, BASE_TS, 0),
            ],
            params=[
                Param("lr", f"0.{i % 10}"),
                Param("optimizer", optimizers[i % len(optimizers)]),
            ],
            tags=[RunTag("team", f"team-{i % 3}")],
        )
        if finished:
            client.set_terminated(run_id, "FINISHED", end_time=BASE_TS + i * 1000 + 90_000)
        return run_id

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(count)))


def _table(page: Page) -> Locator:
    return page.get_by_test_id("runs-table")


def _names(page: Page) -> list[str]:
    return _table(page).locator('[role="row"] [data-column="name"] a').all_inner_texts()


def _header(page: Page, column: str) -> Locator:
    return _table(page).locator(f'[role="columnheader"][data-column="{column}"]')


def _click_box(box: Locator, checked: bool = True) -> None:
    # Boxes whose state lives in the URL change once the URL does (Playwright's check() wants
    # the change at once).
    box.click()
    expect(box).to_be_checked(checked=checked)


def _select(page: Page, label: str) -> None:
    _click_box(page.get_by_label(label))


def _open(page: Page, experiment_id: str, query: str = "") -> None:
    page.goto(f"/#/experiments/{experiment_id}{'?' + query if query else ''}")
    expect(_table(page).locator('[role="row"][data-run-id]').first).to_be_visible()


def _apply_filter(page: Page, text: str) -> None:
    box = page.get_by_label("Filter runs")
    box.fill(text)
    box.press("Escape")
    box.press("Enter")


def test_runs_load_with_status_duration_user_and_source(page: Page, client: CairnClient) -> None:
    experiment_id = _experiment(client)
    run = client.create_run(
        experiment_id,
        start_time=BASE_TS,
        run_name="described",
        tags={"mlflow.user": "ada", "mlflow.source.name": "/home/ada/train.py"},
    )
    client.set_terminated(run.info.run_id, "FAILED", end_time=BASE_TS + 125_000)
    _open(page, experiment_id)

    row = _table(page).locator(f'[data-run-id="{run.info.run_id}"]')
    expect(row.locator('[data-column="status"]')).to_have_text("FAILED")
    expect(row.locator('[data-column="duration"]')).to_have_text("2m 05s")
    expect(row.locator('[data-column="user"]')).to_have_text("ada")
    expect(row.locator('[data-column="source"]')).to_have_text("train.py")
    row.get_by_role("link", name="described").click()
    expect(page).to_have_url(re.compile(rf"#/runs/{run.info.run_id}$"))


def test_sorting_by_a_column_header(page: Page, client: CairnClient) -> None:
    experiment_id = _experiment(client)
    _seed(client, experiment_id, 5)
    _open(page, experiment_id)
    assert _names(page) == ["run-0004", "run-0003", "run-0002", "run-0001", "run-0000"]

    _header(page, "metrics.loss").click()
    expect(page).to_have_url(re.compile(r"sort=metrics\.loss&dir=desc"))
    expect(_table(page).locator('[role="row"][data-run-id]').first).to_contain_text("run-0004")

    _header(page, "metrics.loss").click()
    expect(page).to_have_url(re.compile(r"dir=asc"))
    expect(_table(page).locator('[role="row"][data-run-id]').first).to_contain_text("run-0000")

    _header(page, "name").click()
    expect(page).to_have_url(re.compile(r"sort=attributes\.run_name&dir=asc"))
    expect(_header(page, "name")).to_have_attribute("aria-sort", "ascending")
    assert _names(page) == ["run-0000", "run-0001", "run-0002", "run-0003", "run-0004"]


def test_filtering_and_a_bad_filter(page: Page, client: CairnClient) -> None:
    experiment_id = _experiment(client)
    _seed(client, experiment_id, 10)
    _open(page, experiment_id)

    _apply_filter(page, "metrics.loss < 0.3 AND params.optimizer = 'adam'")
    expect(page.get_by_test_id("runs-count")).to_have_text("2 runs loaded")
    assert sorted(_names(page)) == ["run-0000", "run-0002"]
    expect(page).to_have_url(re.compile(r"filter=metrics\.loss"))

    _apply_filter(page, "metrics.loss <<< 1")
    expect(page.get_by_test_id("runs-error")).to_contain_text("Invalid filter at position")
    # The rows of the last good filter stay on screen.
    assert sorted(_names(page)) == ["run-0000", "run-0002"]

    page.get_by_role("button", name="Clear filter").click()
    expect(page.get_by_test_id("runs-error")).to_have_count(0)
    expect(page.get_by_test_id("runs-count")).to_have_text("10 runs loaded")


def test_filter_autocompletes_names(page: Page, client: CairnClient) -> None:
    experiment_id = _experiment(client)
    _seed(client, experiment_id, 2)
    _open(page, experiment_id)

    box = page.get_by_label("Filter runs")
    box.click()
    box.type("metrics.lo")
    page.get_by_role("option", name="loss").click()
    expect(box).to_have_value("metrics.loss ")
    box.type("< 0.4")
    box.press("Enter")
    expect(page.get_by_test_id("runs-count")).to_have_text("1 runs loaded")


_SCROLLED_TO_THE_END = """() => {
    const table = document.querySelector('[data-testid="runs-table"]');
    table.scrollTo(0, table.scrollHeight);
    const count = document.querySelector('[data-testid="runs-count"]').textContent;
    const links = [...table.querySelectorAll("a")];
    return count === "600 runs loaded" && links.some((a) => a.textContent === "run-0000");
}"""


def test_paging_through_more_than_one_page(page: Page, client: CairnClient) -> None:
    experiment_id = _experiment(client, "paging")
    _seed(client, experiment_id, 600)
    _open(page, experiment_id)
    expect(page.get_by_test_id("runs-count")).to_have_text("200 runs loaded — scroll for more")
    # Only the visible rows are in the page, not all that were loaded.
    assert _table(page).locator('[role="row"][data-run-id]').count() < 80

    # Each page that arrives makes the table taller, so keep scrolling to the bottom until the
    # last page is in and its last row is drawn.
    page.wait_for_function(_SCROLLED_TO_THE_END, polling=100, timeout=20_000)
    expect(page.get_by_test_id("runs-count")).to_have_text("600 runs loaded")
    expect(_table(page).get_by_role("link", name="run-0000", exact=True)).to_be_visible()


def test_column_chooser_and_pinning(page: Page, client: CairnClient) -> None:
    experiment_id = _experiment(client)
    _seed(client, experiment_id, 3)
    _open(page, experiment_id)
    expect(_header(page, "metrics.acc")).to_be_visible()
    expect(_header(page, "tags.team")).to_have_count(0)

    page.get_by_role("button", name=re.compile(r"^Columns")).click()
    _click_box(page.get_by_role("checkbox", name="acc", exact=True), checked=False)
    _click_box(page.get_by_role("checkbox", name="team", exact=True))
    page.get_by_role("button", name="Pin optimizer").click()
    page.keyboard.press("Escape")

    expect(_header(page, "metrics.acc")).to_have_count(0)
    expect(_header(page, "tags.team")).to_be_visible()
    expect(page).to_have_url(re.compile(r"cols=.*tags\.team"))
    expect(page).to_have_url(re.compile(r"pin=params\.optimizer"))
    pinned = _header(page, "params.optimizer")
    assert pinned.evaluate("el => getComputedStyle(el).position") == "sticky"
    # The pinned column comes right after the name column.
    columns = (
        _table(page)
        .locator('[role="columnheader"]')
        .evaluate_all("els => els.map(e => e.dataset.column)")
    )
    assert columns[:3] == ["select", "name", "params.optimizer"]


def test_grouping_by_a_param(page: Page, client: CairnClient) -> None:
    experiment_id = _experiment(client)
    _seed(client, experiment_id, 9, optimizers=("adam", "sgd", "adam"))
    _open(page, experiment_id)

    page.get_by_role("textbox", name="Group by").click()
    page.get_by_role("option", name="optimizer").click()
    expect(page).to_have_url(re.compile(r"group=params\.optimizer"))

    groups = page.get_by_test_id("groups-table")
    adam = groups.locator('tr[data-group="adam"]')
    expect(adam).to_contain_text("6")
    expect(groups.locator('tr[data-group="sgd"]')).to_contain_text("3")
    # mean of loss over the adam runs (i = 0, 2, 3, 5, 6, 8 of 9)
    expect(adam).to_contain_text("0.4444")

    page.get_by_role("button", name="Expand group sgd").click()
    inner = groups.get_by_test_id("runs-table")
    expect(inner.locator('[role="row"][data-run-id]')).to_have_count(3)
    assert sorted(inner.locator('[data-column="name"] a').all_inner_texts()) == [
        "run-0001",
        "run-0004",
        "run-0007",
    ]


def test_select_delete_and_restore(page: Page, client: CairnClient) -> None:
    experiment_id = _experiment(client)
    ids = _seed(client, experiment_id, 4)
    _open(page, experiment_id)

    _select(page, "Select run run-0001")
    _select(page, "Select run run-0002")
    expect(page).to_have_url(re.compile(r"sel="))
    actions = page.get_by_test_id("run-actions")
    expect(actions).to_contain_text("2 selected")
    actions.get_by_role("button", name="Delete").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()

    expect(page.get_by_test_id("runs-count")).to_have_text("2 runs loaded")
    assert client.get_run(ids[1]).info.lifecycle_stage == "deleted"

    page.get_by_text("Deleted", exact=True).click()
    expect(page.get_by_test_id("runs-count")).to_have_text("2 runs loaded")
    _select(page, "Select all loaded runs")
    page.get_by_test_id("run-actions").get_by_role("button", name="Restore").click()
    page.get_by_role("dialog").get_by_role("button", name="Restore").click()
    expect(page.get_by_test_id("runs-count")).to_have_text("0 runs loaded")
    assert client.get_run(ids[1]).info.lifecycle_stage == "active"

    page.get_by_text("Active", exact=True).click()
    expect(page.get_by_test_id("runs-count")).to_have_text("4 runs loaded")


def test_selection_is_in_the_url_and_compare_opens(page: Page, client: CairnClient) -> None:
    experiment_id = _experiment(client)
    ids = _seed(client, experiment_id, 3)
    _open(page, experiment_id, f"sel={ids[0]},{ids[2]}")

    expect(page.get_by_label("Select run run-0000")).to_be_checked()
    expect(page.get_by_label("Select run run-0001")).not_to_be_checked()
    page.get_by_test_id("run-actions").get_by_role("button", name="Compare").click()
    expect(page).to_have_url(re.compile(r"#/compare\?runs="))
    assert set(page.url.split("runs=")[1].split(",")) == {ids[0], ids[2]}


def test_csv_export_of_the_current_view(page: Page, client: CairnClient) -> None:
    experiment_id = _experiment(client)
    _seed(client, experiment_id, 6)
    formula = client.create_run(experiment_id, start_time=BASE_TS, run_name="=1+2")
    client.log_param(formula.info.run_id, "optimizer", "@SUM(A1)")
    _open(page, experiment_id, "cols=metrics.loss,params.optimizer")
    _apply_filter(page, "params.optimizer != 'sgd'")
    expect(page.get_by_test_id("runs-count")).to_have_text("4 runs loaded")

    with page.expect_download() as info:
        page.get_by_role("button", name="Export CSV").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))

    assert len(rows) == 4
    assert {"name", "status", "metrics.loss", "params.optimizer"} <= set(rows[0])
    assert "metrics.acc" not in rows[0]
    by_name = {row["name"]: row for row in rows}
    assert by_name["run-0004"]["metrics.loss"] == "0.6666666666666666"
    # Formula-safe: text a spreadsheet would run is prefixed with a quote.
    assert by_name["'=1+2"]["params.optimizer"] == "'@SUM(A1)"


def test_nested_runs_expand_under_their_parent(page: Page, client: CairnClient) -> None:
    experiment_id = _experiment(client)
    parent = client.create_run(experiment_id, start_time=BASE_TS, run_name="sweep")
    for i in range(3):
        client.create_run(
            experiment_id,
            start_time=BASE_TS + 10 + i,
            run_name=f"trial-{i}",
            tags={"mlflow.parentRunId": parent.info.run_id},
        )
    client.create_run(experiment_id, start_time=BASE_TS + 100, run_name="solo")
    _open(page, experiment_id)

    assert _names(page) == ["solo", "sweep"]
    page.get_by_role("button", name="Expand 3 child runs").click()
    expect(_table(page).get_by_role("link", name="trial-0")).to_be_visible()
    assert _names(page) == ["solo", "sweep", "trial-2", "trial-1", "trial-0"]

    page.get_by_role("button", name="Collapse 3 child runs").click()
    expect(_table(page).get_by_role("link", name="trial-0")).to_have_count(0)
    # A filter lists every matching run, children included, without nesting.
    _apply_filter(page, "attributes.run_name LIKE 'trial-%'")
    expect(page.get_by_test_id("runs-count")).to_have_text("3 runs loaded")


def test_live_refresh_while_a_run_is_running(page: Page, client: CairnClient) -> None:
    experiment_id = _experiment(client)
    run = client.create_run(experiment_id, run_name="training")
    _open(page, experiment_id)
    status = _table(page).locator(f'[data-run-id="{run.info.run_id}"] [data-column="status"]')
    expect(status).to_have_text("RUNNING")

    client.set_terminated(run.info.run_id, "FINISHED")
    expect(status).to_have_text("FINISHED", timeout=15_000)


def test_a_run_name_with_markup_is_shown_as_text(page: Page, client: CairnClient) -> None:
    experiment_id = _experiment(client)
    client.create_run(experiment_id, run_name=MARKUP)
    _open(page, experiment_id)

    expect(_table(page).get_by_role("link", name=MARKUP, exact=True)).to_be_visible()
    expect(_table(page).locator("img")).to_have_count(0)


def test_charts_tab_is_in_the_url(page: Page, client: CairnClient) -> None:
    experiment_id = _experiment(client)
    _seed(client, experiment_id, 2)
    _open(page, experiment_id)

    page.get_by_role("tab", name="Charts").click()
    expect(page).to_have_url(re.compile(r"tab=charts"))
    page.reload()
    expect(page.get_by_role("tab", name="Charts")).to_have_attribute("aria-selected", "true")
