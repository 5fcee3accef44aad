"""Table-driven runs order_by on every backend: missing values last, NaN after numbers, tails.

Active runs of experiments 1 and 2 (see conftest.py). start_time: alpha-cnn 1000, bare 1000,
alpha-rnn 2000, Alpha-CNN-2 3000, beta-base 4000, beta-large 5000, beta-nan 6000.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.dialects import sqlite

from cairn.entities.lifecycle import ViewType
from cairn.errors import InvalidParameterValue
from cairn.store.search import select_run_ids

SearchRuns = Callable[..., list[str]]

DEFAULT = ["beta-nan", "beta-large", "beta-base", "Alpha-CNN-2", "alpha-rnn", "alpha-cnn", "bare"]

ORDERS: list[tuple[list[str], list[str]]] = [
    ([], DEFAULT),
    (["created DESC"], DEFAULT),
    (["metrics.missing DESC"], DEFAULT),
    (
        ["metrics.acc DESC"],
        ["Alpha-CNN-2", "alpha-cnn", "beta-large", "alpha-rnn", "beta-base", "beta-nan", "bare"],
    ),
    (
        ["metrics.`acc`"],
        ["beta-base", "alpha-rnn", "beta-large", "alpha-cnn", "Alpha-CNN-2", "beta-nan", "bare"],
    ),
    (
        ["metrics.loss ASC"],
        ["beta-large", "beta-nan", "Alpha-CNN-2", "alpha-cnn", "alpha-rnn", "beta-base", "bare"],
    ),
    (
        ["params.lr ASC"],
        ["beta-base", "Alpha-CNN-2", "alpha-cnn", "beta-large", "alpha-rnn", "beta-nan", "bare"],
    ),
    (
        ["params.lr DESC"],
        ["beta-nan", "beta-large", "alpha-rnn", "Alpha-CNN-2", "alpha-cnn", "beta-base", "bare"],
    ),
    (
        ["tags.priority desc"],
        ["beta-base", "beta-large", "alpha-cnn", "alpha-rnn", "beta-nan", "Alpha-CNN-2", "bare"],
    ),
    (
        ["attributes.end_time ASC"],
        ["alpha-cnn", "Alpha-CNN-2", "beta-large", "beta-nan", "beta-base", "alpha-rnn", "bare"],
    ),
    (
        ["end_time DESC"],
        ["beta-nan", "beta-large", "Alpha-CNN-2", "alpha-cnn", "beta-base", "alpha-rnn", "bare"],
    ),
    (
        ["start_time ASC"],
        ["alpha-cnn", "bare", "alpha-rnn", "Alpha-CNN-2", "beta-base", "beta-large", "beta-nan"],
    ),
    (
        ["params.lr DESC", "metrics.acc ASC"],
        ["beta-nan", "alpha-rnn", "beta-large", "alpha-cnn", "Alpha-CNN-2", "beta-base", "bare"],
    ),
    (
        ["attributes.status ASC", "start_time ASC"],
        ["alpha-rnn", "alpha-cnn", "Alpha-CNN-2", "beta-large", "beta-nan", "beta-base", "bare"],
    ),
    (
        ["run_id DESC"],
        ["bare", "beta-nan", "beta-large", "beta-base", "Alpha-CNN-2", "alpha-rnn", "alpha-cnn"],
    ),
    (
        ["attributes.artifact_uri DESC"],
        ["bare", "beta-nan", "beta-large", "beta-base", "alpha-rnn", "alpha-cnn", "Alpha-CNN-2"],
    ),
]


def test_order_by_sorts_missing_values_last_and_ends_with_the_tail(
    search_runs: SearchRuns, subtests: pytest.Subtests
) -> None:
    for order_by, expected in ORDERS:
        with subtests.test(msg=repr(order_by)):
            assert search_runs(None, order_by=order_by) == expected


def test_order_by_combines_with_a_filter_and_pages(search_runs: SearchRuns) -> None:
    by_acc = ["metrics.acc DESC"]
    assert search_runs("tags.team = 'nlp'", order_by=by_acc) == [
        "beta-large",
        "beta-base",
        "beta-nan",
    ]
    assert search_runs(None, order_by=by_acc, offset=2, limit=3) == [
        "beta-large",
        "alpha-rnn",
        "beta-base",
    ]


def test_ordering_by_several_keys_never_duplicates_runs(search_runs: SearchRuns) -> None:
    order_by = ["metrics.acc DESC", "metrics.loss", "params.lr", "tags.team DESC"]
    names = search_runs("params.model IS NOT NULL OR tags.team IS NULL", order_by=order_by)
    assert sorted(names) == sorted(DEFAULT)


def test_ordering_by_a_key_outer_joins_its_table_once() -> None:
    query = select_run_ids(
        [1], None, ViewType.ALL, ["metrics.acc DESC", "params.lr", "tags.team"], 0, 10
    )
    sql = str(query.compile(dialect=sqlite.dialect()))
    assert sql.count("LEFT OUTER JOIN") == 3
    assert sql.count(" JOIN ") == 3


INVALID_ORDERS: list[tuple[list[str], str]] = [
    (["metrics.acc DESC", "metric.acc ASC"], "metric 'acc' appears more than once"),
    (["start_time", "created DESC"], "attribute 'start_time' appears more than once"),
    (["foo"], "unknown run attribute 'foo'"),
    (["datasets.name"], "runs cannot be ordered by dataset fields"),
    (["metrics.acc UP"], "unexpected 'UP' after a complete expression"),
    ([""], "expected an identifier, found end of filter"),
    (["metrics.acc DESC NULLS"], "unexpected 'NULLS'"),
]


def test_invalid_order_by_is_rejected_naming_the_clause(
    search_runs: SearchRuns, subtests: pytest.Subtests
) -> None:
    for order_by, message in INVALID_ORDERS:
        with subtests.test(msg=repr(order_by)):
            with pytest.raises(InvalidParameterValue) as raised:
                search_runs(None, order_by=order_by)
            assert raised.value.message.startswith(f"Invalid order_by clause {order_by[-1]!r}")
            assert message in raised.value.message
