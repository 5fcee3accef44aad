"""Predict-time enforcement of a model signature, following MLflow's ``_enforce_schema``.

A model must see the data it was trained on, in the same shape, whether it is called in-process
or through the scoring server: columns are selected and ordered by the signature, values are
cast only when the cast cannot change them (int -> double, float32 -> double), and anything
else is refused with a :class:`~cairn.errors.SchemaEnforcementError` naming the column and both
types. Extra inputs are dropped with a logged warning, as MLflow does. pandas is imported only
for column-based signatures or DataFrame inputs. Tensor inputs are handed to
:mod:`cairn.models.tensor_enforcement` and params are checked by
:mod:`cairn.models.param_enforcement`; their entry points are re-exported here.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from cairn.errors import CairnError, SchemaEnforcementError
from cairn.models.dtype_casts import is_upcast
from cairn.models.param_enforcement import enforce_params
from cairn.models.signature import (
    AnyType,
    Array,
    ColSpec,
    ColType,
    DataType,
    Map,
    Object,
    Schema,
)
from cairn.models.tensor_enforcement import enforce_tensor, enforce_tensors

__all__ = [
    "enforce_column",
    "enforce_params",
    "enforce_schema",
    "enforce_tensor",
    "enforce_value",
]

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
        return enforce_tensors(data, schema)
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
    if is_upcast(values.dtype, target) or (
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
