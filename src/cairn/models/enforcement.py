"""Predict-time enforcement of a model signature, following MLflow's ``_enforce_schema``.

A model must see the data it was trained on, in the same shape, whether it is called in-process
or through the scoring server: columns are selected and ordered by the signature, values are
cast only when the cast cannot change them (int -> double, float32 -> double), and anything
else is refused with a :class:`~cairn.errors.SchemaEnforcementError` naming the column and both
types. Extra inputs are dropped with a logged warning, as MLflow does. pandas is imported only
for column-based signatures or DataFrame inputs.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from cairn.errors import CairnError, SchemaEnforcementError
from cairn.models.signature import (
    AnyType,
    Array,
    ColSpec,
    ColType,
    DataType,
    Map,
    Object,
    ParamSchema,
    Schema,
    TensorSpec,
)

logger = logging.getLogger(__name__)

_INT_NAN_HINT = (
    " Hint: the type mismatch is likely caused by missing values. Integer columns in python "
    "can not represent missing values and are therefore encoded as floats. The best way to "
    "avoid this problem is to infer the model schema based on a realistic data sample "
    "(training dataset) that includes missing values. Alternatively, you can declare integer "
    "columns as doubles (float64) whenever these columns may have missing values. See "
    "`Handling Integers With Missing Values <https://www.mlflow.org/docs/latest/models.html#"
    "handling-integers-with-missing-values>`_ for more details."
)


def enforce_schema(data: Any, schema: Schema) -> Any:
    """``data`` checked and cast to ``schema``: a DataFrame for column-based signatures, an
    array (or a dict of arrays for named tensors) for tensor-based ones."""
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(data, pd.Series):
        data = pd.DataFrame(data)
    if not schema.is_tensor_spec():
        data = _to_frame(data, schema)
    if schema.has_input_names():
        data = _check_names(data, schema)
    elif not schema.is_tensor_spec() and len(data.columns) < len(schema.inputs):
        raise SchemaEnforcementError(
            f"Model inference is missing inputs. The model signature declares "
            f"{len(schema.inputs)} inputs  but the provided value only has "
            f"{len(data.columns)} inputs. Note: the inputs were not named in the signature so "
            "we can only verify their count."
        )
    if schema.is_tensor_spec():
        return _enforce_tensors(data, schema)
    return _enforce_columns(data, schema)


def _check_names(data: Any, schema: Schema) -> Any:
    """Missing required inputs fail (naming them); extra ones are only logged."""
    required = schema.required_input_names()
    actual: set[Any] = set()
    np = sys.modules.get("numpy")
    if len(required) == 1 and np is not None and isinstance(data, np.ndarray):
        return {required[0]: data}
    if hasattr(data, "columns"):
        actual = set(data.columns)
    elif isinstance(data, dict):
        actual = set(data)
    missing = [c for c in required if c not in actual]
    extra = [c for c in actual if c not in set(schema.input_names())]
    if missing:
        message = f"Model is missing inputs {missing}."
        if extra:
            message += f" Note that there were extra inputs: {extra}."
        raise SchemaEnforcementError(message)
    if extra:
        logger.warning(
            "Found extra inputs in the model input that are not defined in the model "
            "signature: `%s`. These inputs will be ignored.",
            extra,
        )
    return data


def _to_frame(data: Any, schema: Schema) -> Any:
    """Column-based signatures see a DataFrame: scalars and flat dicts become one row."""
    import numpy as np
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return data
    if np.isscalar(data):
        return pd.DataFrame([data])
    if isinstance(data, dict):
        return _dict_to_frame(data, schema)
    if isinstance(data, (list, np.ndarray)):
        return pd.DataFrame(data)
    raise SchemaEnforcementError(f"Expected input to be DataFrame. Found: {type(data).__name__}")


def _dict_to_frame(data: dict[Any, Any], schema: Schema) -> Any:
    import numpy as np
    import pandas as pd

    def one_row(value: Any) -> bool:
        if np.isscalar(value) or value is None:
            return True
        return isinstance(value, list) and all(isinstance(item, str) for item in value)

    nested = any(
        isinstance(s, ColSpec) and isinstance(s.type, (Array, Object)) for s in schema.inputs
    )
    try:
        if nested or all(one_row(v) for v in data.values()):
            return pd.DataFrame([data])
        if all(
            isinstance(v, np.ndarray) and v.dtype.type == np.str_ and v.shape == ()
            for v in data.values()
        ):
            return pd.DataFrame([data])
        return pd.DataFrame(
            {
                k: v.tolist() if isinstance(v, np.ndarray) and v.ndim > 1 else v
                for k, v in data.items()
            }
        )
    except Exception as exc:
        raise SchemaEnforcementError(
            "This model contains a column-based signature, which suggests a DataFrame input. "
            f"There was an error casting the input data to a DataFrame: {exc}"
        ) from exc


def _enforce_columns(frame: Any, schema: Schema) -> Any:
    """A new DataFrame holding exactly the signature's columns, in its order, cast."""
    import pandas as pd

    if schema.has_input_names():
        names = [n for n in schema.input_names() if n in frame.columns]
        specs = [schema.input_dict()[n] for n in names]
    else:
        names = list(frame.columns[: len(schema.inputs)])
        specs = list(schema.inputs)
    out = {}
    for name, spec in zip(names, specs, strict=True):
        assert isinstance(spec, ColSpec)
        column = frame[name]
        if isinstance(spec.type, DataType):
            out[name] = enforce_column(name, column, spec.type)
        else:
            values = [enforce_value(v, spec.type, spec.required) for v in column]
            out[name] = pd.Series(values, index=frame.index, name=name)
    return pd.DataFrame(out)


