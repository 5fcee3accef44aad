"""The search filter language of runs, experiments and logged models: text -> AST -> SQL.

The SQL store calls :func:`select_run_ids`, :func:`select_experiment_ids` and
:func:`select_logged_model_ids` and pages with the token helpers; :func:`parse_filter` is
exposed for validation without a database.
"""

from __future__ import annotations

from cairn.store.search.experiments import select_experiment_ids
from cairn.store.search.logged_models import select_logged_model_ids
from cairn.store.search.paging import decode_page_token, encode_page_token
from cairn.store.search.parser import parse_filter
from cairn.store.search.registry import select_model_version_keys, select_registered_model_keys
from cairn.store.search.run_groups import group_source
from cairn.store.search.runs import select_matching_runs, select_run_ids

__all__ = [
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
