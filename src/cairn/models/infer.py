"""Infer a model signature from example data, with MLflow's exact rules.

The inferred signature is written into ``MLmodel`` and compared by people and tools across
MLflow and cairn, so every rule here (ints are ``long``, a column holding a missing value is
optional, numpy arrays become tensors with a variable first axis...) follows MLflow 3.17.2.
pandas and numpy are imported only when data of their kind is seen.

>>> infer_signature({"text": "hi"}).to_dict()["inputs"]
'[{"type": "string", "name": "text", "required": true}]'
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from copy import deepcopy
from typing import Any

from cairn.errors import InvalidParameterValue
from cairn.models.signature import (
    AnyType,
    Array,
    ColSpec,
    ColType,
    DataType,
    ModelSignature,
    Object,
    ParamSchema,
    ParamSpec,
    Property,
    Schema,
    TensorSpec,
    value_has_type,
)
from cairn.models.type_merging import merge_types

__all__ = [
    "infer_param_schema",
    "infer_schema",
    "infer_signature",
    "infer_signature_from_example",
    "merge_types",
]

logger = logging.getLogger(__name__)

_MIXED_TYPES = (
    "Expected all values in the list to be of the same type. To specify a model signature "
    "with a list containing elements of multiple types, define the signature manually "
    "using the Array(AnyType()) type."
)
_INT_HINT = (
    "Hint: Inferred schema contains integer column(s). Integer columns in Python cannot "
    "represent missing values. If your input data contains missing values at inference time, "
    "it will be encoded as floats and will cause a schema enforcement error. Infer the schema "
    "from a realistic sample that includes missing values, or declare such columns as double."
)


def _module(name: str) -> Any:
    """A library the caller already imported, or None: data of its type cannot exist otherwise,
    so there is no need to import it just to run ``isinstance``."""
    return sys.modules.get(name)


def infer_signature(
    model_input: Any = None, model_output: Any = None, params: dict[str, Any] | None = None
) -> ModelSignature:
    """The signature of a model from an example input, output and inference params.

    Like MLflow, data whose schema cannot be inferred gets ``Schema([ColSpec(AnyType())])``
    (with a logged warning) rather than an error; bad params do raise.
    """
    schemas: dict[str, Schema | None] = {"inputs": None, "outputs": None}
    for key, data in (("inputs", model_input), ("outputs", model_output)):
        if data is None:
            continue
        try:
            schemas[key] = infer_schema(data)
        except _PydanticInput:
            raise
        except Exception as exc:
            logger.warning(
                "Failed to infer schema for %s (%s). Setting schema to "
                "`Schema([ColSpec(type=AnyType())])` as default.",
                key,
                exc,
            )
            schemas[key] = Schema([ColSpec(AnyType())])
    param_schema = infer_param_schema(params) if params else None
    return ModelSignature(schemas["inputs"], schemas["outputs"], param_schema)


class _PydanticInput(InvalidParameterValue):
    """Pydantic objects are typed by the model's type hints, never by example (as in MLflow)."""


def infer_schema(data: Any) -> Schema:
    """The Schema of one dataset: DataFrame/Series/list of dicts/dict/scalars give column
    specs, numpy arrays and dicts of numpy arrays give tensor specs."""
    np = _module("numpy")
    pd = _module("pandas")
    if isinstance(data, list) and not data:
        return Schema([ColSpec(DataType.string)])  # MLflow < 2.9 compatibility
    if isinstance(data, list) and all(isinstance(v, dict) for v in data):
        schema = _schema_of_records(data)
    elif isinstance(data, dict):
        if np is not None and all(isinstance(v, np.ndarray) for v in data.values()):
            schema = Schema([_tensor_spec(v, name) for name, v in data.items()])
        else:
            if any(not isinstance(k, str) for k in data):
                raise InvalidParameterValue("The dictionary keys are not all strings.")
            specs = [ColSpec(_infer_type(v), k, _required(v)) for k, v in data.items()]
            schema = Schema(specs)
    elif pd is not None and isinstance(data, pd.Series):
        schema = Schema([ColSpec(_pandas_column_type(data), data.name, _required(data))])
    elif pd is not None and isinstance(data, pd.DataFrame):
        columns = [(c, data[c]) for c in data.columns]
        schema = Schema([ColSpec(_pandas_column_type(s), c, _required(s)) for c, s in columns])
    elif np is not None and isinstance(data, np.ndarray):
        schema = Schema([_tensor_spec(data, None)])
    elif isinstance(data, list):
        item_type = _infer_type(data)
        assert isinstance(item_type, Array)
        schema = Schema([ColSpec(item_type.items)])
    else:
        try:
            schema = Schema([ColSpec(_infer_type(data))])
        except InvalidParameterValue as exc:
            raise InvalidParameterValue(
                "Failed to infer schema. Expected a pandas DataFrame or Series, a numpy array, "
                "a dict of numpy arrays, a scalar, a list of scalars, a dict or a list of dicts, "
                f"but got '{data}'. Error: {exc.message}"
            ) from None
    if not schema.is_tensor_spec() and any(
        t in (DataType.integer, DataType.long) for t in schema.input_types()
    ):
        logger.info(_INT_HINT)
    return schema


