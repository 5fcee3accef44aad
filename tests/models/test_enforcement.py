"""Predict-time schema and params enforcement behaves like MLflow 3.17.2's ``_enforce_schema``
and ``_enforce_params_schema``: same results, same messages, errors as SchemaEnforcementError."""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cairn.errors import InvalidParameterValue, SchemaEnforcementError
from cairn.models.enforcement import enforce_params, enforce_schema
from cairn.models.signature import ColSpec, DataType, ParamSchema, ParamSpec, Schema, TensorSpec

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from mlflow.models.utils import _enforce_params_schema, _enforce_schema
    from mlflow.types import ParamSchema as MlflowParamSchema
    from mlflow.types import Schema as MlflowSchema


def col(kind: str, name: str | None = None, required: bool = True, **extra: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"type": kind, **extra, "required": required}
    if name is not None:
        spec["name"] = name
    return spec


def tensor(dtype: str, shape: list[int], name: str | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"type": "tensor", "tensor-spec": {"dtype": dtype, "shape": shape}}
    return spec if name is None else {"name": name, **spec}


def frame(**columns: Any) -> pd.DataFrame:
    return pd.DataFrame(columns)


OBJ = {"x": {"type": "long", "required": True}, "y": {"type": "string", "required": False}}
CASES: dict[str, tuple[Any, list[dict[str, Any]]]] = {
    "reorders-and-drops-extras": (
        frame(b=[1, 2], a=[1.5, 2.5], extra=["e", "f"]),
        [col("double", "a"), col("long", "b")],
    ),
    "long-to-double": (frame(a=[1, 2]), [col("double", "a")]),
    "int32-to-long": (pd.DataFrame({"a": [1, 2]}, dtype="int32"), [col("long", "a")]),
    "int32-to-double": (pd.DataFrame({"a": [1, 2]}, dtype="int32"), [col("double", "a")]),
    "long-to-float-refused": (frame(a=[1, 2]), [col("float", "a")]),
    "zero-one-long-to-float": (frame(a=[0, 1]), [col("float", "a")]),
    "fraction-to-long-refused": (frame(a=[1.5, 2.0]), [col("long", "a")]),
    "nan-int-column-hint": (frame(a=[1.0, None]), [col("long", "a")]),
    "float32-to-double": (pd.DataFrame({"a": [1.0]}, dtype="float32"), [col("double", "a")]),
    "double-to-float-refused": (frame(a=[1.0, 2.0]), [col("float", "a")]),
    "string-to-double-refused": (frame(a=["x", "y"]), [col("double", "a")]),
    "string-kept": (frame(a=["x", "y"]), [col("string", "a")]),
    "long-to-string-refused": (frame(a=[1, 2]), [col("string", "a")]),
    "bool-kept": (frame(a=[True, False]), [col("boolean", "a")]),
    "long-to-bool-refused": (frame(a=[1, 0]), [col("boolean", "a")]),
    "bytes-kept": (frame(a=[b"x", b"y"]), [col("binary", "a")]),
    "datetime-kept": (frame(a=pd.to_datetime(["2020-01-01"])), [col("datetime", "a")]),
    "date-objects-to-datetime": (frame(a=[dt.date(2020, 1, 1)]), [col("datetime", "a")]),
    "tz-aware-datetime-refused": (
        frame(a=pd.to_datetime(["2020-01-01"]).tz_localize("UTC")),
        [col("datetime", "a")],
    ),
    "missing-required-column": (frame(a=[1]), [col("long", "a"), col("double", "b")]),
    "missing-column-with-extras": (
        frame(a=[1], c=[2]),
        [col("long", "a"), col("double", "b")],
    ),
    "missing-optional-column-ok": (
        frame(a=[1]),
        [col("long", "a"), col("double", "b", required=False)],
    ),
    "unnamed-takes-first-columns": (pd.DataFrame([[1, 2.0, "x"]]), [col("long"), col("double")]),
    "unnamed-too-few-columns": (pd.DataFrame([[1]]), [col("long"), col("double")]),
    "uint64-to-long-refused": (frame(a=np.array([1], dtype=np.uint64)), [col("long", "a")]),
    "int8-to-double": (frame(a=np.array([1], dtype=np.int8)), [col("double", "a")]),
    "array-items-cast": (frame(a=[[1, 2], [3]]), [col("array", "a", items={"type": "double"})]),
    "array-items-refused": (frame(a=[[1.5], [3]]), [col("array", "a", items={"type": "long"})]),
    "object-column": (
        frame(a=[{"x": 1}, {"x": 2, "y": "s"}]),
        [col("object", "a", properties=OBJ)],
    ),
    "object-wrong-property-type": (frame(a=[{"x": "s"}]), [col("object", "a", properties=OBJ)]),
    "object-unknown-property": (frame(a=[{"z": 1}]), [col("object", "a", properties=OBJ)]),
    "map-column": (frame(a=[{"k": 1}]), [col("map", "a", values={"type": "long"})]),
    "any-column": (frame(a=[1, "x"]), [col("any", "a")]),
    "dict-one-row": ({"a": 1, "b": "x"}, [col("long", "a"), col("string", "b")]),
    "dict-of-lists": ({"a": [1, 2], "b": ["x", "y"]}, [col("long", "a"), col("string", "b")]),
    "dict-of-arrays": (
        {"a": np.array([1, 2]), "b": np.array(["x", "y"])},
        [col("long", "a"), col("string", "b")],
    ),
    "list-of-records": ([{"a": 1}, {"a": 2}], [col("long", "a")]),
    "list-of-strings": (["x", "y"], [col("string")]),
    "scalar-string": ("hello", [col("string")]),
    "scalar-int-to-double": (5, [col("double")]),
    "ndarray-for-columns": (np.array([[1, 2], [3, 4]]), [col("long"), col("long")]),
    "series-input": (pd.Series([1, 2], name="a"), [col("double", "a")]),
    "unsupported-input-type": (object(), [col("double", "a")]),
    "nullable-int": (pd.DataFrame({"a": [1]}, dtype="Int64"), [col("long", "a")]),
    "pandas-string-dtype": (
        frame(a=pd.array(["x", None], dtype="string")),
        [col("string", "a")],
    ),
    "tensor-ok": (np.zeros((2, 3), dtype=np.float32), [tensor("float32", [-1, 3])]),
    "tensor-bad-shape": (np.zeros((2, 4), dtype=np.float32), [tensor("float32", [-1, 3])]),
    "tensor-bad-rank": (np.zeros((2,), dtype=np.float32), [tensor("float32", [-1, 3])]),
    "tensor-downcast-refused": (np.zeros((2, 3)), [tensor("float32", [-1, 3])]),
    "tensor-str": (np.array(["a", "bb"]), [tensor("str", [-1])]),
    "named-tensors-drop-extras": (
        {"x": np.zeros((2, 3)), "y": np.ones(2, dtype=np.int32), "z": np.ones(1)},
        [tensor("float64", [-1, 3], "x"), tensor("int32", [-1], "y")],
    ),
    "named-tensor-needs-array": ({"x": [1, 2]}, [tensor("float64", [-1], "x")]),
    "named-tensor-missing": ({"y": np.zeros(2)}, [tensor("float64", [-1], "x")]),
    "single-named-tensor-from-array": (np.zeros(3), [tensor("float64", [-1], "x")]),
    "frame-to-tensor": (frame(a=[1.0, 2.0], b=[3.0, 4.0]), [tensor("float64", [-1, 2])]),
    "frame-to-tensor-wrong-width": (
        frame(a=[1.0, 2.0], b=[3.0, 4.0]),
        [tensor("float64", [-1, 3])],
    ),
    "frame-column-cast-to-tensor": (frame(a=[1.5, 2.0]), [tensor("int64", [-1])]),
    "frame-lists-to-tensor": (frame(a=[[1, 2], [3, 4]]), [tensor("float32", [-1, 2])]),
    "frame-to-named-tensors": (
        frame(x=[[1, 2], [3, 4]], y=[1, 2]),
        [tensor("float32", [-1, 2], "x"), tensor("int64", [-1, 1], "y")],
    ),
    "frame-ragged-lists-refused": (frame(x=[[1, 2], [3]]), [tensor("float32", [-1, 2], "x")]),
    "frame-arrays-to-tensor": (
        frame(x=[np.array([1.0, 2.0]), np.array([3.0, 4.0])]),
        [tensor("float64", [-1, 2], "x")],
    ),
    "list-for-tensor-refused": ([1, 2], [tensor("float64", [-1])]),
    "ragged-object-array-passes": (
        np.array([np.array([1]), np.array([1, 2])], dtype=object),
        [tensor("float64", [-1, -1])],
    ),
    "object-tensor-passes": (np.array([1, "a"], dtype=object), [tensor("object", [-1])]),
}


