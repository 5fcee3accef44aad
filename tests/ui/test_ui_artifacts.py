"""The artifact browser: a lazily listed tree, previews of text, JSON, YAML, CSV, images,
MLmodel files and HTML (only in a sandboxed frame), size caps, and downloads as attachments."""

from __future__ import annotations

import base64
import json
import re
import uuid
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from cairn.tracking.client import CairnClient

# A 2x2 red PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAwMDAxMDAAAAhBgED"
    "JyJcmQAAAABJRU5ErkJggg=="
)
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" onload="alert(1)">'
    '<script>alert(2)</script><rect width="40" height="20" fill="blue"/></svg>'
)
HTML = (
    "<html><body><h1>Evaluation report</h1><script>parent.__pwned = 1; alert(3)</script>"
    '<img src=x onerror="alert(4)"></body></html>'
)
MLMODEL = """artifact_path: model
flavors:
  python_function:
    loader_module: mlflow.sklearn
    python_version: 3.11.4
  sklearn:
    pickled_model: model.pkl
    sklearn_version: 1.5.0
mlflow_version: 3.1.0
model_uuid: 7f1c
signature:
  inputs: '[{"type": "double", "name": "sepal_length", "required": true}]'
  outputs: '[{"type": "long", "required": true}]'
  params: null
utc_time_created: '2025-01-01 00:00:00.000000'
"""


def _run(client: CairnClient, tmp_path: Path) -> str:
    experiment_id = client.create_experiment(f"artifacts-{uuid.uuid4().hex[:10]}")
    run_id = client.create_run(experiment_id, run_name="with-artifacts").info.run_id
    client.log_text(run_id, "hello from the run\nsecond line", "notes.txt")
    client.log_text(run_id, "epoch 1 loss 0.5\n", "logs/train.log")
    client.log_text(run_id, json.dumps({"lr": 0.01, "layers": [64, 32]}), "config/params.json")
    client.log_text(run_id, "optimizer: adam\nlayers:\n  - 64\n", "config/train.yaml")
    client.log_text(run_id, 'name,score\nalpha,0.9\n"beta, the second",0.8\n', "eval/scores.csv")
    client.log_text(run_id, MLMODEL, "model/MLmodel")
    client.log_text(run_id, "scikit-learn==1.5.0\nnumpy>=1.26\n", "model/requirements.txt")
    client.log_text(run_id, HTML, "report.html")
    client.log_text(run_id, SVG, "plots/diagram.svg")
    (tmp_path / "dot.png").write_bytes(PNG)
    client.log_artifact(run_id, tmp_path / "dot.png", "plots")
    return run_id


def _open(page: Page, run_id: str, artifact: str | None = None) -> None:
    query = f"&artifact={artifact}" if artifact else ""
    page.goto(f"/#/runs/{run_id}?tab=artifacts{query}")
    expect(page.get_by_test_id("artifact-browser")).to_be_visible()


def _preview(page: Page, kind: str) -> Locator:
    preview = page.locator(f'[data-testid="artifact-preview"][data-kind="{kind}"]')
    expect(preview).to_be_visible()
    return preview


def test_tree_lists_folders_lazily_and_selection_is_a_link(
    page: Page, client: CairnClient, tmp_path: Path
) -> None:
    run_id = _run(client, tmp_path)
    _open(page, run_id)
    expect(page.get_by_label("Folder config")).to_be_visible()
    expect(page.get_by_label("File notes.txt")).to_be_visible()
    expect(page.get_by_label("File params.json")).to_have_count(0)

    with page.expect_request(re.compile(r"artifacts/list\?.*path=config")):
        page.get_by_label("Folder config").click()
    page.get_by_label("File params.json").click()
    expect(page).to_have_url(re.compile(r"artifact=config%2Fparams\.json"))

    # The link opens the same preview, its folder open.
    page.reload()
    expect(_preview(page, "json")).to_contain_text('"lr": 0.01')
    expect(page.get_by_label("File train.yaml")).to_be_visible()