def _schema_of_records(rows: list[dict[str, Any]]) -> Schema:
    """A list of dicts is a table: one column per key, optional where some row lacks it."""
    columns: dict[Any, list[Any]] = {}
    for row in rows:
        for key, value in row.items():
            columns.setdefault(key, []).append(value)
    specs = []
    for name, values in columns.items():
        required = all(row.get(name) is not None for row in rows)
        column_type = _infer_type(values)
        if not isinstance(column_type, Array):
            raise InvalidParameterValue(f"Could not infer a type for column {name!r}")
        specs.append(ColSpec(column_type.items, name, required))
    return Schema(specs)


def _tensor_spec(array: Any, name: str | None) -> TensorSpec:
    """Variable first axis; ``<U5``-style dtypes lose their size (``str``)."""
    import numpy as np

    dtype = array.dtype
    if dtype.char == "U":
        dtype = np.dtype("str")
    elif dtype.char == "S":
        dtype = np.dtype("bytes")
    shape = list(array.shape)
    if not shape:
        raise InvalidParameterValue("The specified variable_dimension 0 is out of bounds")
    shape[0] = -1
    return TensorSpec(dtype, tuple(shape), name)


def _is_missing(value: Any) -> bool:
    if isinstance(value, float):
        return value != value  # NaN
    pd = _module("pandas")
    return value is None or (pd is not None and (value is pd.NA or value is pd.NaT))


def _required(column: Any) -> bool:
    pd = _module("pandas")
    if isinstance(column, list) or (pd is not None and isinstance(column, pd.Series)):
        return not any(_is_missing(x) for x in column)
    return not _is_missing(column)


def _infer_type(data: Any) -> ColType:
    """dict -> Object, list/ndarray -> Array, None/empty -> AnyType, scalar -> DataType."""
    found = _infer_type_or_none(data)
    if found is None:
        raise InvalidParameterValue(
            f"Numpy array must include at least one non-empty item. Invalid input `{data}`."
        )
    return found


def _infer_type_or_none(data: Any) -> ColType | None:
    """None means "no information" (an empty numpy array), which list inference skips."""
    pydantic = _module("pydantic")
    if pydantic is not None and isinstance(data, pydantic.BaseModel):
        raise _PydanticInput(
            "MLflow does not support inferring model signature from input example with "
            "Pydantic objects; type the model's predict input with the Pydantic type instead."
        )
    if _is_missing(data) or (isinstance(data, (list, dict)) and not data):
        return AnyType()
    if isinstance(data, dict):
        props = []
        for key, value in data.items():
            value_type = _infer_type_or_none(value)
            if value_type is None:
                raise InvalidParameterValue("Dictionary value must not be an empty numpy array.")
            props.append(Property(key, value_type, not isinstance(value_type, AnyType)))
        return Object(props)
    np = _module("numpy")
    if isinstance(data, list) or (np is not None and isinstance(data, np.ndarray)):
        return _infer_array_type(data)
    return _scalar_type(data)


def _infer_array_type(items: Any) -> Array | None:
    result: Array | None = None
    for item in items:
        item_type = _infer_type_or_none(item)
        if item_type is None:
            continue
        if result is None:
            result = Array(item_type)
        elif isinstance(result.items, DataType):
            if not isinstance(item_type, AnyType) and item_type != result.items:
                raise InvalidParameterValue(_MIXED_TYPES)
        else:
            try:
                result = Array(merge_types(result.items, item_type))
            except InvalidParameterValue as exc:
                raise InvalidParameterValue(_MIXED_TYPES) from exc
    return result


def _scalar_type(value: Any) -> DataType:
    np = _module("numpy")
    exact: dict[Any, DataType] = {bool: DataType.boolean, int: DataType.long}
    exact.update({float: DataType.double, str: DataType.string, object: DataType.string})
    exact.update({bytes: DataType.binary, bytearray: DataType.binary})
    if np is not None:
        exact.update({np.bool_: DataType.boolean, np.int64: DataType.long})
        exact.update({np.int32: DataType.integer, np.float64: DataType.double})
        exact.update({np.float32: DataType.float, np.str_: DataType.string})
        exact.update({np.bytes_: DataType.binary})
    if (found := exact.get(type(value))) is not None:
        return found
    if value_has_type(DataType.datetime, value):
        return DataType.datetime
    raise InvalidParameterValue(f"Data {value} is not one of the supported DataType")


