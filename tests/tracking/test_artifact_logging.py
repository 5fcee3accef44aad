"""Logging artifacts of every kind through the fluent API and the client."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image

import cairn
from cairn.errors import InvalidParameterValue
from cairn.tracking.fluent import client


def _run_id() -> str:
    run = cairn.active_run()
    assert run is not None
    return str(run.info.run_id)


def test_log_artifact_file_and_directory(tracking_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "nested").mkdir(parents=True)
    (src / "a.txt").write_text("A")
    (src / "nested" / "b.txt").write_text("BB")
    with cairn.start_run():
        cairn.log_artifact(src / "a.txt")
        cairn.log_artifacts(src, artifact_path="tree")
        run_id = _run_id()
    c = client()
    top = {f.path: (f.is_dir, f.file_size) for f in c.list_artifacts(run_id)}
    assert top == {"a.txt": (False, 1), "tree": (True, None)}
    nested = {f.path: f.file_size for f in c.list_artifacts(run_id, "tree/nested")}
    assert nested == {"tree/nested/b.txt": 2}
    local = c.download_artifacts(run_id, "tree", tmp_path / "dl")
    assert (local / "nested" / "b.txt").read_text() == "BB"


def test_log_text_and_dict_round_trip(tracking_dir: Path) -> None:
    config = {"layers": [64, 32], "dropout": 0.1}
    with cairn.start_run():
        cairn.log_text("héllo", "notes/readme.txt")
        cairn.log_dict(config, "config.json")
        cairn.log_dict(config, "config.yaml")
        run_id = _run_id()
    c = client()
    assert c.load_text(run_id, "notes/readme.txt") == "héllo"
    assert c.load_dict(run_id, "config.json") == config
    assert c.load_dict(run_id, "config.yaml") == config
    assert yaml.safe_load(c.load_text(run_id, "config.yaml")) == config
    assert json.loads(c.load_text(run_id, "config.json")) == config


def test_log_image_from_numpy_and_pil(tracking_dir: Path) -> None:
    pixels = np.zeros((4, 6, 3), dtype=np.uint8)
    pixels[0, 0] = [255, 0, 0]
    with cairn.start_run():
        cairn.log_image(pixels, "img/array.png")
        cairn.log_image(np.full((2, 2), 0.5), "img/gray.png")
        cairn.log_image(Image.new("RGB", (3, 3), "blue"), "img/pil.jpg")
        run_id = _run_id()
    repo_bytes = client()._repo(run_id).read_bytes
    array_img = Image.open(io.BytesIO(repo_bytes("img/array.png")))
    assert array_img.size == (6, 4) and array_img.getpixel((0, 0)) == (255, 0, 0)
    assert Image.open(io.BytesIO(repo_bytes("img/gray.png"))).getpixel((0, 0)) == 128
    assert Image.open(io.BytesIO(repo_bytes("img/pil.jpg"))).format == "JPEG"


def test_log_image_rejects_bad_shapes_and_ranges(tracking_dir: Path) -> None:
    with cairn.start_run():
        with pytest.raises(InvalidParameterValue):
            cairn.log_image(np.zeros((2, 2, 5), dtype=np.uint8), "x.png")
        with pytest.raises(InvalidParameterValue):
            cairn.log_image(np.full((2, 2), 3.0), "x.png")
        with pytest.raises(InvalidParameterValue):
            cairn.log_image(np.zeros((2, 2), dtype=np.uint8), "x.unknown")


def test_log_figure_writes_a_png(tracking_dir: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    with cairn.start_run():
        cairn.log_figure(fig, "plots/line.png")
        run_id = _run_id()
    plt.close(fig)
    data = client()._repo(run_id).read_bytes("plots/line.png")
    assert data.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "artifact_file", ["../escape.txt", "/abs.txt", "a/../../x.txt", "%2e%2e/x.txt", "a\\b.txt"]
)
def test_artifact_paths_cannot_escape_the_run_root(tracking_dir: Path, artifact_file: str) -> None:
    before = sorted(p for p in tracking_dir.parent.rglob("*") if "artifacts" not in p.parts)
    with cairn.start_run(), pytest.raises(InvalidParameterValue):
        cairn.log_text("x", artifact_file)
    after = sorted(p for p in tracking_dir.parent.rglob("*") if "artifacts" not in p.parts)
    assert [p for p in after if p not in before and p.name.endswith(".txt")] == []
