"""Artifacts through the proxy: upload, list, download, on-disk layout, a 50 MB round trip."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import mlflow
import mlflow.artifacts
import pytest
from compat_server import CompatServer
from mlflow import MlflowClient


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.backends
def test_log_and_download_artifacts(fluent: str, server: CompatServer, tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "top.txt").write_text("top\n")
    (src / "sub" / "a.txt").write_text("aaa")
    (src / "sub" / "b.bin").write_bytes(bytes(range(256)))
    single = tmp_path / "single.csv"
    single.write_text("x,y\n1,2\n")

    with mlflow.start_run() as run:
        mlflow.log_artifact(str(single))
        mlflow.log_artifact(str(single), artifact_path="copies")
        mlflow.log_artifacts(str(src), artifact_path="tree")
        mlflow.log_text("hello ✓", "notes/hello.txt")
        mlflow.log_dict({"a": 1, "b": [1, 2]}, "config.json")
    run_id = run.info.run_id

    out = tmp_path / "out"
    whole = mlflow.artifacts.download_artifacts(run_id=run_id, dst_path=str(out / "all"))
    one = mlflow.artifacts.download_artifacts(
        run_id=run_id, artifact_path="tree/sub/b.bin", dst_path=str(out / "one")
    )

    expected = {
        "single.csv": single.read_bytes(),
        "copies/single.csv": single.read_bytes(),
        **{f"tree/{k}": v for k, v in _tree(src).items()},
        "notes/hello.txt": "hello ✓".encode(),
    }
    got = _tree(Path(whole))
    assert mlflow.artifacts.load_dict(f"runs:/{run_id}/config.json") == {"a": 1, "b": [1, 2]}
    assert {k: v for k, v in got.items() if k != "config.json"} == expected
    assert Path(one).read_bytes() == bytes(range(256))
    exp_dir = server.artifacts / fluent / run_id / "artifacts"
    assert (exp_dir / "tree" / "sub" / "a.txt").read_bytes() == b"aaa"
    assert mlflow.artifacts.load_text(f"runs:/{run_id}/notes/hello.txt") == "hello ✓"


def test_list_artifacts_gives_run_relative_paths(
    client: MlflowClient, experiment_id: str, tmp_path: Path
) -> None:
    run_id = client.create_run(experiment_id).info.run_id
    src = tmp_path / "src"
    (src / "sub" / "deeper").mkdir(parents=True)
    (src / "root.txt").write_text("12345")
    (src / "sub" / "a.txt").write_text("abc")
    (src / "sub" / "deeper" / "z.txt").write_text("z")
    client.log_artifacts(run_id, str(src))

    root = client.list_artifacts(run_id)
    sub = client.list_artifacts(run_id, "sub")
    deeper = client.list_artifacts(run_id, "sub/deeper")

    assert [(f.path, f.is_dir, f.file_size) for f in root] == [
        ("root.txt", False, 5),
        ("sub", True, None),
    ]
    assert [(f.path, f.is_dir, f.file_size) for f in sub] == [
        ("sub/a.txt", False, 3),
        ("sub/deeper", True, None),
    ]
    assert [(f.path, f.file_size) for f in deeper] == [("sub/deeper/z.txt", 1)]
    assert client.list_artifacts(run_id, "missing") == []


def test_fifty_megabyte_round_trip(
    client: MlflowClient, experiment_id: str, server: CompatServer, tmp_path: Path
) -> None:
    run = client.create_run(experiment_id)
    run_id = run.info.run_id
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(50 * 1024 * 1024))
    digest = hashlib.sha256(big.read_bytes()).hexdigest()

    client.log_artifact(run_id, str(big), artifact_path="blobs")
    back = client.download_artifacts(run_id, "blobs/big.bin", str(tmp_path / "back"))

    assert run.info.artifact_uri == f"mlflow-artifacts:/{experiment_id}/{run_id}/artifacts"
    assert hashlib.sha256(Path(back).read_bytes()).hexdigest() == digest
    on_disk = server.artifacts / experiment_id / run_id / "artifacts" / "blobs" / "big.bin"
    assert hashlib.sha256(on_disk.read_bytes()).hexdigest() == digest
    assert [(f.path, f.file_size) for f in client.list_artifacts(run_id, "blobs")] == [
        ("blobs/big.bin", 50 * 1024 * 1024)
    ]


def test_awkward_artifact_paths_and_overwrites(
    client: MlflowClient, experiment_id: str, tmp_path: Path
) -> None:
    run_id = client.create_run(experiment_id).info.run_id
    client.log_text(run_id, "spaces & ünïcode", "dir with space/ü+(1)&x=y.txt")
    client.log_text(run_id, "", "empty.txt")
    client.log_text(run_id, "first", "over.txt")
    client.log_text(run_id, "second", "over.txt")

    listed = client.list_artifacts(run_id, "dir with space")
    got = client.download_artifacts(run_id, "", str(tmp_path / "all"))

    assert [(f.path, f.file_size) for f in listed] == [
        ("dir with space/ü+(1)&x=y.txt", len("spaces & ünïcode".encode()))
    ]
    assert _tree(Path(got)) == {
        "dir with space/ü+(1)&x=y.txt": "spaces & ünïcode".encode(),
        "empty.txt": b"",
        "over.txt": b"second",
    }


# mlflow's table logging selects columns in a way pandas 3 deprecates.
@pytest.mark.filterwarnings(
    "ignore:For backward compatibility, 'str' dtypes are included:pandas.errors.Pandas4Warning"
)
def test_log_table_and_load_it_back(fluent: str) -> None:
    import pandas as pd

    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    with mlflow.start_run() as run:
        mlflow.log_table(frame, artifact_file="tables/t.json")
    with mlflow.start_run():
        mlflow.log_table(frame.iloc[:1], artifact_file="tables/t.json")

    one = mlflow.load_table("tables/t.json", run_ids=[run.info.run_id])
    both = mlflow.load_table("tables/t.json", extra_columns=["run_id"])  # active experiment

    assert one.to_dict("list") == {"a": [1, 2], "b": ["x", "y"]}
    assert len(both) == 3
    assert both["run_id"].value_counts()[run.info.run_id] == 2


def test_log_image_with_steps(fluent: str, client: MlflowClient, tmp_path: Path) -> None:
    """Stepped images get names full of ``+`` that the proxy must not read as spaces."""
    import numpy as np

    pixels = np.zeros((4, 4, 3), dtype=np.uint8)
    with mlflow.start_run() as run:
        mlflow.log_image(pixels, key="img", step=1)
        mlflow.log_image(pixels, "plain.png")
    run_id = run.info.run_id

    images = client.list_artifacts(run_id, "images")
    png = next(f.path for f in images if f.path.endswith(".png"))
    back = client.download_artifacts(run_id, png, str(tmp_path))

    assert [f.path for f in client.list_artifacts(run_id)] == ["images", "plain.png"]
    assert len(images) == 2
    assert png.startswith("images/img+step+1+timestamp+")
    assert Path(back).name == Path(png).name
    assert Path(back).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get_run(run_id).data.tags["mlflow.loggedImages"] == "True"