def _numpy_type(dtype: Any) -> DataType:
    """numpy/pandas dtype -> DataType by kind and size (uint64 and float128 are refused)."""
    kind, size = dtype.kind, dtype.itemsize
    if kind == "b":
        return DataType.boolean
    if kind in ("i", "u"):
        if size < 4 or (kind == "i" and size == 4):
            return DataType.integer
        if size < 8 or (kind == "i" and size == 8):
            return DataType.long
    elif kind == "f":
        if size <= 4:
            return DataType.float
        if size <= 8:
            return DataType.double
    elif kind in ("U", "S", "M"):
        return {"U": DataType.string, "S": DataType.binary, "M": DataType.datetime}[kind]
    raise InvalidParameterValue(f"Unsupported numpy data type '{dtype}', kind '{kind}'")


def _pandas_column_type(column: Any) -> ColType:
    import pandas as pd

    if len(column.values.shape) > 1:
        raise InvalidParameterValue(f"Expected 1d array, got array with shape {column.shape}")
    if column.dtype.kind == "O":
        column = column.infer_objects()
    if column.dtype.kind != "O":
        return _numpy_type(column.dtype)
    try:
        column_type = _infer_type(column.to_list())
        assert isinstance(column_type, Array)
        return column_type.items
    except Exception as exc:
        if pd.api.types.is_string_dtype(column):
            return DataType.string  # backwards compatibility with MLflow
        raise InvalidParameterValue(f"Failed to infer schema for pandas.Series: {exc}") from exc


# Params ------------------------------------------------------------------------------------


def _param_type_and_shape(value: Any) -> tuple[DataType | Object, tuple[int, ...] | None]:
    import numpy as np

    if isinstance(value, (list, np.ndarray)):
        if (depth := _depth(value)) != 1:
            raise InvalidParameterValue(
                f"Expected parameters to be 1D array or scalar, got {depth}D array"
            )
        if all(value_has_type(DataType.datetime, v) for v in value):
            return DataType.datetime, (-1,)
        return _numpy_type(np.array(value).dtype), (-1,)
    if value_has_type(DataType.datetime, value):
        return DataType.datetime, None
    if np.isscalar(value):
        return _numpy_type(np.array(value).dtype), None
    if isinstance(value, dict):
        spec = infer_schema({"value": value}).inputs[0]
        if isinstance(spec, ColSpec) and isinstance(spec.type, Object):
            return spec.type, None
        raise InvalidParameterValue(f"Can not infer an object type for {value!r}")
    raise InvalidParameterValue(
        f"Expected parameters to be 1D array or scalar, got {type(value).__name__}"
    )


def _depth(value: Any) -> int:
    import numpy as np

    if isinstance(value, np.ndarray):
        return int(value.ndim)
    if isinstance(value, list):
        return max((_depth(v) for v in value), default=0) + 1
    return 0


def infer_param_schema(params: dict[str, Any]) -> ParamSchema:
    """One ParamSpec per param, the value becoming its default; every bad param is named."""
    if not isinstance(params, dict):
        raise InvalidParameterValue(f"Expected parameters to be dict, got {type(params).__name__}")
    specs, invalid = [], []
    for name, value in params.items():
        try:
            dtype, shape = _param_type_and_shape(value)
            specs.append(ParamSpec(name, dtype, deepcopy(value), shape))
        except Exception as exc:  # every bad param is reported, as MLflow does
            invalid.append((name, value, str(exc)))
    if invalid:
        raise InvalidParameterValue(f"Failed to infer schema for parameters: {invalid}")
    return ParamSchema(specs)


def infer_signature_from_example(
    example: Any, predict: Callable[[Any, dict[str, Any] | None], Any]
) -> ModelSignature | None:
    """Inputs from the example, outputs from running ``predict(data, params)`` on it (as
    MLflow's ``log_model`` does); None, with a warning, when the model cannot be run."""
    from cairn.models.enforcement import enforce_params, enforce_schema

    data, params = example, None
    if isinstance(example, tuple) and len(example) == 2 and isinstance(example[1], dict):
        data, params = example
    try:
        input_schema = infer_schema(deepcopy(data))
        param_schema = infer_param_schema(params) if params else None
        enforced = enforce_schema(deepcopy(data), input_schema)
        enforced_params = enforce_params(params, param_schema)
        prediction = predict(enforced, enforced_params)
        if not input_schema.is_tensor_spec() and getattr(prediction, "ndim", None) == 1:
            import pandas as pd  # 1-D predictions of a table model are one output column

            if not isinstance(prediction, pd.Series):
                prediction = pd.Series(prediction)
        try:
            output_schema = infer_schema(prediction)
        except Exception:
            logger.warning("Failed to infer the model output schema; using AnyType.")
            output_schema = Schema([ColSpec(AnyType())])
        return ModelSignature(input_schema, output_schema, param_schema)
    except Exception as exc:
        logger.warning("Failed to infer the model signature from the input example: %r", exc)
        return None
