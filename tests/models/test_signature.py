"""Signature types and their MLmodel JSON, checked byte-for-byte against MLflow 3.17.2."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from typing import Any

import numpy as np
import pytest

from cairn.errors import InvalidParameterValue
from cairn.models.signature import (
    AnyType,
    Array,
    ColSpec,
    DataType,
    Map,
    ModelSignature,
    Object,
    ParamSchema,
    ParamSpec,
    Property,
    Schema,
    TensorSpec,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from mlflow.models.signature import ModelSignature as MlflowSignature
    from mlflow.types import schema as ms


def _both(build: Any) -> tuple[Any, Any]:
    """The same schema built with cairn's types and with MLflow's (same constructor shapes)."""
    cairn_names = {
        "ColSpec": ColSpec,
        "TensorSpec": TensorSpec,
        "Array": Array,
        "Object": Object,
        "Property": Property,
        "Map": Map,
        "AnyType": AnyType,
        "Schema": Schema,
        "ParamSpec": ParamSpec,
        "ParamSchema": ParamSchema,
    }
    mlflow_names = {name: getattr(ms, name) for name in cairn_names}
    return build(cairn_names), build(mlflow_names)


SCHEMAS = {
    "scalars": lambda t: t["Schema"](
        [t["ColSpec"](name, f"c_{name}") for name in [d.name for d in DataType]]
    ),
    "unnamed": lambda t: t["Schema"]([t["ColSpec"]("double")]),
    "optional": lambda t: t["Schema"](
        [t["ColSpec"]("string", "a"), t["ColSpec"]("long", "b", required=False)]
    ),
    "nested": lambda t: t["Schema"](
        [
            t["ColSpec"](t["Array"]("string"), "tags"),
            t["ColSpec"](
                t["Object"](
                    [
                        t["Property"]("z", "double"),
                        t["Property"]("a", t["Array"](t["Map"]("long")), required=False),
                    ]
                ),
                "obj",
            ),
            t["ColSpec"](t["Map"](t["Array"]("boolean")), "m"),
            t["ColSpec"](t["AnyType"](), "anything", required=False),
        ]
    ),
    "tensor": lambda t: t["Schema"]([t["TensorSpec"](np.dtype("float32"), (-1, 28, 28))]),
    "named_tensors": lambda t: t["Schema"](
        [
            t["TensorSpec"](np.dtype("int64"), (-1,), "ids"),
            t["TensorSpec"](np.dtype("str"), (-1, 2), "text"),
        ]
    ),
    "unicode_name": lambda t: t["Schema"]([t["ColSpec"]("string", "prénom")]),
}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_json_is_byte_identical_to_mlflow(name: str) -> None:
    ours, theirs = _both(SCHEMAS[name])
    assert ours.to_json() == theirs.to_json()
    # MLflow keeps tensor shapes as tuples in to_dict(); both are the same JSON list
    assert ours.to_dict() == json.loads(json.dumps(theirs.to_dict()))


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_reads_mlflow_json_back_equal(name: str) -> None:
    ours, theirs = _both(SCHEMAS[name])
    assert Schema.from_json(theirs.to_json()) == ours
    assert ms.Schema.from_json(ours.to_json()) == theirs


def _params(t: dict[str, Any]) -> Any:
    return t["ParamSchema"](
        [
            t["ParamSpec"]("temperature", "double", 0.5),
            t["ParamSpec"]("n", "long", 3),
            t["ParamSpec"]("stop", "string", ["a", "b"], (-1,)),
            t["ParamSpec"]("when", "datetime", dt.datetime(2024, 5, 1, 12, 30)),
            t["ParamSpec"]("days", "datetime", [dt.date(2024, 1, 2)], (-1,)),
            t["ParamSpec"]("flag", "boolean", None),
            t["ParamSpec"]("widened", "double", np.float32(1.5)),
            t["ParamSpec"]("opts", t["Object"]([t["Property"]("k", "long")]), {"k": 1}),
        ]
    )


def test_param_schema_json_is_byte_identical_to_mlflow() -> None:
    ours, theirs = _both(_params)
    assert ours.to_json() == theirs.to_json()
    assert ParamSchema.from_json(theirs.to_json()) == ours


@pytest.mark.parametrize(
    "parts",
    [("inputs",), ("outputs",), ("params",), ("inputs", "outputs"), ("inputs", "params")],
)
def test_model_signature_to_dict_matches_mlflow(parts: tuple[str, ...]) -> None:
    schema, mlflow_schema = _both(SCHEMAS["optional"])
    params, mlflow_params = _both(_params)
    ours = {"inputs": schema, "outputs": schema, "params": params}
    theirs = {"inputs": mlflow_schema, "outputs": mlflow_schema, "params": mlflow_params}
    cairn_sig = ModelSignature(**{p: ours[p] for p in parts})
    mlflow_sig = MlflowSignature(**{p: theirs[p] for p in parts})
    assert cairn_sig.to_dict() == mlflow_sig.to_dict()
    assert ModelSignature.from_dict(mlflow_sig.to_dict()) == cairn_sig
    assert MlflowSignature.from_dict(cairn_sig.to_dict()) == mlflow_sig


def test_signature_equality_is_by_value() -> None:
    a = ModelSignature(Schema([ColSpec(DataType.long, "x")]))
    b = ModelSignature(Schema([ColSpec("long", "x")]))
    assert a == b
    assert a != ModelSignature(Schema([ColSpec(DataType.long, "x", required=False)]))
    assert Object([Property("b", "long"), Property("a", "long")]) == Object(
        [Property("a", "long"), Property("b", "long")]
    )


def test_signature_needs_at_least_one_part() -> None:
    with pytest.raises(InvalidParameterValue):
        ModelSignature()


@pytest.mark.parametrize(
    "inputs",
    [
        [],
        [ColSpec("long", "a"), ColSpec("long")],
        [ColSpec("long", "a"), TensorSpec(np.dtype("int64"), (-1,), "b")],
        [TensorSpec(np.dtype("int64"), (-1,)), TensorSpec(np.dtype("int64"), (-1,))],
        [ColSpec("long", required=False)],
    ],
    ids=["empty", "named-and-unnamed", "mixed-kinds", "unnamed-tensors", "unnamed-optional"],
)
def test_schema_rejects_invalid_combinations(inputs: list[Any]) -> None:
    with pytest.raises(InvalidParameterValue):
        Schema(inputs)


def test_tensor_spec_rejects_sized_string_dtypes_and_keeps_the_dtype_name() -> None:
    with pytest.raises(InvalidParameterValue, match="size information"):
        TensorSpec(np.dtype("<U5"), (-1,))
    spec = TensorSpec(np.float32, [-1, 3])
    assert (spec.dtype, spec.shape, spec.numpy_dtype) == ("float32", (-1, 3), np.dtype("float32"))


def test_unknown_type_name_is_refused() -> None:
    with pytest.raises(InvalidParameterValue, match="Unsupported type 'int128'"):
        ColSpec("int128", "x")


@pytest.mark.parametrize(
    ("dtype", "default", "shape", "message"),
    [
        ("binary", b"x", None, "Binary type is not supported"),
        ("long", 1.5, None, "Can not safely convert"),
        ("boolean", 1, None, "Can not safely convert"),
        ("long", 1, (-1,), "1D array"),
        ("datetime", "not a date", None, "Failed to convert"),
    ],
)
def test_param_spec_validates_its_default(
    dtype: str, default: Any, shape: Any, message: str
) -> None:
    with pytest.raises(InvalidParameterValue, match=message):
        ParamSpec("p", DataType[dtype], default, shape)


def test_param_spec_widens_and_normalises_defaults_like_mlflow() -> None:
    spec = ParamSpec("p", DataType.double, [1, np.int64(2)], (-1,))
    mlflow_spec = ms.ParamSpec("p", "double", [1, np.int64(2)], (-1,))
    assert spec.default == mlflow_spec.default == [1.0, 2.0]
    assert all(type(v) is float for v in spec.default)
    when = ParamSpec("w", DataType.datetime, "2024-01-02T03:04:05")
    assert when.default == dt.datetime(2024, 1, 2, 3, 4, 5)
    assert json.loads(ParamSchema([when]).to_json())[0]["default"] == "2024-01-02T03:04:05"


def test_param_schema_rejects_duplicate_names() -> None:
    with pytest.raises(InvalidParameterValue, match="Duplicated"):
        ParamSchema([ParamSpec("a", DataType.long, 1), ParamSpec("a", DataType.long, 2)])


def test_legacy_optional_key_is_read_as_not_required() -> None:
    schema = Schema.from_json('[{"type": "long", "name": "a", "optional": true}]')
    assert schema == Schema([ColSpec("long", "a", required=False)])


def test_schema_helpers_name_required_and_optional_inputs() -> None:
    schema = Schema([ColSpec("long", "a"), ColSpec("double", "b", required=False)])
    assert schema.input_names() == ["a", "b"]
    assert schema.required_input_names() == ["a"]
    assert schema.optional_input_names() == ["b"]
    assert Schema([ColSpec("long"), ColSpec("long")]).input_names() == [0, 1]
    assert repr(schema) == repr(
        ms.Schema([ms.ColSpec("long", "a"), ms.ColSpec("double", "b", required=False)])
    )


def test_docstring_examples_run() -> None:
    import doctest

    from cairn.models import infer, signature

    for module in (signature, infer):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
