"""JSON rendering of entities and human formatting helpers."""

from __future__ import annotations

import json

import pytest

from cairn.cli._output import format_duration, format_metric, format_time
from cairn.cli._render import json_float, metric_json
from cairn.entities import Metric


@pytest.mark.parametrize(
    ("value", "expected"),
    [(float("nan"), "NaN"), (float("inf"), "Infinity"), (float("-inf"), "-Infinity"), (1.5, 1.5)],
)
def test_json_float_spells_non_finite_values_like_mlflow(value: float, expected: object) -> None:
    assert json_float(value) == expected


def test_metric_json_is_strict_json() -> None:
    payload = metric_json(Metric("loss", float("nan"), 5, 2))
    assert json.dumps(payload, allow_nan=False) == (
        '{"key": "loss", "value": "NaN", "timestamp": 5, "step": 2}'
    )


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (0, None, "-"),
        (0, 450, "450ms"),
        (0, 12_345, "12.3s"),
        (0, 65_000, "1m 05s"),
        (0, 2 * 3_600_000 + 180_000, "2h 03m"),
        (0, 26 * 3_600_000, "1d 02h"),
        (10, 5, "0ms"),
    ],
)
def test_format_duration(start: int, end: int | None, expected: str) -> None:
    assert format_duration(start, end) == expected


def test_format_metric_and_time() -> None:
    assert format_metric(float("nan")) == "NaN"
    assert format_metric(1 / 3) == "0.3333"
    assert format_time(None) == "-"
    assert len(format_time(0)) == len("1970-01-01 00:00:00")
    assert len(format_time(0, seconds=False)) == len("1970-01-01 00:00")
