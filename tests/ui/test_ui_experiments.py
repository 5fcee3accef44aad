"""The experiments page: list, search, create, rename, delete and restore, tags, and opening
several experiments together."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Locator, Page, expect

from cairn.tracking.client import CairnClient

MARKUP = "<img src=x onerror=alert(1)>"


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _row(page: Page, name: str) -> Locator:
    return (
        page.get_by_test_id("experiments-table")
        .locator("tbody tr")
        .filter(has=page.get_by_role("link", name=name, exact=True))
    )


def _action(page: Page, name: str, action: str) -> None:
    page.get_by_role("button", name=f"Actions for {name}", exact=True).click()
    page.get_by_role("menuitem", name=action).click()


def _search(page: Page, text: str) -> None:
    page.get_by_label("Search experiments").fill(text)


def test_lists_experiments_and_searches_by_name(page: Page, client: CairnClient) -> None:
    token = uuid.uuid4().hex[:8]
    client.create_experiment(f"alpha-{token}")
    client.create_experiment(f"beta-{token}")
    page.goto("/#/experiments")

    expect(_row(page, f"alpha-{token}")).to_be_visible()
    _search(page, f"ALPHA-{token}")  # ILIKE: case does not matter

    expect(_row(page, f"alpha-{token}")).to_be_visible()
    expect(_row(page, f"beta-{token}")).to_have_count(0)
    expect(page).to_have_url(re.compile(rf"q=ALPHA-{token}"))


def test_create_and_rename_an_experiment(page: Page, client: CairnClient) -> None:
    name, renamed = _name("created"), _name("renamed")
    page.goto("/#/experiments")

    page.get_by_role("button", name="Create experiment").click()
    page.get_by_role("textbox", name="Name").fill(name)
    page.get_by_role("button", name="Create", exact=True).click()
    expect(_row(page, name)).to_be_visible()
    assert client.get_experiment_by_name(name) is not None

    _action(page, name, "Rename")
    page.get_by_role("textbox", name="Name").fill(renamed)
    page.get_by_role("button", name="Rename", exact=True).click()
    expect(_row(page, renamed)).to_be_visible()
    expect(_row(page, name)).to_have_count(0)
    assert client.get_experiment_by_name(renamed) is not None


def test_a_duplicate_name_shows_the_servers_message(page: Page, client: CairnClient) -> None:
    name = _name("dup")
    client.create_experiment(name)
    page.goto("/#/experiments")

    page.get_by_role("button", name="Create experiment").click()
    page.get_by_role("textbox", name="Name").fill(name)
    page.get_by_role("button", name="Create", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text(name)
    expect(page.get_by_role("dialog")).to_be_visible()


def test_delete_and_restore_an_experiment(page: Page, client: CairnClient) -> None:
    name = _name("doomed")
    experiment_id = client.create_experiment(name)
    page.goto("/#/experiments")
    _search(page, name)

    _action(page, name, "Delete")
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    expect(_row(page, name)).to_have_count(0)
    assert client.get_experiment(experiment_id).lifecycle_stage == "deleted"

    # The closing dialog's overlay takes clicks until it is gone, and the switch follows the
    # URL, which React Router updates in a transition: click, then wait for the new state.
    expect(page.get_by_role("dialog")).to_have_count(0)
    show_deleted = page.get_by_role("switch", name="Show deleted")
    show_deleted.click()
    expect(show_deleted).to_be_checked()
    expect(_row(page, name)).to_contain_text("deleted")
    _action(page, name, "Restore")
    expect(_row(page, name)).not_to_contain_text("deleted")
    assert client.get_experiment(experiment_id).lifecycle_stage == "active"


def test_edit_experiment_tags(page: Page, client: CairnClient) -> None:
    name = _name("tagged")
    experiment_id = client.create_experiment(name)
    page.goto("/#/experiments")
    _search(page, name)

    _action(page, name, "Tags")
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Key").fill("team")
    dialog.get_by_label("Value").fill("vision")
    dialog.get_by_role("button", name="Set tag").click()
    expect(dialog.get_by_role("cell", name="vision")).to_be_visible()
    assert client.get_experiment(experiment_id).tag_dict.get("team") == "vision"

    dialog.get_by_role("button", name="Remove tag team").click()
    expect(dialog.get_by_text("No tags yet.")).to_be_visible()
    page.keyboard.press("Escape")
    expect(_row(page, name)).not_to_contain_text("team: vision")


def test_open_several_experiments_together(page: Page, client: CairnClient) -> None:
    token = uuid.uuid4().hex[:8]
    first = client.create_experiment(f"pair-a-{token}")
    second = client.create_experiment(f"pair-b-{token}")
    client.create_run(first, run_name="run-in-a")
    client.create_run(second, run_name="run-in-b")
    page.goto("/#/experiments")
    _search(page, f"pair-%-{token}")

    page.get_by_label(f"Select experiment pair-a-{token}").check()
    page.get_by_label(f"Select experiment pair-b-{token}").check()
    page.get_by_role("button", name="Open selected (2)").click()

    expect(page).to_have_url(re.compile(rf"#/experiments/({first},{second}|{second},{first})$"))
    table = page.get_by_test_id("runs-table")
    expect(table.get_by_role("link", name="run-in-a")).to_be_visible()
    expect(table.get_by_role("link", name="run-in-b")).to_be_visible()


def test_an_experiment_name_with_markup_is_shown_as_text(page: Page, client: CairnClient) -> None:
    name = f"{MARKUP} {uuid.uuid4().hex[:6]}"
    client.create_experiment(name)
    page.goto("/#/experiments")
    _search(page, name)

    expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.get_by_test_id("experiments-table").locator("img")).to_have_count(0)
