"""Input example files are byte-identical to MLflow 3.17.2's and load back the same way."""

from __future__ import annotations

import copy
import datetime as dt
import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from cairn.errors import InvalidParameterValue
from cairn.models.input_example import (
    load_input_example,
    load_input_example_params,
    save_input_example,
    serving_input_from_example,
)
from cairn.models.signature import ColSpec, DataType, Schema, TensorSpec

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import mlflow.sklearn
    from mlflow.models import Model
    from mlflow.models.signature import ModelSignature as MlflowSignature
    from mlflow.models.utils import _Example, _read_example, _read_example_params
    from mlflow.types import Schema as MlflowSchema

EXAMPLES: dict[str, Any] = {
    "dataframe": pd.DataFrame(
        {
            "i": [1, 2],
            "f": [1.5, np.nan],
            "s": ["a", None],
            "raw": [b"x", b"y"],
            "when": pd.to_datetime(["2020-01-01", "2021-01-01"]),
        }
    ),
    "dataframe-default-columns": pd.DataFrame([[1, 2], [3, 4]]),
    "dataframe-custom-index": pd.DataFrame({"a": [1, 2]}, index=[5, 6]),
    "dataframe-unicode": pd.DataFrame({"x y": [1.0], "é": ["ü"]}),
    "ndarray-with-nan": np.array([[1.0, np.nan], [3, 4]]),
    "ndarray-int": np.array([[1, 2]]),
    "ndarray-float32": np.array([1.5], dtype=np.float32),
    "ndarray-str": np.array(["a", "b"]),
    "ndarray-bytes": np.array([b"ab", b"c"]),
    "ndarray-object": np.array(["a", 1], dtype=object),
    "ndarray-bool": np.array([True]),
    "ndarray-datetime": np.array(["2020-01-01"], dtype="datetime64[s]"),
    "dict-of-ndarrays": {"a": np.array([1.0, np.nan]), "b": np.array([[1, 2]])},
    "dict-json": {"a": "x", "b": [1, 2], "c": None, "d": {"e": [1, {"f": None}]}},
    "dict-llm-messages": {"messages": [{"role": "user", "content": "hi"}]},
    "list-of-dicts": [{"a": 1}, {"a": 2}],
    "list-of-strings": ["a", "b"],
    "scalar-str": "hello",
    "scalar-int": 3,
    "scalar-numpy": np.float64(1.5),
    "scalar-bytes": b"abc",
    "scalar-datetime": dt.datetime(2020, 1, 1),
    "tuple-dataframe-params": (pd.DataFrame({"a": [1]}), {"p": 1, "q": [1.5]}),
    "tuple-ndarray-params": (np.array([1, 2]), {"p": "x"}),
    "tuple-llm-params": ({"messages": [{"role": "user", "content": "hi"}]}, {"temperature": 0.5}),
    "tuple-empty-params": (pd.DataFrame({"a": [1]}), {}),
}


