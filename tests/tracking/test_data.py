"""Dataset descriptions for log_input: digests, schema and profile in MLflow's shapes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import cairn
from cairn.data import from_numpy, from_pandas


def test_pandas_digest_depends_on_content_only() -> None:
    df = pd.DataFrame({"a": [1, 2, 3], "b": [0.1, 0.2, 0.3]})
    same = pd.DataFrame({"a": [1, 2, 3], "b": [0.1, 0.2, 0.3]})
    changed = pd.DataFrame({"a": [1, 2, 4], "b": [0.1, 0.2, 0.3]})
    assert from_pandas(df).digest == from_pandas(same).digest
    assert from_pandas(df).digest != from_pandas(changed).digest


def test_pandas_schema_and_profile_use_mlflow_shapes() -> None:
    df = pd.DataFrame({"a": [1, 2], "b": [0.5, 1.5], "c": ["x", "y"]})
    ds = from_pandas(df, name="toy", targets="b")
    assert json.loads(ds.schema or "")["mlflow_colspec"] == [
        {"type": "long", "name": "a", "required": True},
        {"type": "double", "name": "b", "required": True},
        {"type": "string", "name": "c", "required": True},
    ]
    assert json.loads(ds.profile or "") == {"num_rows": 2, "num_elements": 6, "targets": "b"}
    assert ds.source_type == "code"


def test_sources_are_classified(tmp_path: Path) -> None:
    df = pd.DataFrame({"a": [1]})
    assert from_pandas(df, source="s3://bucket/data.csv").source_type == "s3"
    assert from_pandas(df, source="https://example.org/d.csv").source_type == "http"
    local = from_pandas(df, source=str(tmp_path / "d.csv"))
    assert local.source_type == "local"
    assert json.loads(local.source)["uri"] == str(tmp_path / "d.csv")


def test_numpy_dataset_records_tensor_specs() -> None:
    features = np.arange(12, dtype=np.float64).reshape(4, 3)
    ds = from_numpy(features, targets=np.array([0, 1, 0, 1]), name="arr")
    spec = json.loads(ds.schema or "")["mlflow_tensorspec"]
    assert json.loads(spec["features"])[0]["tensor-spec"] == {"dtype": "float64", "shape": [-1, 3]}
    assert json.loads(ds.profile or "")["features_shape"] == [4, 3]
    assert from_numpy(features).digest != from_numpy(features + 1).digest


def test_log_input_links_dataset_with_context(tracking_dir: Path) -> None:
    ds = from_pandas(pd.DataFrame({"a": [1, 2]}), name="train")
    with cairn.start_run() as run:
        cairn.log_input(ds, context="training")
        cairn.log_input(ds, context="training")
    (item,) = cairn.get_run(run.info.run_id).inputs.dataset_inputs
    assert item.dataset.name == "train" and item.dataset.digest == ds.digest
    assert item.context == "training"


def test_the_first_rows_and_a_row_count_describe_the_whole_array(monkeypatch: Any) -> None:
    monkeypatch.setattr(cairn.data, "DIGEST_ROWS", 4)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(10, 3)), rng.integers(0, 2, size=10)
    assert from_numpy(x[:4], targets=y[:4], total_rows=10) == from_numpy(x, targets=y)
    assert from_numpy(x[:4], total_rows=10) != from_numpy(x[:4])


def test_the_first_rows_and_a_row_count_describe_the_whole_frame(monkeypatch: Any) -> None:
    monkeypatch.setattr(cairn.data, "DIGEST_ROWS", 4)
    df = pd.DataFrame({"a": range(10), "b": [float(i) / 3 for i in range(10)]})
    assert from_pandas(df.head(4), total_rows=10) == from_pandas(df)