def _same(ours: Any, theirs: Any) -> None:
    if isinstance(theirs, pd.DataFrame):
        pd.testing.assert_frame_equal(ours, theirs)
    elif isinstance(theirs, np.ndarray):
        assert isinstance(ours, np.ndarray)
        assert (ours.dtype, ours.shape) == (theirs.dtype, theirs.shape)
        assert str(ours.tolist()) == str(theirs.tolist())
    elif isinstance(theirs, dict):
        assert list(ours) == list(theirs)
        for key in theirs:
            _same(ours[key], theirs[key])
    else:
        assert ours == theirs


@pytest.mark.parametrize("name", sorted(CASES))
def test_enforce_schema_matches_mlflow(name: str) -> None:
    data, specs = CASES[name]
    schema_json = json.dumps(specs)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = _enforce_schema(copy.deepcopy(data), MlflowSchema.from_json(schema_json))
    except Exception as exc:
        with pytest.raises(SchemaEnforcementError) as caught:
            enforce_schema(copy.deepcopy(data), Schema.from_json(schema_json))
        assert caught.value.message == str(exc)
        return
    _same(enforce_schema(copy.deepcopy(data), Schema.from_json(schema_json)), expected)


def test_unsafe_cast_names_column_and_both_types() -> None:
    schema = Schema([ColSpec(DataType.long, "age")])
    with pytest.raises(SchemaEnforcementError) as caught:
        enforce_schema(pd.DataFrame({"age": [1.5]}), schema)
    assert caught.value.message == (
        "Incompatible input types for column age. Can not safely convert float64 to int64."
    )
    assert (caught.value.error_code, caught.value.http_status) == ("INVALID_PARAMETER_VALUE", 400)
    assert caught.value.error_class == "SCHEMA_ENFORCEMENT_FAILED"
    assert isinstance(caught.value, InvalidParameterValue)


