"""Predict-time enforcement of tensor-based signatures (MLflow's ``_enforce_tensor_schema``).

Tensor signatures take numpy arrays (or DataFrames whose rows are flattened tensors), and their
rules (shapes with free axes, dtype widening by casting, stacking DataFrame columns) share
nothing with column enforcement but the widening rule, so they live apart from
:mod:`cairn.models.enforcement`, which dispatches here.
"""

from __future__ import annotations

import sys
from typing import Any

from cairn.errors import SchemaEnforcementError
from cairn.models.dtype_casts import is_upcast
from cairn.models.signature import Schema, TensorSpec


def enforce_tensors(data: Any, schema: Schema) -> Any:
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
    if given.kind in "biuf" and target.kind in "biuf" and is_upcast(given, target):
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