def enforce_column(name: Any, values: Any, dtype: DataType) -> Any:
    """One pandas column cast to ``dtype`` when safe (MLflow's ``_enforce_mlflow_datatype``)."""
    import numpy as np
    import pandas as pd

    if values.dtype == object and dtype not in (DataType.binary, DataType.string):
        values = values.infer_objects()
    is_str_dtype = isinstance(values.dtype, pd.StringDtype)
    if dtype is DataType.string and (values.dtype == object or is_str_dtype):
        return values
    if dtype is DataType.binary and is_str_dtype:
        return values
    target = dtype.to_numpy()
    if values.dtype == dtype.to_pandas() or values.dtype == target:
        return values
    if dtype is DataType.binary and values.dtype.kind == target.kind:
        return values
    if dtype is DataType.datetime:
        return _datetime_column(name, values, dtype)
    if dtype is DataType.boolean and values.dtype == object:
        return values  # casting would turn None into False
    if dtype is DataType.double and values.dtype == object:
        try:
            return pd.to_numeric(values, errors="raise")  # decimal.Decimal from Spark
        except (ValueError, TypeError) as exc:
            raise SchemaEnforcementError(
                f"Failed to convert column {name} from type {values.dtype} to {dtype}."
            ) from exc
    if _is_upcast(values.dtype, target) or (
        values.dtype == np.int64
        and target in (np.float32, np.float64)
        and all(pd.isnull(x) or x in (0, 1) for x in values)
    ):
        return values.astype(target, errors="raise")
    hint = ""
    if values.dtype == np.float64 and target.kind in ("i", "u") and values.hasnans:
        hint = _INT_NAN_HINT if all(pd.isnull(x) or int(x) == x for x in values) else ""
    raise SchemaEnforcementError(
        f"Incompatible input types for column {name}. "
        f"Can not safely convert {values.dtype} to {target}.{hint}"
    )


def _is_upcast(given: Any, target: Any) -> bool:
    """Same kind and not narrower; unsigned into wider signed; small ints into double."""
    import numpy as np

    if given.kind == target.kind:
        return bool(given.itemsize <= target.itemsize)
    if given.kind == "u" and target.kind == "i":
        return bool(given.itemsize < target.itemsize)
    return given.kind in ("i", "u") and target == np.float64 and given.itemsize <= 6