def test_text_json_yaml_and_csv_previews(page: Page, client: CairnClient, tmp_path: Path) -> None:
    run_id = _run(client, tmp_path)
    _open(page, run_id)

    page.get_by_label("File notes.txt").click()
    expect(_preview(page, "text").get_by_test_id("text-preview")).to_have_text(
        "hello from the run\nsecond line"
    )

    page.get_by_label("Folder logs").click()
    page.get_by_label("File train.log").click()
    expect(_preview(page, "text")).to_contain_text("epoch 1 loss 0.5")

    page.get_by_label("Folder config").click()
    page.get_by_label("File params.json").click()
    # Pretty-printed: one key per line, indented.
    expect(_preview(page, "json").get_by_test_id("text-preview")).to_contain_text(
        '{\n  "lr": 0.01,\n  "layers": [\n    64,'
    )
    page.get_by_label("File train.yaml").click()
    expect(_preview(page, "yaml")).to_contain_text("optimizer: adam")

    page.get_by_label("Folder eval").click()
    page.get_by_label("File scores.csv").click()
    table = _preview(page, "csv").get_by_test_id("csv-preview")
    expect(table.locator("th")).to_have_text(["name", "score"])
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody tr").nth(1).locator("td").first).to_have_text("beta, the second")


def test_images_are_shown_from_blob_urls(page: Page, client: CairnClient, tmp_path: Path) -> None:
    run_id = _run(client, tmp_path)
    _open(page, run_id, "plots%2Fdot.png")
    image = _preview(page, "image").get_by_test_id("image-preview")
    expect(image).to_have_attribute("src", re.compile(r"^blob:"))
    page.wait_for_function(
        "() => document.querySelector('[data-testid=image-preview]')?.naturalWidth === 2"
    )

    # SVG goes through an <img> too: its scripts never run (an alert would fail the test).
    page.get_by_label("File diagram.svg").click()
    svg = _preview(page, "image").get_by_test_id("image-preview")
    expect(svg).to_have_attribute("src", re.compile(r"^blob:"))
    page.wait_for_function(
        "() => document.querySelector('[data-testid=image-preview]')?.naturalWidth === 40"
    )
    assert page.locator("main svg rect").count() == 0


def test_mlmodel_summary(page: Page, client: CairnClient, tmp_path: Path) -> None:
    run_id = _run(client, tmp_path)
    _open(page, run_id, "model%2FMLmodel")
    summary = _preview(page, "mlmodel").get_by_test_id("mlmodel-summary")

    expect(summary.get_by_test_id("mlmodel-flavor")).to_have_text(["python_function", "sklearn"])
    expect(summary).to_contain_text("sklearn_version: 1.5.0")
    expect(summary).to_contain_text("sepal_length")
    expect(summary).to_contain_text("double")
    expect(summary).to_contain_text("3.1.0")
    expect(summary.get_by_test_id("mlmodel-requirements")).to_contain_text("scikit-learn==1.5.0")


def test_html_only_in_a_sandboxed_frame(page: Page, client: CairnClient, tmp_path: Path) -> None:
    run_id = _run(client, tmp_path)
    _open(page, run_id, "report.html")
    frame = _preview(page, "html").get_by_test_id("html-preview")

    expect(frame).to_have_attribute("sandbox", "")
    expect(page.frame_locator('[data-testid="html-preview"]').get_by_role("heading")).to_have_text(
        "Evaluation report"
    )
    assert page.evaluate("() => window.__pwned") is None
    # The report's markup never enters the page itself.
    assert page.locator("main h1", has_text="Evaluation report").count() == 0


def test_download_is_an_attachment(page: Page, client: CairnClient, tmp_path: Path) -> None:
    run_id = _run(client, tmp_path)
    _open(page, run_id, "notes.txt")
    preview = _preview(page, "text")

    with page.expect_download() as download:
        preview.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename == "notes.txt"
    assert Path(download.value.path()).read_text() == "hello from the run\nsecond line"

    href = preview.get_by_role("link", name="Download").get_attribute("href") or ""
    answer = page.request.get(href)
    assert answer.headers["content-disposition"].startswith("attachment")


def test_previews_are_capped(page: Page, client: CairnClient, tmp_path: Path) -> None:
    run_id = _run(client, tmp_path)
    client.log_text(run_id, "x" * 1_500_000, "big/huge.log")
    client.log_text(run_id, json.dumps(["y" * 1_500_000]), "big/huge.json")
    _open(page, run_id, "big%2Fhuge.log")

    expect(_preview(page, "text").get_by_test_id("preview-truncated")).to_contain_text(
        "first 1.0 MB"
    )
    page.get_by_label("File huge.json").click()
    expect(_preview(page, "json").get_by_test_id("preview-too-large")).to_be_visible()
