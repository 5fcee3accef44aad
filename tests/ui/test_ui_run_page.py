"""The run page: overview, params, latest metrics with sparklines, editable tags and
description, datasets, logged models; user strings always shown as text."""

from __future__ import annotations

import json
import re
import uuid

from playwright.sync_api import Page, expect

from cairn.entities import Dataset
from cairn.tracking.client import CairnClient

MARKUP = "<img src=x onerror=alert(1)>"


def _experiment(client: CairnClient) -> str:
    return client.create_experiment(f"run-page-{uuid.uuid4().hex[:10]}")


def _rich_run(client: CairnClient) -> tuple[str, str, str]:
    """A finished run with params, metric histories, tags, a dataset, a model and a child."""
    experiment_id = _experiment(client)
    run = client.create_run(
        experiment_id,
        run_name="baseline",
        tags={
            "mlflow.user": "alice",
            "mlflow.source.name": "train.py",
            "mlflow.source.type": "LOCAL",
            "mlflow.source.git.commit": "0123456789abcdef0123456789abcdef01234567",
            "team": "vision",
        },
    )
    run_id = run.info.run_id
    client.log_param(run_id, "lr", "0.01")
    client.log_param(run_id, "optimizer", "adam")
    for step in range(20):
        client.log_metric(run_id, "loss", 1.0 / (step + 1), step=step)
    client.log_metric(run_id, "accuracy", 0.93, step=19)
    client.log_input(
        run_id,
        Dataset(
            name="mnist-train",
            digest="d1g35t",
            source_type="local",
            source="/data/mnist/train.csv",
            profile=json.dumps({"num_rows": 60000}),
        ),
        context="training",
    )
    client.create_logged_model(experiment_id, name="classifier", source_run_id=run_id)
    child = client.create_run(
        experiment_id, run_name="fold-1", tags={"mlflow.parentRunId": run_id}
    ).info.run_id
    client.set_terminated(run_id, "FINISHED")
    return experiment_id, run_id, child


def test_every_section_loads(page: Page, client: CairnClient) -> None:
    _, run_id, child = _rich_run(client)
    page.goto(f"/#/runs/{run_id}")

    expect(page.get_by_test_id("run-name")).to_have_text("baseline")
    details = page.get_by_test_id("run-details")
    expect(details).to_contain_text("FINISHED")
    expect(details).to_contain_text("alice")
    expect(details).to_contain_text("train.py (LOCAL)")
    expect(details).to_contain_text("0123456789ab")
    expect(details.get_by_role("link", name="fold-1")).to_be_visible()

    params = page.get_by_test_id("run-params")
    expect(params).to_contain_text("lr")
    expect(params).to_contain_text("0.01")
    expect(params).to_contain_text("adam")

    metrics = page.get_by_test_id("run-metrics")
    expect(metrics.locator("tr").filter(has_text="loss")).to_contain_text("0.05")
    expect(metrics.get_by_test_id("sparkline")).to_have_count(2)
    expect(metrics.get_by_test_id("sparkline").first).to_have_attribute(
        "data-points", re.compile(r"^[1-9]\d*$")
    )

    datasets = page.get_by_test_id("run-datasets")
    expect(datasets).to_contain_text("mnist-train")
    expect(datasets).to_contain_text("d1g35t")
    expect(datasets).to_contain_text("training")
    expect(datasets).to_contain_text("/data/mnist/train.csv")
    expect(datasets).to_contain_text("num rows: 60000")

    expect(page.get_by_test_id("logged-model")).to_contain_text("classifier")

    # The child links back to its parent.
    details.get_by_role("link", name="fold-1").click()
    expect(page.get_by_test_id("run-name")).to_have_text("fold-1")
    expect(page.get_by_test_id("run-details").get_by_role("link", name="baseline")).to_be_visible()
    assert child in page.url


