"""The model registry pages: models list and search, model page actions, version lineage and
history. Data is seeded through the client under unique names; every change made in the UI is
checked back through the client."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from cairn.entities.dataset import Dataset, DatasetInput, InputTag
from cairn.errors import ResourceDoesNotExist
from cairn.tracking.client import CairnClient, close_stores
from live_server import LiveServer

MARKUP = "<img src=x onerror=alert(1)>"


def _name(prefix: str = "model") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _model(
    client: CairnClient,
    versions: int = 2,
    description: str | None = None,
    tags: dict[str, str] | None = None,
) -> str:
    name = _name()
    client.create_registered_model(name, tags=tags, description=description)
    for i in range(versions):
        client.create_model_version(name, f"s3://bucket/{name}/v{i + 1}")
    return name


@pytest.fixture
def alice(ui_server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[CairnClient]:
    """A client whose changes the audit history records as made by alice."""
    monkeypatch.setenv("CAIRN_TRACKING_USERNAME", "alice")
    yield CairnClient(ui_server.url)
    close_stores()


def _pick(page: Page, label: str, option: str) -> None:
    page.get_by_role("textbox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_models_list_shows_versions_and_aliases_and_searches_by_name(
    page: Page, client: CairnClient
) -> None:
    prefix = _name("list")
    for suffix in ("alpha", "beta"):
        client.create_registered_model(f"{prefix}-{suffix}")
    client.create_model_version(f"{prefix}-alpha", "s3://bucket/alpha")
    client.transition_model_version_stage(f"{prefix}-alpha", "1", "Production")
    client.set_registered_model_alias(f"{prefix}-alpha", "champion", "1")

    page.goto(f"/#/models?q={prefix}")
    rows = page.get_by_test_id("model-row")
    expect(rows).to_have_count(2)
    alpha = rows.filter(has_text=f"{prefix}-alpha")
    expect(alpha).to_contain_text("v1")
    expect(alpha).to_contain_text("Production")
    expect(alpha).to_contain_text("@champion → v1")

    page.get_by_label("Search models").fill(f"{prefix}-BE")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(f"{prefix}-beta")
    expect(page).to_have_url(re.compile(r"q=" + re.escape(prefix) + "-BE"))
    rows.first.get_by_role("link").click()
    expect(page.get_by_role("heading", name=f"{prefix}-beta")).to_be_visible()


def test_models_list_pages_on_the_server(page: Page, client: CairnClient) -> None:
    prefix = _name("paged")
    for i in range(27):
        client.create_registered_model(f"{prefix}-{i:02d}")

    page.goto(f"/#/models?q={prefix}")
    rows = page.get_by_test_id("model-row")
    expect(rows).to_have_count(25)
    page.get_by_role("button", name="Next page").click()
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(f"{prefix}-25")
    expect(page.get_by_role("button", name="Next page")).to_be_disabled()
    page.get_by_role("button", name="Previous page").click()
    expect(rows).to_have_count(25)


def test_create_model(page: Page, client: CairnClient) -> None:
    name = _name("created")
    page.goto("/#/models")
    page.get_by_role("button", name="Create model").click()
    page.get_by_label("Name").fill(name)
    page.get_by_label("Description (markdown)").fill("made in the **UI**")
    page.get_by_role("button", name="Create", exact=True).click()

    expect(page.get_by_role("heading", name=name)).to_be_visible()
    assert client.get_registered_model(name).description == "made in the **UI**"


def test_set_move_and_delete_an_alias(page: Page, client: CairnClient) -> None:
    name = _model(client, versions=2)
    page.goto(f"/#/models/{name}")

    page.get_by_role("textbox", name="Alias").fill("champion")
    _pick(page, "Version", "v1")
    page.get_by_role("button", name="Set alias").click()
    aliases = page.get_by_test_id("aliases")
    expect(aliases).to_contain_text("@champion → v1")
    assert client.get_model_version_by_alias(name, "champion").version == 1

    page.get_by_role("textbox", name="Alias").fill("champion")
    _pick(page, "Version", "v2")
    page.get_by_role("button", name="Move alias").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text('Move alias "champion" from v1 to v2')
    dialog.get_by_role("button", name="Move alias").click()
    expect(aliases).to_contain_text("@champion → v2")
    assert client.get_model_version_by_alias(name, "champion").version == 2
    expect(page.get_by_test_id("version-row-2")).to_contain_text("@champion")

    page.get_by_role("button", name="Delete alias champion").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete alias").click()
    expect(aliases).to_contain_text("No aliases.")
    assert client.get_registered_model(name).alias_dict == {}


def test_transition_stage_archiving_the_others(page: Page, client: CairnClient) -> None:
    name = _model(client, versions=2)
    client.transition_model_version_stage(name, "1", "Production")
    page.goto(f"/#/models/{name}")

    page.get_by_role("button", name="Change stage of v2").click()
    dialog = page.get_by_role("dialog")
    _pick(page, "New stage", "Production")
    dialog.get_by_label("Archive the versions now in Production").check()
    dialog.get_by_role("button", name="Change stage").click()

    expect(page.get_by_test_id("version-row-2")).to_contain_text("Production")
    expect(page.get_by_test_id("version-row-1")).to_contain_text("Archived")
    assert client.get_model_version(name, "2").current_stage.value == "Production"
    assert client.get_model_version(name, "1").current_stage.value == "Archived"
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("v1: stage Production → Archived (archived by v2)")


def test_delete_version_asks_first(page: Page, client: CairnClient) -> None:
    name = _model(client, versions=2)
    page.goto(f"/#/models/{name}")

    page.get_by_role("button", name="Delete version 2").click()
    page.get_by_role("dialog").get_by_role("button", name="Cancel").click()
    expect(page.get_by_test_id("version-row-2")).to_be_visible()
    assert client.get_model_version(name, "2").version == 2

    page.get_by_role("button", name="Delete version 2").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete version").click()
    expect(page.get_by_test_id("version-row-2")).to_have_count(0)
    expect(page.get_by_test_id("version-row-1")).to_be_visible()
    with pytest.raises(ResourceDoesNotExist):
        client.get_model_version(name, "2")


def test_edit_description_and_tags(page: Page, client: CairnClient) -> None:
    name = _model(client, versions=0)
    page.goto(f"/#/models/{name}")

    page.get_by_role("button", name="Edit description").click()
    page.get_by_label("Description (markdown)").fill("Predicts **churn** weekly.")
    page.get_by_role("button", name="Save description").click()
    expect(page.get_by_test_id("markdown").locator("strong")).to_have_text("churn")
    assert client.get_registered_model(name).description == "Predicts **churn** weekly."

    page.get_by_label("Tag key").fill("team")
    page.get_by_label("Tag value").fill("growth")
    page.get_by_role("button", name="Set tag").click()
    expect(page.get_by_test_id("tags-table")).to_contain_text("growth")
    assert client.get_registered_model(name).tag_dict == {"team": "growth"}


def test_rename_model(page: Page, client: CairnClient) -> None:
    name = _model(client, versions=1)
    new_name = f"{name}-renamed"
    page.goto(f"/#/models/{name}")
    page.get_by_role("button", name="Rename").click()
    page.get_by_label("New name").fill(new_name)
    page.get_by_role("dialog").get_by_role("button", name="Rename").click()

    expect(page.get_by_role("heading", name=new_name)).to_be_visible()
    expect(page.get_by_test_id("version-row-1")).to_be_visible()
    assert client.get_registered_model(new_name).name == new_name


def test_delete_model_needs_its_name_typed(page: Page, client: CairnClient) -> None:
    name = _model(client, versions=1)
    page.goto(f"/#/models/{name}")
    page.get_by_role("button", name="Delete model").click()
    dialog = page.get_by_role("dialog")
    confirm = dialog.get_by_role("button", name="Delete model")
    expect(confirm).to_be_disabled()
    dialog.get_by_label("Name to confirm").fill(name[:-1])
    expect(confirm).to_be_disabled()
    dialog.get_by_label("Name to confirm").fill(name)
    confirm.click()

    page.wait_for_url("**/#/models")
    with pytest.raises(ResourceDoesNotExist):
        client.get_registered_model(name)


def test_version_page_shows_lineage_and_history(page: Page, alice: CairnClient) -> None:
    experiment_id = alice.create_experiment(_name("lineage"))
    run = alice.create_run(
        experiment_id,
        run_name="train-wine",
        tags={"mlflow.source.git.commit": "0123abcd", "mlflow.source.name": "train.py"},
    )
    run_id = run.info.run_id
    alice.log_param(run_id, "learning_rate", "0.05")
    alice.log_metric(run_id, "rmse", 0.42)
    dataset = Dataset("wine", "d1g3st42", "local", "/data/wine.csv")
    alice.log_inputs(
        run_id, [DatasetInput(dataset, (InputTag("mlflow.data.context", "training"),))]
    )
    name = _name()
    alice.create_registered_model(name)
    alice.create_model_version(name, "s3://bucket/first")
    alice.create_model_version(name, f"runs:/{run_id}/model", run_id=run_id)
    alice.set_registered_model_alias(name, "champion", "1")
    alice.set_registered_model_alias(name, "champion", "2")
    alice.transition_model_version_stage(name, "2", "Staging")

    page.goto(f"/#/models/{name}/versions/2")
    lineage = page.get_by_test_id("lineage")
    expect(lineage.get_by_role("link", name="train-wine")).to_have_attribute(
        "href", f"#/runs/{run_id}"
    )
    expect(lineage.get_by_test_id("lineage-params")).to_contain_text("learning_rate")
    expect(lineage.get_by_test_id("lineage-params")).to_contain_text("0.05")
    expect(lineage.get_by_test_id("lineage-metrics")).to_contain_text("0.42")
    expect(lineage.get_by_test_id("lineage-datasets")).to_contain_text("d1g3st42")
    expect(lineage).to_contain_text("0123abcd")

    history = page.get_by_test_id("history")
    events = history.get_by_test_id("history-event")
    expect(events).to_have_count(3)
    expect(events.nth(0)).to_contain_text("stage None → Staging")
    expect(events.nth(1)).to_contain_text("alias champion: v1 → v2")
    expect(events.nth(1)).to_contain_text("by alice")
    expect(events.nth(2)).to_contain_text("version created from runs:/")


def test_version_page_actions(page: Page, client: CairnClient) -> None:
    name = _model(client, versions=2)
    client.set_registered_model_alias(name, "champion", "1")
    page.goto(f"/#/models/{name}/versions/2")

    page.get_by_role("textbox", name="Alias").fill("champion")
    page.get_by_role("button", name="Move alias").click()
    page.get_by_role("dialog").get_by_role("button", name="Move alias").click()
    expect(page.get_by_test_id("aliases")).to_contain_text("@champion → v2")
    assert client.get_model_version_by_alias(name, "champion").version == 2

    page.get_by_role("button", name="Change stage of v2").click()
    _pick(page, "New stage", "Staging")
    page.get_by_role("dialog").get_by_role("button", name="Change stage").click()
    expect(page.get_by_test_id("history")).to_contain_text("stage None → Staging")
    assert client.get_model_version(name, "2").current_stage.value == "Staging"

    page.get_by_role("button", name="Edit description").click()
    page.get_by_label("Description (markdown)").fill("Retrained on **May** data.")
    page.get_by_role("button", name="Save description").click()
    expect(page.get_by_test_id("markdown").locator("strong")).to_have_text("May")
    assert client.get_model_version(name, "2").description == "Retrained on **May** data."

    page.get_by_role("button", name="Delete version").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete version").click()
    page.wait_for_url(f"**/#/models/{name}")
    expect(page.get_by_test_id("version-row-2")).to_have_count(0)


def test_user_markup_shows_as_text(page: Page, client: CairnClient) -> None:
    name = _model(client, versions=1, description=f"**Note** {MARKUP}", tags={"html": MARKUP})
    client.update_model_version(name, "1", description=MARKUP)

    page.goto(f"/#/models/{name}")
    expect(page.get_by_test_id("markdown")).to_contain_text(MARKUP)
    expect(page.get_by_test_id("tags-table")).to_contain_text(MARKUP)
    expect(page.get_by_test_id("history")).to_contain_text(MARKUP)
    page.goto(f"/#/models/{name}/versions/1")
    expect(page.get_by_test_id("markdown")).to_contain_text(MARKUP)
    assert page.locator("img").count() == 0