def _datetime_column(name: Any, values: Any, dtype: DataType) -> Any:
    """Any datetime precision, and object columns of dates, become ``datetime64[ns]``."""
    import numpy as np

    if values.dtype.kind == "M":
        try:
            return values.astype(np.dtype("datetime64[ns]"))
        except TypeError as exc:
            raise SchemaEnforcementError(
                "Please ensure that the input data of datetime column only contains "
                f"timezone-naive datetime objects. Error: {exc}"
            ) from exc
    if values.dtype == object:
        try:
            return values.astype(np.dtype("datetime64[ns]"), errors="raise")
        except (ValueError, TypeError) as exc:
            raise SchemaEnforcementError(
                f"Failed to convert column {name} from type {values.dtype} to {dtype}."
            ) from exc
    raise SchemaEnforcementError(
        f"Incompatible input types for column {name}. "
        f"Can not safely convert {values.dtype} to {dtype.to_numpy()}."
    )


def enforce_value(data: Any, dtype: ColType, required: bool = True) -> Any:
    """One cell (or a nested value) checked against an Array/Object/Map/scalar type."""
    if isinstance(dtype, DataType):
        return _enforce_scalar(data, dtype, required)
    if isinstance(dtype, Array):
        return _enforce_array(data, dtype, required)
    if isinstance(dtype, Object):
        return _enforce_object(data, dtype, required)
    if isinstance(dtype, Map):
        return _enforce_map(data, dtype, required)
    return data  # AnyType


def _enforce_scalar(data: Any, dtype: DataType, required: bool) -> Any:
    import numpy as np
    import pandas as pd

    if not required and (data is None or (isinstance(data, float) and data != data)):
        return None
    if not np.isscalar(data):
        raise SchemaEnforcementError(f"Expected data to be scalar, got {type(data).__name__}")
    try:
        return enforce_column("", pd.Series(data), dtype)[0]
    except SchemaEnforcementError:
        raise SchemaEnforcementError(
            f"Failed to enforce schema of data `{data!s}` with dtype `{dtype.name}`"
        ) from None


def _enforce_array(data: Any, arr: Array, required: bool) -> Any:
    import numpy as np
    import pandas as pd

    empty_ok = not required or isinstance(arr.items, AnyType)
    if empty_ok and (data is None or (isinstance(data, (list, np.ndarray)) and len(data) == 0)):
        return data
    if not isinstance(data, (list, np.ndarray)):
        raise SchemaEnforcementError(
            f"Expected data to be list or numpy array, got {type(data).__name__}"
        )
    if isinstance(arr.items, DataType):
        if len(data) == 0:
            return data
        column = enforce_column("", pd.Series(data), arr.items)
        enforced = column.to_numpy(dtype=arr.items.to_numpy())
        return enforced.tolist() if isinstance(data, list) else enforced
    items = [enforce_value(x, arr.items, required) for x in data]
    return items if isinstance(data, list) else np.array(items)


def _enforce_object(data: Any, obj: Object, required: bool) -> Any:
    if not required and (data is None or data == {}):
        return data
    if not isinstance(data, dict):
        raise SchemaEnforcementError(
            f"Failed to enforce schema of '{data}' with type '{obj}'. "
            f"Expected data to be dictionary, got {type(data).__name__}"
        )
    props = {p.name: p for p in obj.properties}
    if missing := {n for n, p in props.items() if p.required} - set(data):
        raise SchemaEnforcementError(f"Missing required properties: {missing}")
    if unknown := set(data) - set(props):
        raise SchemaEnforcementError(
            f"Invalid properties not defined in the schema found: {unknown}"
        )
    for key, value in data.items():
        prop = props[key]
        try:
            data[key] = enforce_value(value, prop.dtype, prop.required)
        except CairnError:
            expected = prop.to_dict()[key]["type"]
            raise SchemaEnforcementError(
                f"Failed to enforce schema for key `{key}`. Expected type {expected}, "
                f"received type {type(value).__name__}"
            ) from None
    return data


