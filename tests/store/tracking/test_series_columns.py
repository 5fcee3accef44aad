"""Packed metric columns: wire decoding, history order with duplicates, min/max sampling."""

from __future__ import annotations

import base64
import math

import numpy as np
import pytest

from cairn.entities import MetricSeries
from cairn.store.tracking import series as cols


def _rows(s: MetricSeries) -> list[tuple[int, int, float]]:
    return list(
        zip(
            np.asarray(s.steps).tolist(),
            np.asarray(s.timestamps).tolist(),
            np.asarray(s.values).tolist(),
            strict=True,
        )
    )


def test_wire_round_trip_is_exact() -> None:
    original = MetricSeries("m", [0, 2**40], [1, 2], [math.pi, -0.0])
    back = cols.from_wire(cols.to_base64(original))
    assert back.key == "m" and _rows(back) == _rows(original)


def test_wire_accepts_plain_json_lists() -> None:
    got = cols.from_wire({"key": "m", "steps": [1], "timestamps": [2], "values": [0.5]})
    assert _rows(got) == [(1, 2, 0.5)]


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"steps": [], "timestamps": [], "values": []}, "string 'key'"),
        ({"key": "m", "steps": "!!", "timestamps": [], "values": []}, "not valid base64"),
        (
            {
                "key": "m",
                "steps": base64.b64encode(b"abc").decode(),
                "timestamps": [1],
                "values": [1.0],
            },
            "whole 8-byte",
        ),
        ({"key": "m", "steps": 5, "timestamps": [], "values": []}, "base64 text or a list"),
        ({"key": "m", "steps": [1, 2], "timestamps": [1], "values": [1.0]}, "different lengths"),
    ],
)
def test_malformed_wire_series_is_a_value_error(item: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cols.from_wire(item)


def test_history_order_sorts_and_collapses_exact_duplicates() -> None:
    raw = MetricSeries(
        "m",
        [1, 0, 1, 2, 2],
        [20, 10, 20, 30, 30],
        [0.5, 0.1, 0.5, float("nan"), float("nan")],
    )
    out = cols.in_history_order(raw)
    assert _rows(out)[:2] == [(0, 10, 0.1), (1, 20, 0.5)]
    assert len(out) == 3 and math.isnan(out.values[2])


def test_same_step_and_time_with_other_values_are_distinct_points() -> None:
    out = cols.in_history_order(MetricSeries("m", [0, 0], [5, 5], [0.2, 0.1]))
    assert _rows(out) == [(0, 5, 0.1), (0, 5, 0.2)]


def test_sample_picks_min_and_max_of_each_bucket() -> None:
    steps = list(range(100))
    values = [float(i % 10) for i in steps]  # each bucket of 10 steps spans 0..9
    sample = cols.sample_min_max(MetricSeries("m", steps, steps, values), 10)
    got = _rows(sample)
    assert len(got) == 20
    for bucket in range(10):
        inside = [v for s, _, v in got if bucket * 10 <= s < bucket * 10 + 10]
        assert sorted(inside) == [0.0, 9.0]


def test_sample_ignores_nan_for_extremes_but_keeps_an_all_nan_bucket() -> None:
    n = 40
    values = [1.0] * n
    values[5] = 7.0
    values[20:30] = [float("nan")] * 10
    sample = cols.sample_min_max(MetricSeries("m", range(n), range(n), values), 4)
    got = _rows(sample)
    assert (5, 5, 7.0) in got
    assert sum(1 for s, _, v in got if 20 <= s < 30 and math.isnan(v)) == 1


def test_sample_of_unsorted_input_is_in_step_order() -> None:
    steps = list(range(1000))[::-1]
    sample = cols.sample_min_max(MetricSeries("m", steps, steps, [float(s) for s in steps]), 5)
    out = np.asarray(sample.steps).tolist()
    assert out == sorted(out) and out[0] == 0 and out[-1] == 999


def test_sample_needs_a_bucket() -> None:
    with pytest.raises(ValueError, match="buckets must be positive"):
        cols.sample_min_max(MetricSeries("m", [0], [0], [0.0]), 0)
