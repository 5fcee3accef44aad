"""Compile an experiments filter and order_by to SQL and build the ``search_experiments`` query.

Experiments have four searchable attributes and tags; tag clauses are semi-joins on
``experiment_tags`` (false for an experiment without the tag, as for runs).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from cairn.entities.lifecycle import ViewType
from cairn.errors import InvalidParameterValue
from cairn.store.db.tables import experiment_tags, experiments
from cairn.store.search.ast import (
    Comparison,
    EntityType,
    Expr,
    Identifier,
    Literal,
    Op,
)
from cairn.store.search.parser import order_by_label, parse_filter, parse_order_by
from cairn.store.search.predicates import (
    KEY_VALUE_OPS,
    NUMBER_OPS,
    STRING_OPS,
    bigint_list,
    check_op,
    compile_boolean,
    number_value,
    numeric_predicate,
    string_predicate,
)
from cairn.store.search.tokens import filter_error

#: ``experiments.experiment_id`` with its type spelled out (Table.c attributes are untyped).
_EXPERIMENT_ID: ColumnElement[int] = experiments.c.experiment_id
_ATTRIBUTE_PREFIXES = (None, "attribute", "attributes", "attr")
_TIME_COLUMNS = {
    "creation_time": experiments.c.creation_time,
    "last_update_time": experiments.c.last_update_time,
}
_ORDERABLE: dict[str, ColumnElement[Any]] = {
    "name": experiments.c.name,
    "experiment_id": experiments.c.experiment_id,
    **_TIME_COLUMNS,
}
_NAMES = ", ".join(_ORDERABLE)


def _check_identifier(ident: Identifier, label: str) -> None:
    """Experiments know attributes and tags only; ``run.`` is a runs-only attribute prefix."""
    is_attribute = ident.entity is EntityType.ATTRIBUTE and ident.prefix in _ATTRIBUTE_PREFIXES
    if not (is_attribute or ident.entity is EntityType.TAG):
        raise filter_error(
            ident.pos,
            f"experiments cannot be searched by {ident.describe()!r} "
            "(use an attribute or tags.<key>)",
            label,
        )
    if ident.entity is EntityType.ATTRIBUTE and ident.key not in _ORDERABLE:
        raise filter_error(
            ident.pos, f"unknown experiment attribute {ident.key!r} (use {_NAMES})", label
        )


def compile_experiment_filter(expr: Expr) -> ColumnElement[bool]:
    """The SQL condition on ``experiments`` that a parsed filter stands for."""
    return compile_boolean(expr, _compile_comparison)


def _compile_comparison(cmp: Comparison) -> ColumnElement[bool]:
    _check_identifier(cmp.ident, "filter")
    if cmp.ident.entity is EntityType.TAG:
        return _tag(cmp)
    return _attribute(cmp)


def _tag(cmp: Comparison) -> ColumnElement[bool]:
    what = f"tag {cmp.ident.key!r}"
    check_op(cmp, KEY_VALUE_OPS, what)
    having_key = sa.select(experiment_tags.c.experiment_id).where(
        experiment_tags.c.key == cmp.ident.key
    )
    if cmp.op is Op.IS_NULL:
        return _EXPERIMENT_ID.not_in(having_key)
    if cmp.op is Op.IS_NOT_NULL:
        return _EXPERIMENT_ID.in_(having_key)
    matching = having_key.where(string_predicate(experiment_tags.c.value, cmp, what))
    return _EXPERIMENT_ID.in_(matching)


def _experiment_id(lit: Literal) -> int:
    """Ids are integers in the SQL store; accept them bare or as quoted digits."""
    value = lit.value
    if isinstance(value, int) or (isinstance(value, str) and value.isascii() and value.isdigit()):
        return int(value)
    raise filter_error(lit.pos, f"experiment_id must be an integer, found {value!r}")


def _attribute(cmp: Comparison) -> ColumnElement[bool]:
    key = cmp.ident.key
    what = f"attribute {key!r}"
    if key == "name":
        check_op(cmp, STRING_OPS, what)
        return string_predicate(experiments.c.name, cmp, what)
    if key == "experiment_id":
        check_op(cmp, {Op.EQ, Op.NE, Op.IN, Op.NOT_IN}, what)
        ids = [_experiment_id(lit) for lit in cmp.values]
        if cmp.op in (Op.IN, Op.NOT_IN):
            bound = bigint_list(ids)
            return _EXPERIMENT_ID.in_(bound) if cmp.op is Op.IN else _EXPERIMENT_ID.not_in(bound)
        return numeric_predicate(_EXPERIMENT_ID, cmp.op, ids[0])
    check_op(cmp, NUMBER_OPS, what)
    value = number_value(cmp.value, what, integer=True)
    return numeric_predicate(_TIME_COLUMNS[key], cmp.op, value)


def experiment_ordering(order_by: Sequence[str]) -> list[ColumnElement[Any]]:
    """ORDER BY terms; ``creation_time DESC`` by default, always ending in ``experiment_id``."""
    if not order_by:
        return [experiments.c.creation_time.desc(), experiments.c.experiment_id.asc()]
    terms: list[ColumnElement[Any]] = []
    seen: set[str] = set()
    for clause in order_by:
        key = parse_order_by(clause)
        label = order_by_label(clause)
        if key.ident.entity is not EntityType.ATTRIBUTE:
            raise filter_error(key.ident.pos, f"experiments can be ordered by {_NAMES}", label)
        _check_identifier(key.ident, label)
        if key.ident.key in seen:
            raise InvalidParameterValue(
                f"Invalid {label}: {key.ident.key!r} appears more than once in order_by"
            )
        seen.add(key.ident.key)
        column = _ORDERABLE[key.ident.key]
        terms.append(column.asc() if key.ascending else column.desc())
    if "experiment_id" not in seen:
        terms.append(experiments.c.experiment_id.asc())
    return terms


def select_experiment_ids(
    filter_string: str | None,
    view_type: ViewType,
    order_by: Sequence[str],
    offset: int,
    limit: int,
) -> sa.Select[Any]:
    """The ids of the matching experiments, ordered, one page (``offset``/``limit``) of them.

    >>> query = select_experiment_ids("tags.team = 'vision'", ViewType.ALL, ["name"], 0, 10)
    """
    expr = parse_filter(filter_string)
    conditions: list[ColumnElement[bool]] = [
        experiments.c.lifecycle_stage.in_([stage.value for stage in view_type.stages])
    ]
    if expr is not None:
        conditions.append(compile_experiment_filter(expr))
    return (
        sa.select(experiments.c.experiment_id)
        .where(*conditions)
        .order_by(*experiment_ordering(order_by))
        .offset(offset)
        .limit(limit)
    )