def test_tags_are_added_edited_and_deleted(page: Page, client: CairnClient) -> None:
    _, run_id, _ = _rich_run(client)
    page.goto(f"/#/runs/{run_id}")
    tags = page.get_by_test_id("run-tags")

    tags.get_by_label("New tag key").fill("stage")
    tags.get_by_label("New tag value").fill("candidate")
    tags.get_by_role("button", name="Add tag").click()
    expect(tags.locator('[data-tag-key="stage"]')).to_contain_text("candidate")
    assert client.get_run(run_id).data.tag_dict["stage"] == "candidate"

    tags.get_by_role("button", name="Edit tag team").click()
    tags.get_by_label("Value of tag team").fill("robotics")
    tags.get_by_role("button", name="Save").click()
    expect(tags.locator('[data-tag-key="team"]')).to_contain_text("robotics")
    assert client.get_run(run_id).data.tag_dict["team"] == "robotics"

    tags.get_by_role("button", name="Delete tag stage").click()
    expect(tags.locator('[data-tag-key="stage"]')).to_have_count(0)
    assert "stage" not in client.get_run(run_id).data.tag_dict

    # System tags are listed but offer no edit or delete.
    tags.get_by_role("button", name=re.compile(r"Show \d+ system tags")).click()
    expect(tags.get_by_test_id("system-tags")).to_contain_text("mlflow.user")
    expect(tags.get_by_role("button", name="Edit tag mlflow.user")).to_have_count(0)
    tags.get_by_label("New tag key").fill("mlflow.custom")
    expect(tags.get_by_role("button", name="Add tag")).to_be_disabled()


def test_description_renders_markdown_and_scripts_stay_inert(
    page: Page, client: CairnClient
) -> None:
    run_id = client.create_run(_experiment(client), run_name="described").info.run_id
    client.set_tag(
        run_id,
        "mlflow.note.content",
        "# Findings\n\nThe **learning rate** matters.\n\n"
        "<script>window.__pwned = 1</script>\n\n" + MARKUP,
    )
    page.goto(f"/#/runs/{run_id}")
    text = page.get_by_test_id("run-description-text")

    expect(text.get_by_role("heading", name="Findings")).to_be_visible()
    expect(text.locator("strong")).to_have_text("learning rate")
    assert text.locator("script, img").count() == 0
    assert page.evaluate("() => window.__pwned") is None

    page.get_by_role("button", name="Edit description").click()
    page.get_by_label("Description (markdown)").fill("Plain *updated* note")
    page.get_by_role("button", name="Save").click()
    expect(text.locator("em")).to_have_text("updated")
    assert client.get_run(run_id).data.tag_dict["mlflow.note.content"] == "Plain *updated* note"


def test_user_strings_are_text(page: Page, client: CairnClient) -> None:
    experiment_id = _experiment(client)
    run_id = client.create_run(experiment_id, run_name=MARKUP, tags={"note": MARKUP}).info.run_id
    client.log_param(run_id, "p", MARKUP)
    page.goto(f"/#/runs/{run_id}")

    expect(page.get_by_test_id("run-name")).to_have_text(MARKUP)
    expect(page.get_by_test_id("run-params")).to_contain_text(MARKUP)
    expect(page.get_by_test_id("run-tags")).to_contain_text(MARKUP)
    assert page.locator("main img").count() == 0


def test_unknown_run_shows_the_reason(page: Page) -> None:
    page.goto("/#/runs/0123456789abcdef0123456789abcdef")
    expect(page.get_by_text("This run could not be loaded")).to_be_visible()


def test_metrics_tab_charts_this_run(page: Page, client: CairnClient) -> None:
    _, run_id, _ = _rich_run(client)
    page.goto(f"/#/runs/{run_id}")
    page.get_by_role("tab", name="Metric charts").click()

    expect(page).to_have_url(re.compile(r"tab=metrics"))
    expect(page.locator('[data-testid="metric-chart"][data-rendered="true"]')).to_have_count(2)


def test_run_is_renamed_in_place(page: Page, client: CairnClient) -> None:
    run_id = client.create_run(_experiment(client), run_name="draft").info.run_id
    page.goto(f"/#/runs/{run_id}")

    page.get_by_role("button", name="Rename run").click()
    page.get_by_label("Run name").fill("final model")
    page.get_by_label("Run name").press("Enter")
    expect(page.get_by_test_id("run-name")).to_have_text("final model")
    assert client.get_run(run_id).info.run_name == "final model"
