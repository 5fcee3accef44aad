"""Describe training data for ``log_input``: a name, a content digest, a source, a schema.

The digest is computed from the data itself (up to the first 10,000 rows plus the shape), so
two runs trained on the same table share one dataset record and a changed table gets a new
one. Schema and profile use MLflow's JSON shapes, so its UI and client read them unchanged.

>>> import pandas as pd
>>> ds = from_pandas(pd.DataFrame({"x": [1, 2], "y": [0.5, 1.5]}), name="toy")
>>> ds.name, len(ds.digest), ds.source_type
('toy', 8, 'code')
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from cairn.entities import Dataset

DIGEST_ROWS = 10_000
_REMOTE_SCHEMES = ("s3", "gs", "http", "https", "hdfs", "abfss", "wasbs", "ftp", "sftp")

_PANDAS_TYPES = {
    "int64": "long",
    "int32": "integer",
    "int16": "integer",
    "int8": "integer",
    "float64": "double",
    "float32": "float",
    "bool": "boolean",
    "object": "string",
    "string": "string",
    "bytes": "binary",
}


def _source(source: str | None) -> tuple[str, str]:
    if source is None:
        return "code", json.dumps({"tags": {}})
    scheme = source.split("://", 1)[0].lower() if "://" in source else ""
    if scheme in _REMOTE_SCHEMES:
        kind = "http" if scheme == "https" else scheme
        return kind, json.dumps({"url" if kind == "http" else "uri": source})
    return "local", json.dumps({"uri": str(Path(source).expanduser().resolve())})


def _column_type(dtype: Any) -> str:
    name = str(dtype)
    if name.startswith("datetime64"):
        return "datetime"
    return _PANDAS_TYPES.get(name, "string")


def from_pandas(
    df: Any,
    source: str | None = None,
    targets: str | None = None,
    name: str | None = None,
    digest: str | None = None,
    total_rows: int | None = None,
) -> Dataset:
    """A dataset record for a pandas DataFrame (the frame itself is not stored).

    ``total_rows``: ``df`` is the first rows (at least ``DIGEST_ROWS`` of them, or all) of a
    larger table of that many rows; the record is the whole table's, since the digest reads
    only the first ``DIGEST_ROWS`` rows and the shape.
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"from_pandas expects a pandas DataFrame, got {type(df).__name__}.")
    shape = (len(df) if total_rows is None else int(total_rows), df.shape[1])
    if digest is None:
        head = df.head(DIGEST_ROWS)
        hashed = pd.util.hash_pandas_object(head, index=False).to_numpy().tobytes()
        digest = hashlib.md5(hashed + repr(shape).encode(), usedforsecurity=False).hexdigest()[:8]
    colspec = [
        {"type": _column_type(dtype), "name": str(col), "required": True}
        for col, dtype in df.dtypes.items()
    ]
    source_type, source_json = _source(source)
    profile: dict[str, Any] = {"num_rows": shape[0], "num_elements": shape[0] * shape[1]}
    if targets is not None:
        profile["targets"] = targets
    return Dataset(
        name=name or "dataset",
        digest=digest,
        source_type=source_type,
        source=source_json,
        schema=json.dumps({"mlflow_colspec": colspec}),
        profile=json.dumps(profile),
    )


def _full_shape(array: Any, total_rows: int | None) -> tuple[int, ...]:
    return tuple(array.shape) if total_rows is None else (int(total_rows), *array.shape[1:])


def _tensor_spec(array: Any) -> str:
    shape = [-1, *array.shape[1:]]
    return json.dumps(
        [{"type": "tensor", "tensor-spec": {"dtype": str(array.dtype), "shape": shape}}]
    )


def from_numpy(
    features: Any,
    source: str | None = None,
    targets: Any = None,
    name: str | None = None,
    digest: str | None = None,
    total_rows: int | None = None,
) -> Dataset:
    """A dataset record for numpy feature (and optional target) arrays.

    ``total_rows``: the arrays are the first rows (at least ``DIGEST_ROWS``, or all) of larger
    ones with that many rows, as when the data is too big to copy whole (a DMatrix, a torch
    dataset); the record is the whole data's.
    """
    import numpy as np

    features = np.asarray(features)
    arrays = [features] if targets is None else [features, np.asarray(targets)]
    shapes = [_full_shape(array, total_rows) for array in arrays]
    if digest is None:
        md5 = hashlib.md5(usedforsecurity=False)
        for array, shape in zip(arrays, shapes, strict=True):
            md5.update(np.ascontiguousarray(array[:DIGEST_ROWS]).tobytes())
            md5.update(repr(shape).encode())
        digest = md5.hexdigest()[:8]
    schema: dict[str, Any] = {"features": _tensor_spec(features)}
    size = int(np.prod(shapes[0]))
    profile: dict[str, Any] = {
        "features_shape": list(shapes[0]),
        "features_size": size,
        "features_nbytes": size * features.itemsize,
    }
    if targets is not None:
        schema["targets"] = _tensor_spec(arrays[1])
        profile["targets_shape"] = list(shapes[1])
    source_type, source_json = _source(source)
    return Dataset(
        name=name or "dataset",
        digest=digest,
        source_type=source_type,
        source=source_json,
        schema=json.dumps({"mlflow_tensorspec": schema}),
        profile=json.dumps(profile),
    )