def test_missing_values_in_int_column_suggest_double() -> None:
    schema = Schema([ColSpec(DataType.integer, "n")])
    with pytest.raises(SchemaEnforcementError, match=r"column n.*missing values.*doubles"):
        enforce_schema(pd.DataFrame({"n": [1, None]}), schema)


def test_missing_required_column_is_named() -> None:
    schema = Schema([ColSpec(DataType.long, "a"), ColSpec(DataType.string, "name")])
    with pytest.raises(SchemaEnforcementError, match=r"Model is missing inputs \['name'\]"):
        enforce_schema(pd.DataFrame({"a": [1]}), schema)


def test_extra_columns_are_dropped_with_a_log_not_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    schema = Schema([ColSpec(DataType.double, "a")])
    with caplog.at_level(logging.WARNING, logger="cairn.models.enforcement"):
        out = enforce_schema(pd.DataFrame({"z": ["x"], "a": [1]}), schema)
    assert list(out.columns) == ["a"] and out["a"].dtype == np.float64
    assert "['z']" in caplog.text


def test_tensor_dtype_is_widened_safely_where_mlflow_refuses() -> None:
    """Deliberate difference: MLflow refuses any tensor dtype mismatch in-process, although its
    scoring server casts JSON to the spec dtype; cairn casts when the cast is lossless."""
    schema = Schema([TensorSpec(np.float64, (-1, 2))])
    data = np.ones((3, 2), dtype=np.float32)
    with pytest.raises(Exception, match="dtype of input float32 does not match"):
        _enforce_schema(data, MlflowSchema.from_json(json.dumps(schema.to_dict())))
    out = enforce_schema(data, schema)
    assert out.dtype == np.float64
    named = Schema([TensorSpec(np.int64, (-1,), "ids")])
    assert enforce_schema({"ids": np.array([1], dtype=np.int32)}, named)["ids"].dtype == np.int64


PARAMS = [
    {"name": "temperature", "type": "double", "default": 1.0, "shape": None},
    {"name": "stop", "type": "string", "default": ["x"], "shape": [-1]},
    {"name": "when", "type": "datetime", "default": "2020-01-01", "shape": None},
    {"name": "n", "type": "long", "default": 1, "shape": None},
    {"name": "opts", "type": "object", "default": {"k": 1}, "shape": None,
     "properties": {"k": {"type": "long", "required": True}}},
]  # fmt: skip
PARAM_CASES = {
    "none-gives-defaults": None,
    "int-widened-to-double": {"temperature": 2, "n": 3},
    "float32-widened": {"temperature": np.float32(0.5)},
    "unknown-dropped": {"stop": ["a", "b"], "zz": 1},
    "bad-type": {"temperature": "hot"},
    "float-to-long-refused": {"n": 1.5},
    "bool-to-long-refused": {"n": True},
    "scalar-for-list-refused": {"stop": "a"},
    "datetime-parsed": {"when": "2021-02-03T04:05:06"},
    "object-ok": {"opts": {"k": 2}},
    "object-unknown-key": {"opts": {"j": 2}},
    "non-dict-refused": [1],
}


@pytest.mark.parametrize("name", sorted(PARAM_CASES))
def test_enforce_params_matches_mlflow(name: str) -> None:
    params = PARAM_CASES[name]
    schema_json = json.dumps(PARAMS)
    try:
        expected = _enforce_params_schema(
            copy.deepcopy(params), MlflowParamSchema.from_json(schema_json)
        )
    except Exception as exc:
        with pytest.raises(SchemaEnforcementError) as caught:
            enforce_params(copy.deepcopy(params), ParamSchema.from_json(schema_json))
        assert caught.value.message == str(exc)
        return
    ours = enforce_params(copy.deepcopy(params), ParamSchema.from_json(schema_json))
    assert ours == expected
    assert ours is not None and list(ours) == list(expected)
    assert [type(v) for v in ours.values()] == [type(v) for v in expected.values()]


@pytest.mark.parametrize("params", [None, {}, {"a": 1}])
def test_params_without_a_param_schema_are_ignored_like_mlflow(params: Any) -> None:
    assert enforce_params(params, None) == _enforce_params_schema(params, None)


def test_param_errors_name_every_bad_param() -> None:
    schema = ParamSchema([ParamSpec("a", DataType.long, 1), ParamSpec("b", DataType.boolean, True)])
    with pytest.raises(SchemaEnforcementError) as caught:
        enforce_params({"a": "x", "b": 3}, schema)
    assert "'a'" in caught.value.message and "'b'" in caught.value.message
