"""log-batch's column reader: the fast path and its hand-over to the general parser."""

from __future__ import annotations

import math

import pytest

from cairn.errors import InvalidParameterValue
from cairn.server.handlers.batch_columns import metric_columns


def _as_dict(items: list[object]) -> dict[str, list[tuple[int, int, float]]]:
    found = metric_columns(items)
    assert found is not None
    return {s.key: list(zip(s.steps, s.timestamps, s.values, strict=True)) for s in found}


def test_plain_items_are_grouped_per_key_in_order() -> None:
    items = [
        {"key": "a", "value": 1.0, "timestamp": 10, "step": 0},
        {"key": "b", "value": 2, "timestamp": 11},
        {"key": "a", "value": 3.0, "timestamp": 12, "step": 1},
    ]
    assert _as_dict(items) == {"a": [(0, 10, 1.0), (1, 12, 3.0)], "b": [(0, 11, 2)]}


def test_quirky_items_go_through_the_general_parser() -> None:
    items = [
        {"key": "a", "value": 1.0, "timestamp": 10, "step": 0},
        {"key": "a", "value": "NaN", "timestamp": "11", "step": "1"},
    ]
    got = _as_dict(items)["a"]
    assert got[0] == (0, 10, 1.0) and got[1][:2] == (1, 11) and math.isnan(got[1][2])


@pytest.mark.parametrize(
    "odd",
    [{"key": "a", "value": 1.0, "timestamp": 1, "model_id": "m-1"}, "not an object"],
)
def test_model_metrics_and_non_objects_use_the_general_path(odd: object) -> None:
    assert metric_columns([{"key": "a", "value": 1.0, "timestamp": 1}, odd]) is None


def test_a_missing_field_is_reported_with_its_position() -> None:
    with pytest.raises(InvalidParameterValue, match=r"metrics\[1\]\.timestamp"):
        metric_columns([{"key": "a", "value": 1.0, "timestamp": 1}, {"key": "a", "value": 2.0}])


def test_booleans_are_not_numbers_here() -> None:
    with pytest.raises(InvalidParameterValue):
        metric_columns([{"key": "a", "value": True, "timestamp": 1}])
