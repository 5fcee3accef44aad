"""infer_signature gives exactly MLflow 3.17.2's signature for the same data."""

from __future__ import annotations

import datetime as dt
import logging
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from cairn.errors import InvalidParameterValue
from cairn.models.infer import infer_signature, infer_signature_from_example
from cairn.models.signature import AnyType, ColSpec, ModelSignature, Schema

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import mlflow.models
    import mlflow.sklearn


def mlflow_infer(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """MLflow warns (warnings.warn) about integer columns; cairn logs that hint instead."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dict(mlflow.models.infer_signature(*args, **kwargs).to_dict())


class _Opaque:
    pass


INPUTS: dict[str, Any] = {
    "df-all-scalar-types": pd.DataFrame(
        {
            "int": [1, 2],
            "float": [1.5, 2.0],
            "bool": [True, False],
            "str": ["a", "b"],
            "when": pd.to_datetime(["2020-01-01", "2021-06-01"]),
            "raw": [b"x", b"y"],
            "int32": np.array([1, 2], dtype=np.int32),
            "float32": np.array([1, 2], dtype=np.float32),
            "int8": np.array([1, 2], dtype=np.int8),
            "uint32": np.array([1, 2], dtype=np.uint32),
        }
    ),
    "df-int-with-nan-is-optional-double": pd.DataFrame({"x": [1, None, 3]}),
    "df-optional-string": pd.DataFrame({"s": ["a", None]}),
    "df-nullable-int": pd.DataFrame({"n": pd.array([1, None], dtype="Int64")}),
    "df-pandas-string-dtype": pd.DataFrame({"s": pd.array(["a", "b"], dtype="string")}),
    "df-categorical": pd.DataFrame({"c": pd.Categorical(["a", "b"])}),
    "df-integer-labels": pd.DataFrame([[1, 2.5], [3, 4.5]]),
    "df-lists-and-dicts": pd.DataFrame(
        {"ids": [[1, 2], [3]], "meta": [{"x": 1}, {"x": 2, "y": "s"}]}
    ),
    "df-mixed-object-falls-back-to-any": pd.DataFrame({"a": [1, "x"]}),
    "series-named": pd.Series([1, 2], name="x"),
    "series-unnamed": pd.Series([1.0, 2.0]),
    "ndarray-float32-2d": np.zeros((3, 4), dtype=np.float32),
    "ndarray-int64-3d": np.zeros((2, 3, 4), dtype=np.int64),
    "ndarray-str": np.array(["a", "bb"]),
    "ndarray-bytes": np.array([b"a", b"bb"]),
    "ndarray-uint8": np.zeros((2, 2), dtype=np.uint8),
    "dict-of-ndarrays": {"a": np.zeros((2, 3)), "b": np.array([1, 2], dtype=np.int32)},
    "dict-of-json-values": {"a": "x", "b": [1, 2], "c": {"k": 1.5}, "d": None},
    "list-of-dicts": [{"a": 1, "b": "x"}, {"a": 2, "c": [1.0]}],
    "list-of-dicts-merging-objects": [{"o": {"x": 1}}, {"o": {"y": "s"}}, {"o": None}],
    "list-of-strings": ["a", "b"],
    "nested-lists": [[1, 2], [None], []],
    "empty-list": [],
    "mixed-list-falls-back-to-any": [1, "a"],
    "scalar-string": "hello",
    "scalar-int": 5,
    "scalar-float32": np.float32(1.5),
    "scalar-bytes": b"x",
    "scalar-datetime": dt.datetime(2020, 1, 1),
    "scalar-date": dt.date(2020, 1, 1),
    "non-string-dict-keys-fall-back": {1: "a"},
    "opaque-object-falls-back": _Opaque(),
}


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_infer_signature_matches_mlflow(name: str) -> None:
    data = INPUTS[name]
    assert infer_signature(data).to_dict() == mlflow_infer(data)


def test_inputs_and_outputs_are_inferred_together() -> None:
    frame = pd.DataFrame({"a": [1, 2], "b": [0.5, 1.5]})
    output = np.array([0.1, 0.2])
    assert infer_signature(frame, output).to_dict() == mlflow_infer(frame, output)
    assert infer_signature(model_output=output).to_dict() == mlflow_infer(model_output=output)


PARAMS: dict[str, dict[str, Any]] = {
    "scalars": {"a": 1, "b": 1.5, "c": "x", "d": True, "e": np.float32(1.5), "f": np.int32(3)},
    "lists": {"ints": [1, 2], "strs": ["a"], "floats": [1.5, 2.5], "arr": np.array([1, 2])},
    "datetimes": {"when": dt.datetime(2020, 1, 1), "day": dt.date(2020, 1, 1)},
    "datetime-list": {"days": [dt.date(2020, 1, 2)]},
    "empty-list-is-datetime-as-in-mlflow": {"x": []},
    "object": {"opts": {"k": 1, "tags": ["a"]}},
}


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_param_schema_matches_mlflow(name: str) -> None:
    params = PARAMS[name]
    assert infer_signature(params=params).to_dict() == mlflow_infer(params=params)


@pytest.mark.parametrize(
    "params",
    [{"x": None}, {"x": [[1]]}, {"x": b"a"}, {"x": [True, 1]}, {"x": {}}],
    ids=["none", "2d-list", "binary", "bool-in-long-list", "empty-dict"],
)
def test_bad_params_raise_like_mlflow(params: dict[str, Any]) -> None:
    with pytest.raises(Exception, match="Failed to infer schema for parameters"):
        mlflow_infer(params=params)
    with pytest.raises(InvalidParameterValue, match="Failed to infer schema for parameters"):
        infer_signature(params=params)


def test_uninferable_input_falls_back_to_any_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="cairn.models.infer"):
        signature = infer_signature(_Opaque())
    assert signature == ModelSignature(Schema([ColSpec(AnyType())]))
    assert "Failed to infer schema for inputs" in caplog.text


def test_integer_hint_is_logged_not_warned(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="cairn.models.infer"):
        infer_signature(pd.DataFrame({"a": [1]}))  # filterwarnings=error: a warning would fail
    assert "integer column" in caplog.text


def test_signature_from_example_runs_the_model_like_mlflow_log_model(
    tmp_path: Path, xy: tuple[Any, Any]
) -> None:
    from sklearn.linear_model import LogisticRegression

    x, y = xy
    frame = pd.DataFrame(x, columns=["f0", "f1", "f2"])
    model = LogisticRegression().fit(frame, y)
    example = frame.head(3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mlflow.sklearn.save_model(model, tmp_path / "m", input_example=example)
    mlmodel = yaml.safe_load((tmp_path / "m" / "MLmodel").read_text())
    signature = infer_signature_from_example(example, lambda data, params: model.predict(data))
    assert signature is not None
    assert signature.to_dict() == mlmodel["signature"]


def test_signature_from_example_returns_none_when_the_model_fails() -> None:
    def broken(data: Any, params: Any) -> Any:
        raise RuntimeError("boom")

    assert infer_signature_from_example({"a": 1}, broken) is None