def _enforce_map(data: Any, map_type: Map, required: bool) -> Any:
    lenient = not required or isinstance(map_type.value_type, AnyType)
    if lenient and (data is None or data == {}):
        return data
    if not isinstance(data, dict):
        raise SchemaEnforcementError(f"Expected data to be a dict, got {type(data).__name__}")
    if not all(isinstance(k, str) for k in data):
        raise SchemaEnforcementError("Expected all keys in the map type data are string type.")
    return {k: enforce_value(v, map_type.value_type, required) for k, v in data.items()}


def enforce_params(
    params: dict[str, Any] | None, schema: ParamSchema | None
) -> dict[str, Any] | None:
    """Params cast to the schema, defaults filled in; unknown names are dropped with a logged
    warning (as MLflow does), mistyped values fail naming every bad param."""
    if schema is None:
        if params in (None, {}):
            return params
        logger.warning(
            "`params` can only be specified at inference time if the model signature defines "
            "a params schema. This model does not define a params schema. Ignoring provided "
            "params: %s",
            list(params) if isinstance(params, dict) else params,
        )
        return {}
    params = {} if params is None else params
    if not isinstance(params, dict):
        raise SchemaEnforcementError(
            f"Parameters must be a dictionary. Got type '{type(params).__name__}'."
        )
    params = {str(k): v for k, v in params.items()}
    allowed = {p.name for p in schema.params}
    if ignored := [k for k in params if k not in allowed]:
        logger.warning(
            "Unrecognized params %s are ignored for inference. Supported params are: %s. "
            "To enable them, please add corresponding schema in ModelSignature.",
            ignored,
            allowed,
        )
    result = {k: v for k, v in params.items() if k in allowed}
    invalid = set()
    for spec in schema.params:
        if spec.name not in result:
            result[spec.name] = spec.default
            continue
        try:
            result[spec.name] = spec.validate(result[spec.name])
        except CairnError as exc:
            invalid.add((spec.name, exc.message))
    if invalid:
        raise SchemaEnforcementError(f"Invalid parameters found: {invalid!r}")
    return result


# Tensors -----------------------------------------------------------------------------------


def _enforce_tensors(data: Any, schema: Schema) -> Any:
    """Named tensors take a dict of arrays (or a DataFrame of flattened rows); an unnamed
    tensor takes one array (or a DataFrame whose columns are its second axis)."""
    import numpy as np

    pd = sys.modules.get("pandas")
    is_frame = pd is not None and isinstance(data, pd.DataFrame)
    specs = [s for s in schema.inputs if isinstance(s, TensorSpec)]
    if schema.has_input_names():
        if isinstance(data, dict):
            for spec in specs:
                if not isinstance(data[spec.name], np.ndarray):
                    raise SchemaEnforcementError(
                        "This model contains a tensor-based model signature with input names, "
                        "which suggests a dictionary input mapping input name to a numpy array, "
                        f"but a dict with value type {type(data[spec.name])} was found."
                    )
            return {s.name: enforce_tensor(data[s.name], s) for s in specs}
        if is_frame:
            return {s.name: _frame_column_tensor(s.name, data[s.name], s) for s in specs}
        raise SchemaEnforcementError(
            "This model contains a tensor-based model signature with input names, which "
            "suggests a dictionary input mapping input name to tensor, or a pandas DataFrame "
            "input containing columns mapping input name to flattened list value from tensor, "
            f"but an input of type {type(data)} was found."
        )
    spec = specs[0]
    if isinstance(data, np.ndarray):
        return enforce_tensor(data, spec)
    if not is_frame:
        raise SchemaEnforcementError(
            "This model contains a tensor-based model signature with no input names, which "
            "suggests a numpy array input or a pandas dataframe input with proper column "
            f"values, but an input of type {type(data)} was found."
        )
    if data.empty:
        raise SchemaEnforcementError("Input DataFrame is empty.")
    if len(data.columns) == 1:
        return _frame_column_tensor(None, data[data.columns[0]], spec)
    if spec.shape != (-1, len(data.columns)):
        raise SchemaEnforcementError(
            "This model contains a model signature with an unnamed input. Since the input data "
            "is a pandas DataFrame containing multiple columns, the input shape must be of the "
            f"structure (-1, number_of_dataframe_columns). Instead, the input DataFrame passed "
            f"had {len(data.columns)} columns and an input shape of {spec.shape} with all values "
            "within the DataFrame of scalar type. Please adjust the passed in DataFrame to match "
            "the expected structure"
        )
    return enforce_tensor(data.to_numpy(), spec)