def _mlflow_files(example: Any) -> tuple[dict[str, Any], str, str | None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        saved = _Example(copy.deepcopy(example))
    return saved.info, saved.json_input_example, saved.json_serving_input


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_files_are_byte_identical_to_mlflow(name: str, tmp_path: Path) -> None:
    example = EXAMPLES[name]
    info, text, serving = _mlflow_files(example)
    ours = save_input_example(example, tmp_path)
    assert list(ours.items()) == list(info.items())
    assert (tmp_path / "input_example.json").read_text() == text
    assert (tmp_path / "serving_input_example.json").read_text() == serving
    assert serving_input_from_example(example) == serving


@pytest.mark.parametrize(
    "example",
    [
        {"a": np.array([1]), "b": 2},
        [np.array([1])],
        object(),
        dt.date(2020, 1, 1),
        ([1], {"p": None}),
    ],
    ids=["mixed-dict", "arrays-in-list", "object", "date", "bad-params"],
)
def test_unsupported_examples_are_refused_like_mlflow(example: Any, tmp_path: Path) -> None:
    with pytest.raises(Exception):  # noqa: B017 - MLflow's own exception types vary
        _mlflow_files(example)
    with pytest.raises(InvalidParameterValue):
        save_input_example(example, tmp_path)


def test_files_match_mlflow_sklearn_save_model(tmp_path: Path, xy: tuple[Any, Any]) -> None:
    from sklearn.linear_model import LogisticRegression

    x, y = xy
    frame = pd.DataFrame(x, columns=["a", "b", "c"])
    example = frame.head(2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mlflow.sklearn.save_model(
            LogisticRegression().fit(frame, y), tmp_path / "mlflow", input_example=example
        )
    (tmp_path / "cairn").mkdir()
    info = save_input_example(example, tmp_path / "cairn")
    mlmodel = yaml.safe_load((tmp_path / "mlflow" / "MLmodel").read_text())
    assert info == mlmodel["saved_input_example_info"]
    for name in ("input_example.json", "serving_input_example.json"):
        assert (tmp_path / "cairn" / name).read_bytes() == (tmp_path / "mlflow" / name).read_bytes()


def _mlflow_read(model_dir: Path, info: dict[str, Any], schema: Schema | None) -> Any:
    model = Model(saved_input_example_info=info)
    if schema is not None:
        model.signature = MlflowSignature(MlflowSchema.from_json(schema.to_json()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _read_example(model, str(model_dir)), _read_example_params(model, str(model_dir))


FRAME = EXAMPLES["dataframe"]
FRAME_SCHEMA = Schema(
    [
        ColSpec(DataType.long, "i"),
        ColSpec(DataType.double, "f", required=False),
        ColSpec(DataType.string, "s", required=False),
        ColSpec(DataType.binary, "raw"),
        ColSpec(DataType.datetime, "when"),
    ]
)
LOAD_CASES: dict[str, tuple[Any, Schema | None]] = {
    "dataframe-no-schema": (FRAME, None),
    "dataframe-with-schema": (FRAME, FRAME_SCHEMA),
    "dataframe-default-columns": (EXAMPLES["dataframe-default-columns"], None),
    "ndarray-no-schema": (np.array([[1.0, 2.0]]), None),
    "ndarray-tensor-schema": (
        np.array([[1.0, 2.0]], dtype=np.float32),
        Schema([TensorSpec(np.float32, (-1, 2))]),
    ),
    "dict-of-ndarrays-named-tensors": (
        {"a": np.array([1, 2], dtype=np.int32), "b": np.array([[0.5]])},
        Schema([TensorSpec(np.int32, (-1,), "a"), TensorSpec(np.float64, (-1, 1), "b")]),
    ),
    "json-object": ({"a": "x", "b": [1, 2]}, None),
    "with-params": ((pd.DataFrame({"a": [1]}), {"p": 1}), Schema([ColSpec(DataType.long, "a")])),
}


def _assert_same(ours: Any, theirs: Any) -> None:
    if isinstance(theirs, pd.DataFrame):
        pd.testing.assert_frame_equal(ours, theirs)
    elif isinstance(theirs, np.ndarray):
        assert ours.dtype == theirs.dtype and ours.tolist() == theirs.tolist()
    elif isinstance(theirs, dict) and any(isinstance(v, np.ndarray) for v in theirs.values()):
        assert list(ours) == list(theirs)
        for key in theirs:
            _assert_same(ours[key], theirs[key])
    else:
        assert ours == theirs


@pytest.mark.parametrize("name", sorted(LOAD_CASES))
def test_load_input_example_matches_mlflow(name: str, tmp_path: Path) -> None:
    example, schema = LOAD_CASES[name]
    info = save_input_example(example, tmp_path)
    theirs, their_params = _mlflow_read(tmp_path, info, schema)
    _assert_same(load_input_example(tmp_path, info, schema), theirs)
    assert load_input_example_params(tmp_path, info) == their_params


def test_binary_and_datetime_columns_round_trip_with_a_schema(tmp_path: Path) -> None:
    info = save_input_example(FRAME, tmp_path)
    loaded = load_input_example(tmp_path, info, FRAME_SCHEMA)
    assert loaded["raw"].tolist() == [b"x", b"y"]
    assert loaded["when"].dtype == np.dtype("datetime64[ns]")
    assert json.loads((tmp_path / "input_example.json").read_text())["columns"][0] == "i"


def test_no_info_means_no_example(tmp_path: Path) -> None:
    assert load_input_example(tmp_path, None) is None
    assert load_input_example_params(tmp_path, None) is None
    with pytest.raises(InvalidParameterValue, match="sparse_matrix_csr"):
        load_input_example(
            tmp_path, {"artifact_path": "input_example.json", "type": "sparse_matrix_csr"}
        )
