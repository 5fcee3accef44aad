"""The contract the SQL store relies on: exported names, signatures, and runnable examples."""

from __future__ import annotations

import doctest
import importlib
import inspect

import pytest

import cairn.store.search as search


def test_package_exports_exactly_the_store_entry_points() -> None:
    assert sorted(search.__all__) == [
        "decode_page_token",
        "encode_page_token",
        "group_source",
        "parse_filter",
        "select_experiment_ids",
        "select_logged_model_ids",
        "select_matching_runs",
        "select_model_version_keys",
        "select_registered_model_keys",
        "select_run_ids",
    ]


def test_entry_point_signatures_are_the_ones_the_store_calls() -> None:
    assert list(inspect.signature(search.select_run_ids).parameters) == [
        "experiment_ids",
        "filter_string",
        "view_type",
        "order_by",
        "offset",
        "limit",
    ]
    assert list(inspect.signature(search.select_experiment_ids).parameters) == [
        "filter_string",
        "view_type",
        "order_by",
        "offset",
        "limit",
    ]


@pytest.mark.parametrize("module", ["paging", "parser", "runs", "experiments", "run_groups"])
def test_docstring_examples_run(module: str) -> None:
    result = doctest.testmod(importlib.import_module(f"cairn.store.search.{module}"))
    assert result.attempted > 0
    assert result.failed == 0