def enforce_tensor(values: Any, spec: TensorSpec) -> Any:
    """Shape must match (-1 is free); the dtype must match or be safely widened, which cairn
    does by casting (MLflow refuses any dtype difference here)."""
    expected, actual = spec.shape, values.shape
    given = values.dtype
    if expected == (-1,) and spec.dtype == "object":
        return values  # ragged arrays pass unchecked, as in MLflow
    if len(expected) > 1 and -1 in expected[1:] and len(actual) == 1 and given.kind == "O":
        return values
    fits = all(e in (-1, a) for e, a in zip(expected, actual, strict=False))
    if len(expected) != len(actual) or not fits:
        raise SchemaEnforcementError(
            f"Shape of input {actual} does not match expected shape {expected}."
        )
    target = spec.numpy_dtype
    if given.char in ("U", "S"):
        given_clean = "str" if given.char == "U" else "bytes"
        if given_clean == spec.dtype:
            return values
    if given == target:
        return values
    if given.kind in "biuf" and target.kind in "biuf" and _is_upcast(given, target):
        return values.astype(target)
    raise SchemaEnforcementError(f"dtype of input {given} does not match expected dtype {target}")


def _frame_column_tensor(name: str | None, column: Any, spec: TensorSpec) -> Any:
    """A DataFrame column of scalars, lists or arrays stacked into one tensor."""
    import numpy as np

    label = f"input {name}" if name else "the unnamed input"
    if spec.shape[0] != -1 or -1 in spec.shape[1:]:
        raise SchemaEnforcementError(
            "For pandas dataframe input, the first dimension of shape must be a variable "
            "dimension and other dimensions must be fixed, but in model signature the shape "
            f"of {label} is {spec.shape}."
        )
    first = column.iloc[0]
    if np.isscalar(first):
        if spec.shape not in ((-1,), (-1, 1)):
            raise SchemaEnforcementError(
                f"The input pandas dataframe column '{name}' contains scalar values, which "
                "requires the shape to be (-1,) or (-1, 1), but got tensor spec shape of "
                f"{spec.shape}."
            )
        return enforce_tensor(np.array(column, dtype=spec.numpy_dtype).reshape(spec.shape), spec)
    if not isinstance(first, (list, np.ndarray)):
        raise SchemaEnforcementError(
            "Because the model signature requires tensor spec input, the input pandas "
            "dataframe values should be either scalar value, python list containing scalar "
            "values or numpy array containing scalar values, other types are not supported."
        )
    message = (
        f"The value in the Input DataFrame column '{name}' could not be converted to the "
        f"expected shape of: '{spec.shape}'. "
        + (
            "Ensure that each of the input list elements are of uniform length and that the "
            f"data can be coerced to the tensor type '{spec.numpy_dtype}'"
            if isinstance(first, list)
            else "Ensure that each of the input numpy array elements are of uniform length and "
            "can be reshaped to above expected shape."
        )
    )
    try:
        stacked = np.vstack(column.tolist()).reshape(spec.shape)
        if isinstance(first, list):  # lists carry no dtype: cast, as MLflow does
            stacked = stacked.astype(spec.numpy_dtype)
    except ValueError as exc:
        raise SchemaEnforcementError(message) from exc
    if len(stacked) != len(column):
        raise SchemaEnforcementError(message)
    return stacked if isinstance(first, list) else enforce_tensor(stacked, spec)
