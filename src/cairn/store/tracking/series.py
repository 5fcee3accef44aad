"""Columnar metric points: packing for storage and the wire, history order, min/max sampling.

A packed column is little-endian int64 (steps, timestamps) or float64 (values), so a million
points are 24 MB that numpy reads without a Python object per point. The same packing is
used in the SQL store's chunk rows and in the native HTTP endpoints (base64 in JSON), which
keeps one encoder for both and lets a browser map a column straight onto a typed array.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

import numpy as np

from cairn.entities import MetricSeries

_INT = np.dtype("<i8")
_FLOAT = np.dtype("<f8")
#: +-inf is stored as the largest finite double, as MLflow stores it.
_DOUBLE_MAX = 1.7976931348623157e308


def columns(series: MetricSeries) -> tuple[Any, Any, Any]:
    """The three columns as numpy arrays (no copy when they already are)."""
    steps = np.asarray(series.steps, dtype=_INT)
    timestamps = np.asarray(series.timestamps, dtype=_INT)
    values = np.asarray(series.values, dtype=_FLOAT)
    return steps, timestamps, values


def clamp_infinities(values: Any) -> Any:
    """MLflow stores +-inf as +-DBL_MAX and reads it back that way; so does cairn."""
    if np.isinf(values).any():
        values = np.clip(values, -_DOUBLE_MAX, _DOUBLE_MAX)
    return values


def pack(series: MetricSeries) -> tuple[bytes, bytes, bytes]:
    steps, timestamps, values = columns(series)
    return steps.tobytes(), timestamps.tobytes(), values.tobytes()


def unpack(key: str, steps: bytes, timestamps: bytes, values: bytes) -> MetricSeries:
    return MetricSeries(
        key,
        np.frombuffer(steps, dtype=_INT),
        np.frombuffer(timestamps, dtype=_INT),
        np.frombuffer(values, dtype=_FLOAT),
    )


def to_base64(series: MetricSeries) -> dict[str, Any]:
    """The native wire form of a series: base64 of the packed columns."""
    steps, timestamps, values = pack(series)
    return {
        "key": series.key,
        "count": len(series),
        "steps": base64.b64encode(steps).decode("ascii"),
        "timestamps": base64.b64encode(timestamps).decode("ascii"),
        "values": base64.b64encode(values).decode("ascii"),
    }


def _column(raw: Any, dtype: np.dtype[Any], name: str, key: str) -> Any:
    """A column from the wire: base64 of packed little-endian data, or a plain JSON list."""
    if isinstance(raw, str):
        try:
            data = base64.b64decode(raw, validate=True)
        except ValueError:
            raise ValueError(f"column '{name}' of metric '{key}' is not valid base64") from None
        if len(data) % dtype.itemsize:
            raise ValueError(f"column '{name}' of metric '{key}' is not whole 8-byte numbers")
        return np.frombuffer(data, dtype=dtype)
    if isinstance(raw, list):
        return np.asarray(raw, dtype=dtype)
    raise ValueError(f"column '{name}' of metric '{key}' must be base64 text or a list")


def from_wire(item: dict[str, Any]) -> MetricSeries:
    """Decode one series of a native request; raises ValueError on anything malformed."""
    key = item.get("key")
    if not isinstance(key, str):
        raise ValueError("every series needs a string 'key'")
    return MetricSeries(
        key,
        _column(item.get("steps"), _INT, "steps", key),
        _column(item.get("timestamps"), _INT, "timestamps", key),
        _column(item.get("values"), _FLOAT, "values", key),
    )


def concat(key: str, parts: Sequence[MetricSeries]) -> MetricSeries:
    if len(parts) == 1:
        return parts[0]
    if not parts:
        empty = np.empty(0, dtype=_INT)
        return MetricSeries(key, empty, empty, np.empty(0, dtype=_FLOAT))
    cols = [columns(p) for p in parts]
    return MetricSeries(
        key,
        np.concatenate([c[0] for c in cols]),
        np.concatenate([c[1] for c in cols]),
        np.concatenate([c[2] for c in cols]),
    )


def _is_sorted(*keys: Any) -> bool:
    """Whether rows are already in lexicographic order of ``keys`` (most significant first)."""
    if len(keys[0]) < 2:
        return True
    ties = np.ones(len(keys[0]) - 1, dtype=bool)
    for column in keys:
        diff = np.diff(column)
        if (diff[ties] < 0).any():
            return False
        ties &= diff == 0
    return True


def in_history_order(series: MetricSeries) -> MetricSeries:
    """Ordered by timestamp, step, value, with exact duplicate points once (as MLflow's
    primary key keeps them); a client retry that re-sent a batch therefore changes nothing."""
    steps, timestamps, values = columns(series)
    bits = values.view(_INT)  # equal NaNs compare equal as bit patterns
    if not _is_sorted(timestamps, steps, bits):
        order = np.lexsort((values, steps, timestamps))
        steps, timestamps, values = steps[order], timestamps[order], values[order]
        bits = values.view(_INT)
    if len(values) > 1:
        keep = np.ones(len(values), dtype=bool)
        keep[1:] = (np.diff(timestamps) != 0) | (np.diff(steps) != 0) | (np.diff(bits) != 0)
        if not keep.all():
            steps, timestamps, values = steps[keep], timestamps[keep], values[keep]
    return MetricSeries(series.key, steps, timestamps, values)


def in_step_order(
    series: MetricSeries, start_step: int | None = None, end_step: int | None = None
) -> MetricSeries:
    """Ordered by step then timestamp (how charts read), optionally cut to a step range."""
    steps, timestamps, values = columns(series)
    if not _is_sorted(steps, timestamps):
        order = np.lexsort((timestamps, steps))
        steps, timestamps, values = steps[order], timestamps[order], values[order]
    if start_step is not None or end_step is not None:
        lo = 0 if start_step is None else int(np.searchsorted(steps, start_step, "left"))
        hi = len(steps) if end_step is None else int(np.searchsorted(steps, end_step, "right"))
        steps, timestamps, values = steps[lo:hi], timestamps[lo:hi], values[lo:hi]
    return MetricSeries(series.key, steps, timestamps, values)


def take(series: MetricSeries, indexes: Any) -> MetricSeries:
    steps, timestamps, values = columns(series)
    return MetricSeries(series.key, steps[indexes], timestamps[indexes], values[indexes])


def _first_per_segment(flags: Any, segment: Any) -> Any:
    """Index of the first True in each segment that has one."""
    hits = np.flatnonzero(flags)
    if not len(hits):
        return hits
    seg = segment[hits]
    return hits[np.r_[True, seg[1:] != seg[:-1]]]


def sample_min_max(
    series: MetricSeries,
    buckets: int,
    start_step: int | None = None,
    end_step: int | None = None,
) -> MetricSeries:
    """Per equal-width step bucket the lowest and the highest value, plus the first and last
    point: at most ``2 * buckets + 2`` points in step order, and no spike lost to sampling."""
    if buckets < 1:
        raise ValueError(f"buckets must be positive; got {buckets}")
    steps, timestamps, values = columns(in_step_order(series, start_step, end_step))
    n = len(steps)
    if n <= 2 * buckets + 2:
        return MetricSeries(series.key, steps, timestamps, values)
    first, last = int(steps[0]), int(steps[-1])
    width = (last - first + 1) / buckets
    segment = np.minimum(((steps - first) / width).astype(np.int64), buckets - 1)
    starts = np.r_[0, np.flatnonzero(np.diff(segment)) + 1]
    counts = np.diff(np.r_[starts, n])
    nan = np.isnan(values)  # ignored by min/max; an all-NaN bucket keeps its first point
    low = np.where(nan, np.inf, values)
    high = np.where(nan, -np.inf, values)
    seg_min = np.repeat(np.minimum.reduceat(low, starts), counts)
    seg_max = np.repeat(np.maximum.reduceat(high, starts), counts)
    keep = np.zeros(n, dtype=bool)
    keep[_first_per_segment(low == seg_min, segment)] = True
    keep[_first_per_segment(high == seg_max, segment)] = True
    keep[0] = keep[-1] = True
    return MetricSeries(series.key, steps[keep], timestamps[keep], values[keep])
