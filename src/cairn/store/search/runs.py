"""Compile a runs filter to SQL and build the ``search_runs`` id query.

Every metric, param, tag and dataset clause becomes ``runs.run_uuid IN (subquery)``: a
semi-join that can use the ``(key, value)`` indexes, never multiplies rows, and is simply false
for a run that lacks the key (so ``params.a != 'x'`` skips runs without param ``a``, as in
MLflow). ``NOT`` negates the whole clause, so ``NOT params.a = 'x'`` does match those runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from cairn.entities.lifecycle import ViewType
from cairn.store.db.tables import datasets, input_tags, inputs, latest_metrics, params, runs, tags
from cairn.store.search.ast import Comparison, EntityType, Expr, Op
from cairn.store.search.parser import parse_filter
from cairn.store.search.predicates import (
    KEY_VALUE_OPS,
    NUMBER_OPS,
    STRING_LIST_OPS,
    STRING_OPS,
    bigint_list,
    check_op,
    compile_boolean,
    number_value,
    numeric_predicate,
    string_predicate,
)
from cairn.store.search.run_fields import ATTRIBUTE_NAMES, RUN_UUID, run_attribute
from cairn.store.search.run_order import run_ordering
from cairn.store.search.tokens import filter_error

#: The input tag that records a dataset's role ("training", "eval") for a run.
DATASET_CONTEXT_TAG = "mlflow.data.context"
_DATASET_KEYS = ("name", "digest", "context")


def compile_run_filter(expr: Expr) -> ColumnElement[bool]:
    """The SQL condition on ``runs`` that a parsed filter stands for."""
    return compile_boolean(expr, lambda cmp: _COMPILERS[cmp.ident.entity](cmp))


def _attribute(cmp: Comparison) -> ColumnElement[bool]:
    attr = run_attribute(cmp.ident.key)
    if attr is None:
        raise filter_error(
            cmp.ident.pos,
            f"unknown run attribute {cmp.ident.key!r} (searchable: {ATTRIBUTE_NAMES})",
        )
    what = f"attribute {attr.name!r}"
    if attr.numeric:
        check_op(cmp, NUMBER_OPS, what)
        condition = numeric_predicate(attr.column, cmp.op, number_value(cmp.value, what))
        # An unset end_time is "missing": false here, so that NOT flips it to true.
        return sa.and_(attr.column.is_not(None), condition) if attr.nullable else condition
    check_op(cmp, STRING_LIST_OPS if attr.name == "run_id" else STRING_OPS, what)
    return string_predicate(attr.column, cmp, what)


def _metric(cmp: Comparison) -> ColumnElement[bool]:
    what = f"metric {cmp.ident.key!r}"
    check_op(cmp, NUMBER_OPS, what)
    value = number_value(cmp.value, what)
    matching = sa.select(latest_metrics.c.run_uuid).where(
        latest_metrics.c.key == cmp.ident.key,
        numeric_predicate(latest_metrics.c.value, cmp.op, value),
        latest_metrics.c.is_nan == sa.false(),
    )
    return RUN_UUID.in_(matching)


def _key_value(table: sa.Table, what: str) -> Callable[[Comparison], ColumnElement[bool]]:
    """The compiler for params or tags: same comparators, same shape, different table."""

    def compile_clause(cmp: Comparison) -> ColumnElement[bool]:
        label = f"{what} {cmp.ident.key!r}"
        check_op(cmp, KEY_VALUE_OPS, label)
        having_key = sa.select(table.c.run_uuid).where(table.c.key == cmp.ident.key)
        if cmp.op is Op.IS_NULL:
            return RUN_UUID.not_in(having_key)
        if cmp.op is Op.IS_NOT_NULL:
            return RUN_UUID.in_(having_key)
        matching = having_key.where(string_predicate(table.c.value, cmp, label))
        return RUN_UUID.in_(matching)

    return compile_clause


def _dataset(cmp: Comparison) -> ColumnElement[bool]:
    key = cmp.ident.key
    if key not in _DATASET_KEYS:
        raise filter_error(
            cmp.ident.pos, f"unknown dataset field {key!r} (searchable: name, digest, context)"
        )
    what = f"dataset {key}"
    check_op(cmp, STRING_LIST_OPS, what)
    run_inputs = sa.select(inputs.c.destination_id).where(
        inputs.c.source_type == "DATASET", inputs.c.destination_type == "RUN"
    )
    if key == "context":
        matching = run_inputs.join(
            input_tags, input_tags.c.input_uuid == inputs.c.input_uuid
        ).where(
            input_tags.c.name == DATASET_CONTEXT_TAG,
            string_predicate(input_tags.c.value, cmp, what),
        )
    else:
        matching = run_inputs.join(datasets, datasets.c.dataset_uuid == inputs.c.source_id).where(
            string_predicate(datasets.c[key], cmp, what)
        )
    return RUN_UUID.in_(matching)


_COMPILERS = {
    EntityType.ATTRIBUTE: _attribute,
    EntityType.METRIC: _metric,
    EntityType.PARAM: _key_value(params, "param"),
    EntityType.TAG: _key_value(tags, "tag"),
    EntityType.DATASET: _dataset,
}


def run_conditions(
    experiment_ids: Sequence[int], filter_string: str | None, view_type: ViewType
) -> list[ColumnElement[bool]]:
    """The WHERE conditions on ``runs`` of a search: experiments, lifecycle and filter."""
    expr = parse_filter(filter_string)
    conditions: list[ColumnElement[bool]] = [
        runs.c.experiment_id.in_(bigint_list(int(eid) for eid in experiment_ids)),
        runs.c.lifecycle_stage.in_([stage.value for stage in view_type.stages]),
    ]
    if expr is not None:
        conditions.append(compile_run_filter(expr))
    return conditions


def select_matching_runs(
    experiment_ids: Sequence[int], filter_string: str | None, view_type: ViewType
) -> sa.Select[Any]:
    """``run_uuid`` and ``start_time`` of every matching run, unordered: the run set that
    aggregates (groups, counts) work over."""
    conditions = run_conditions(experiment_ids, filter_string, view_type)
    return sa.select(runs.c.run_uuid, runs.c.start_time).where(*conditions)


def select_run_ids(
    experiment_ids: Sequence[int],
    filter_string: str | None,
    view_type: ViewType,
    order_by: Sequence[str],
    offset: int,
    limit: int,
) -> sa.Select[Any]:
    """The ids of the matching runs, ordered, one page (``offset``/``limit``) of them.

    The store fetches ``limit + 1`` ids to learn whether another page exists.

    >>> query = select_run_ids([1], "metrics.acc > 0.9", ViewType.ALL, ["metrics.acc DESC"], 0, 10)
    """
    conditions = run_conditions(experiment_ids, filter_string, view_type)
    source, ordering = run_ordering(order_by)
    return (
        sa.select(runs.c.run_uuid)
        .select_from(source)
        .where(*conditions)
        .order_by(*ordering)
        .offset(offset)
        .limit(limit)
    )
