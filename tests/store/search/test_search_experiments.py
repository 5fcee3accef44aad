"""Experiments filters and order_by on every backend.

Experiments (conftest.py): vision-Alpha (id 1, created 100, updated 500, team=vision,
owner=Ann), nlp-beta (2, 200, 300, team=NLP), old-gamma (3, deleted, 50, 600, archived=yes),
audio_delta (4, 200, 100, owner=bob).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cairn.entities.lifecycle import ViewType
from cairn.errors import InvalidParameterValue

SearchExperiments = Callable[..., list[str]]

ACTIVE = {"vision-Alpha", "nlp-beta", "audio_delta"}

FILTERS: list[tuple[str, set[str]]] = [
    ("name = 'nlp-beta'", {"nlp-beta"}),
    ("attribute.name != 'nlp-beta'", {"vision-Alpha", "audio_delta"}),
    ("attributes.name LIKE '%-%'", {"vision-Alpha", "nlp-beta"}),
    ("name LIKE '%alpha'", set()),
    ("name ILIKE '%ALPHA'", {"vision-Alpha"}),
    ("name RLIKE '^[a-z]+_'", {"audio_delta"}),
    ("attr.name RLIKE 'Alpha$'", {"vision-Alpha"}),
    ("name RLIKE 'alpha$'", set()),
    ("experiment_id = '2'", {"nlp-beta"}),
    ("experiment_id = 2", {"nlp-beta"}),
    ("experiment_id IN ('1', '4')", {"vision-Alpha", "audio_delta"}),
    ("experiment_id NOT IN ('1')", {"nlp-beta", "audio_delta"}),
    ("experiment_id != '3'", ACTIVE),
    ("experiment_id IN ('1', '99999999999')", {"vision-Alpha"}),
    ("experiment_id != 99999999999", ACTIVE),
    ("creation_time > 100", {"nlp-beta", "audio_delta"}),
    ("creation_time = 200", {"nlp-beta", "audio_delta"}),
    ("last_update_time <= 300", {"nlp-beta", "audio_delta"}),
    ("last_update_time >= 500", {"vision-Alpha"}),
    ("tags.team = 'vision'", {"vision-Alpha"}),
    ("tags.team ILIKE 'nlp'", {"nlp-beta"}),
    ("tags.team != 'vision'", {"nlp-beta"}),
    ("tags.team IS NULL", {"audio_delta"}),
    ("tags.owner IS NOT NULL", {"vision-Alpha", "audio_delta"}),
    ("tag.owner RLIKE '^[a-z]'", {"audio_delta"}),
    ("tags.owner LIKE 'a%'", set()),
    ("tags.team = 'vision' OR tags.owner = 'bob'", {"vision-Alpha", "audio_delta"}),
    ("NOT tags.team = 'vision'", {"nlp-beta", "audio_delta"}),
    ("creation_time = 200 AND NOT name LIKE 'nlp%'", {"audio_delta"}),
    ("", ACTIVE),
]


def test_experiment_filter_selects_exactly_the_expected_experiments(
    search_experiments: SearchExperiments, subtests: pytest.Subtests
) -> None:
    for filter_string, expected in FILTERS:
        with subtests.test(msg=filter_string):
            assert set(search_experiments(filter_string)) == expected


def test_experiment_view_type_selects_by_lifecycle_stage(
    search_experiments: SearchExperiments,
) -> None:
    assert search_experiments(None, view_type=ViewType.DELETED_ONLY) == ["old-gamma"]
    assert search_experiments("tags.archived = 'yes'", view_type=ViewType.ALL) == ["old-gamma"]
    assert set(search_experiments(None, view_type=ViewType.ALL)) == ACTIVE | {"old-gamma"}


ERRORS: list[tuple[str, int, str]] = [
    ("creation_time > 1.5", 16, "attribute 'creation_time' must be compared with an integer"),
    ("last_update_time > '100'", 19, "must be compared with an integer, found '100'"),
    ("name IN ('a')", 5, "comparator IN is not supported for attribute 'name'"),
    ("experiment_id = 'abc'", 16, "experiment_id must be an integer, found 'abc'"),
    ("experiment_id IN ('1', '1.5')", 23, "experiment_id must be an integer"),
    ("experiment_id LIKE '1%'", 14, "LIKE is not supported for attribute 'experiment_id'"),
    ("creation_time IS NULL", 14, "IS NULL is not supported for attribute 'creation_time'"),
    ("params.x = 'a'", 0, "experiments cannot be searched by 'params.x'"),
    ("metrics.x > 1", 0, "experiments cannot be searched by 'metrics.x'"),
    ("run.name = 'x'", 0, "experiments cannot be searched by 'run.name'"),
    ("artifact_location = 'x'", 0, "unknown experiment attribute 'artifact_location'"),
    ("tags.team IN ('x')", 10, "comparator IN is not supported for tag 'team'"),
    ("name = nlp", 7, "expected a quoted string or a number after '=', found 'nlp'"),
]


def test_invalid_experiment_filter_is_rejected_with_its_position(
    search_experiments: SearchExperiments, subtests: pytest.Subtests
) -> None:
    for filter_string, position, message in ERRORS:
        with subtests.test(msg=filter_string):
            with pytest.raises(InvalidParameterValue) as raised:
                search_experiments(filter_string)
            assert raised.value.message.startswith(f"Invalid filter at position {position}: ")
            assert message in raised.value.message


ORDERS: list[tuple[list[str], list[str]]] = [
    ([], ["nlp-beta", "audio_delta", "vision-Alpha"]),
    (["name"], ["audio_delta", "nlp-beta", "vision-Alpha"]),
    (["name DESC"], ["vision-Alpha", "nlp-beta", "audio_delta"]),
    (["creation_time ASC"], ["vision-Alpha", "nlp-beta", "audio_delta"]),
    (["creation_time DESC"], ["nlp-beta", "audio_delta", "vision-Alpha"]),
    (["last_update_time DESC"], ["vision-Alpha", "nlp-beta", "audio_delta"]),
    (["experiment_id DESC"], ["audio_delta", "nlp-beta", "vision-Alpha"]),
    (
        ["attributes.creation_time DESC", "experiment_id DESC"],
        ["audio_delta", "nlp-beta", "vision-Alpha"],
    ),
]


def test_experiment_order_by_ends_with_experiment_id(
    search_experiments: SearchExperiments, subtests: pytest.Subtests
) -> None:
    for order_by, expected in ORDERS:
        with subtests.test(msg=repr(order_by)):
            assert search_experiments(None, order_by=order_by) == expected


def test_experiment_pages_follow_the_ordering(search_experiments: SearchExperiments) -> None:
    assert search_experiments(None, offset=1, limit=1) == ["audio_delta"]
    assert search_experiments(None, order_by=["name"], offset=2, limit=5) == ["vision-Alpha"]


INVALID_ORDERS: list[tuple[list[str], str]] = [
    (["name", "name DESC"], "'name' appears more than once"),
    (["tags.team"], "experiments can be ordered by name, experiment_id"),
    (["artifact_location"], "unknown experiment attribute 'artifact_location'"),
    (["metrics.x"], "experiments can be ordered by"),
]


def test_invalid_experiment_order_by_is_rejected(
    search_experiments: SearchExperiments, subtests: pytest.Subtests
) -> None:
    for order_by, message in INVALID_ORDERS:
        with subtests.test(msg=repr(order_by)):
            with pytest.raises(InvalidParameterValue) as raised:
                search_experiments(None, order_by=order_by)
            assert raised.value.message.startswith(f"Invalid order_by clause {order_by[-1]!r}")
            assert message in raised.value.message
