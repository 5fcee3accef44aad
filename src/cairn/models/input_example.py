"""Input examples saved beside a model, in MLflow's exact file format.

``input_example.json`` lets a loaded model show (and infer a signature from) what it eats;
``serving_input_example.json`` is the ready-to-POST ``/invocations`` payload. Both files and
the ``saved_input_example_info`` block of ``MLmodel`` are written byte-for-byte like MLflow
3.17.2, so ``mlflow.models.Model.load_input_example`` reads cairn models and vice versa.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from cairn.errors import InvalidParameterValue
from cairn.models.signature import ColSpec, DataType, Schema, TensorSpec

EXAMPLE_FILENAME = "input_example.json"
SERVING_INPUT_FILENAME = "serving_input_example.json"
#: Top-level keys the scoring server passes through unwrapped (chat, completions, embeddings).
_LLM_KEYS = ("messages", "prompt", "input")


class _ExampleEncoder(json.JSONEncoder):
    """MLflow's ``NumpyEncoder``: numpy values as Python ones, bytes as base64 (with the
    trailing newline of ``base64.encodebytes``), dates as ISO strings."""

    def default(self, o: Any) -> Any:
        converted, ok = _convert(o)
        return converted if ok else super().default(o)


def _convert(o: Any) -> tuple[Any, bool]:
    np = sys.modules.get("numpy")
    pd = sys.modules.get("pandas")
    if np is not None and isinstance(o, np.ndarray):
        if o.dtype == object:
            return [_convert(x)[0] for x in o.tolist()], True
        if o.dtype == np.bytes_:
            return np.vectorize(_b64)(o), True
        return o.tolist(), True
    if np is not None and isinstance(o, np.generic):
        return o.item(), True
    if isinstance(o, (bytes, bytearray)):
        return _b64(o), True
    if isinstance(o, (dt.date, dt.datetime, dt.time)) or (
        pd is not None and isinstance(o, pd.Timestamp)
    ):
        return o.isoformat(), True
    pydantic = sys.modules.get("pydantic")
    if pydantic is not None and isinstance(o, pydantic.BaseModel):
        return o.model_dump(), True
    return o, False


def _b64(value: bytes | bytearray) -> str:
    return base64.encodebytes(value).decode("ascii")


def split_example(example: Any) -> tuple[Any, dict[str, Any] | None]:
    """``(data, params)`` when the example is such a pair, else ``(example, None)``; the
    params must be inferable (they become the signature's param defaults)."""
    if isinstance(example, tuple) and len(example) == 2 and isinstance(example[1], dict):
        from cairn.models.infer import infer_param_schema

        infer_param_schema(example[1])
        return example[0], example[1]
    return example, None


def _no_nans(array: Any) -> Any:
    import numpy as np

    if np.issubdtype(array.dtype, np.number):
        return np.where(np.isnan(array), None, array)
    return array


def _split_dict(frame: Any) -> dict[str, Any]:
    """``to_dict(orient="split")`` without the index, and without columns when they are the
    default 0..n-1 (MLflow then records ``pandas_orient: values``)."""
    result: dict[str, Any] = frame.where(frame.notnull(), None).to_dict(orient="split")
    del result["index"]
    if list(frame.columns) == list(range(len(frame.columns))):
        del result["columns"]
    return result


def _encode(data: Any, info: dict[str, Any]) -> tuple[Any, Any]:
    """The JSON-able example and the serving payload; ``info`` gets ``type`` (and orient).
    A unified LLM payload (``messages``/``prompt``/``input``) is its own serving payload."""
    np = sys.modules.get("numpy")
    pd = sys.modules.get("pandas")
    pydantic = sys.modules.get("pydantic")
    if pydantic is not None and isinstance(data, pydantic.BaseModel):
        data = data.model_dump()
    if isinstance(data, dict):
        arrays = [np is not None and isinstance(v, np.ndarray) for v in data.values()]
        if any(arrays):
            if not all(arrays):
                raise InvalidParameterValue(
                    "Mixed types in dictionary are not supported as input examples. "
                    "Found numpy arrays and other types."
                )
            info["type"] = "ndarray"
            encoded = {k: _no_nans(v).tolist() for k, v in data.items()}
            return encoded, {"inputs": encoded}
        info["type"] = "json_object"
        return data, (data if any(k in data for k in _LLM_KEYS) else {"inputs": data})
    if np is not None and isinstance(data, np.ndarray):
        info["type"] = "ndarray"
        encoded = _no_nans(data).tolist()
        return encoded, {"inputs": encoded}
    if isinstance(data, list):
        if _contains_array(data):
            raise InvalidParameterValue(
                "Multidimensional arrays (aka tensors) are not supported. "
                "Numpy arrays in list are not supported as input examples."
            )
        info["type"] = "json_object"
        return data, {"inputs": data}
    if pd is not None and isinstance(data, pd.DataFrame):
        encoded = _split_dict(data)
        info["type"] = "dataframe"
        info["pandas_orient"] = "split" if "columns" in encoded else "values"
        return encoded, {"dataframe_split": encoded}
    if _is_scalar(data) or isinstance(data, dt.datetime):
        info["type"] = "json_object"
        return data, {"inputs": data}
    raise InvalidParameterValue(
        "Expected one of the following types: pandas.DataFrame, numpy.ndarray, dictionary of "
        "(name -> numpy.ndarray), dict, list, scalars, datetime.datetime, pydantic model "
        f"instance, but got '{type(data)}'"
    )


def _is_scalar(value: Any) -> bool:
    np = sys.modules.get("numpy")
    if np is not None:
        return bool(np.isscalar(value))
    return isinstance(value, (bool, int, float, complex, str, bytes))


def _contains_array(data: Any) -> bool:
    np = sys.modules.get("numpy")
    if np is not None and isinstance(data, np.ndarray):
        return True
    if isinstance(data, list):
        return any(_contains_array(x) for x in data)
    if isinstance(data, dict):
        return any(_contains_array(x) for x in data.values())
    return False


def _render(example: Any) -> tuple[dict[str, Any], str, str | None]:
    """(saved_input_example_info, input_example.json text, serving payload text)."""
    info: dict[str, Any] = {"artifact_path": EXAMPLE_FILENAME}
    data, params = split_example(example)
    if params:
        info["params"] = "true"
    encoded, serving = _encode(data, info)
    llm = serving is encoded  # unwrapped LLM payload: params merge into it
    if params is not None:
        encoded = {"inputs": encoded, "params": params}
        if serving:
            serving = {**serving, **params} if llm else {**serving, "params": params}
    text = json.dumps(encoded, cls=_ExampleEncoder)
    serving_text = None
    if serving:
        serving_text = json.dumps(serving, cls=_ExampleEncoder, indent=2)
        info["serving_input_path"] = SERVING_INPUT_FILENAME
    return info, text, serving_text


def save_input_example(
    example: Any, model_dir: str | Path, schema: Schema | None = None
) -> dict[str, Any]:
    """Write the example files into ``model_dir``; returns ``saved_input_example_info``.

    ``example`` may be a DataFrame, an ndarray, a dict (of arrays or of JSON values), a list,
    a scalar, or a ``(data, params)`` pair. ``schema`` is accepted for the caller's
    convenience only: MLflow writes the same bytes whatever the signature, and so does cairn.
    """
    del schema
    info, text, serving_text = _render(example)
    model_dir = Path(model_dir)
    (model_dir / info["artifact_path"]).write_text(text)
    if serving_text is not None:
        (model_dir / SERVING_INPUT_FILENAME).write_text(serving_text)
    return info


def serving_input_from_example(example: Any) -> str | None:
    """The ``/invocations`` JSON body for an example (MLflow's
    ``convert_input_example_to_serving_input``)."""
    return None if example is None else _render(example)[2]


def _read(model_dir: str | Path, info: dict[str, Any]) -> Any:
    kind = info.get("type")
    if kind not in ("dataframe", "ndarray", "json_object"):
        raise InvalidParameterValue(f"This version of cairn can not load example of type {kind}")
    return json.loads((Path(model_dir) / info["artifact_path"]).read_text())


def load_input_example_params(model_dir: str | Path, info: dict[str, Any] | None) -> Any:
    """The params of a ``(data, params)`` example, or None."""
    if not info or not info.get("params"):
        return None
    return _read(model_dir, info)["params"]


def load_input_example(
    model_dir: str | Path, info: dict[str, Any] | None, schema: Schema | None = None
) -> Any:
    """The saved example as the model takes it: a DataFrame, an ndarray (or dict of them), or
    the JSON value; ``schema`` (the signature inputs) restores column types, as in MLflow."""
    if not info:
        return None
    example = _read(model_dir, info)
    if info.get("params"):
        example = example["inputs"]
    if info["type"] == "json_object":
        return example
    if info["type"] == "ndarray":
        return _cast_inputs(example, schema)
    import pandas as pd

    frame = pd.DataFrame(columns=example.get("columns"), data=example["data"])
    return frame if schema is None else _cast_frame(frame, schema)


def _cast_inputs(data: Any, schema: Schema | None) -> Any:
    """Tensors back as numpy arrays of the signature's dtype (plain ``np.array`` without)."""
    specs = dict(schema.input_dict()) if schema is not None and schema.has_input_names() else {}
    if isinstance(data, dict):
        return {k: _as_array(v, specs.get(k)) for k, v in data.items()}
    if len(specs) == 1 and isinstance(data, list):
        ((name, spec),) = specs.items()
        return {name: _as_array(data, spec)}
    return _as_array(data, schema.inputs[0] if schema is not None else None)


def _as_array(data: Any, spec: Any) -> Any:
    import numpy as np

    if isinstance(spec, TensorSpec):
        return np.array(data, dtype=spec.numpy_dtype)
    if isinstance(spec, ColSpec) and isinstance(spec.type, DataType):
        dtype = spec.type.to_numpy()
        return np.array(data, dtype) if isinstance(data, list) else np.array([data], dtype)[0]
    if isinstance(spec, ColSpec):
        from cairn.models.enforcement import enforce_value

        return np.array(enforce_value(data, spec.type, spec.required))
    return np.array(data)


def _cast_frame(frame: Any, schema: Schema) -> Any:
    """Column types from the signature (MLflow's ``cast_df_types_according_to_schema``)."""
    pairs: list[tuple[Any, Any]]
    if schema.has_input_names():
        pairs = list(zip(schema.input_names(), schema.inputs, strict=True))
    elif schema.is_tensor_spec() and len(schema.inputs) == 1:
        pairs = [(c, schema.inputs[0]) for c in frame.columns]
    else:
        pairs = list(zip(frame.columns, schema.inputs, strict=False))
    required = set(schema.required_input_names())
    for name, spec in pairs:
        if name not in frame.columns:
            continue
        try:
            frame[name] = _cast_column(frame[name], spec, name in required)
        except Exception as exc:
            raise InvalidParameterValue(
                "Data is not compatible with model signature. Failed to convert column "
                f"{name} to type '{spec!r}'. Error: '{exc!r}'"
            ) from exc
    return frame


def _cast_column(column: Any, spec: Any, required: bool) -> Any:
    """Base64 back to bytes, ISO strings back to datetimes, nested values enforced."""
    import numpy as np
    import pandas as pd

    from cairn.models.enforcement import enforce_value

    is_str = isinstance(column.dtype, pd.StringDtype)
    if isinstance(spec, TensorSpec):
        dtype = spec.numpy_dtype
        if dtype == np.dtype(bytes):
            return column.map(lambda x: bytes(x, "utf8"))
        if isinstance(column.iloc[0], list) or (dtype.kind == "U" and is_str):
            return column
        return column.astype(dtype)
    dtype_spec = spec.type
    if dtype_spec is DataType.binary:
        return column.map(lambda x: base64.decodebytes(bytes(x, "utf8")))
    if not isinstance(dtype_spec, DataType):
        return column.map(lambda x: enforce_value(x, dtype_spec, required))
    if dtype_spec is DataType.datetime:
        parsed = pd.to_datetime(column)
        if pd.api.types.is_datetime64_any_dtype(parsed) and parsed.dt.unit != "ns":
            parsed = parsed.dt.as_unit("ns")
        return parsed
    if dtype_spec is DataType.string and is_str:
        return column
    return column.astype(dtype_spec.to_pandas())
