"""Compile registry filters (reference 4.4 and 4.5) to SQL and build the search queries.

Registered models: attribute ``name`` and tags. Model versions: ``name``, ``run_id``,
``source_path``, ``version_number`` and tags. Tag clauses are semi-joins, false for a model or
version without the tag, except ``mlflow.prompt.is_prompt`` where a missing tag reads as
``'false'``: MLflow clients add ``tags.`mlflow.prompt.is_prompt` != 'true'`` to every model
search, and ordinary models (no such tag) must still match it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from cairn.errors import InvalidParameterValue
from cairn.store.db.tables import (
    model_version_tags,
    model_versions,
    registered_model_tags,
    registered_models,
)
from cairn.store.search.ast import Comparison, EntityType, Identifier, Op
from cairn.store.search.parser import order_by_label, parse_filter, parse_order_by
from cairn.store.search.predicates import (
    NUMBER_OPS,
    check_op,
    compile_boolean,
    number_value,
    numeric_predicate,
    string_predicate,
)
from cairn.store.search.tokens import filter_error

_ATTRIBUTE_PREFIXES = (None, "attribute", "attributes", "attr")
_STRING_OPS = frozenset({Op.EQ, Op.NE, Op.LIKE, Op.ILIKE})
_STRING_LIST_OPS = _STRING_OPS | {Op.IN, Op.NOT_IN}
PROMPT_TAG = "mlflow.prompt.is_prompt"
_MODEL_KEY: ColumnElement[int] = registered_models.c.model_key


def _check_identifier(ident: Identifier, what: str, attributes: Sequence[str], label: str) -> None:
    is_attribute = ident.entity is EntityType.ATTRIBUTE and ident.prefix in _ATTRIBUTE_PREFIXES
    if not (is_attribute or ident.entity is EntityType.TAG):
        raise filter_error(ident.pos, f"{what} cannot be searched by {ident.describe()!r}", label)
    if is_attribute and ident.key not in attributes:
        names = ", ".join(attributes)
        raise filter_error(
            ident.pos, f"unknown {what} attribute {ident.key!r} (use {names})", label
        )


# --- registered models ------------------------------------------------------------------------
def _model_tag(cmp: Comparison) -> ColumnElement[bool]:
    what = f"tag {cmp.ident.key!r}"
    check_op(cmp, _STRING_OPS, what)
    rmt = registered_model_tags
    if cmp.ident.key == PROMPT_TAG:
        value = (
            sa.select(rmt.c.value)
            .where(rmt.c.model_key == _MODEL_KEY, rmt.c.key == PROMPT_TAG)
            .scalar_subquery()
        )
        return string_predicate(sa.func.coalesce(value, "false"), cmp, what)
    matching = sa.select(rmt.c.model_key).where(
        rmt.c.key == cmp.ident.key, string_predicate(rmt.c.value, cmp, what)
    )
    return _MODEL_KEY.in_(matching)


def _model_comparison(cmp: Comparison) -> ColumnElement[bool]:
    _check_identifier(cmp.ident, "registered models", ("name",), "filter")
    if cmp.ident.entity is EntityType.TAG:
        return _model_tag(cmp)
    check_op(cmp, _STRING_LIST_OPS, "attribute 'name'")
    return string_predicate(registered_models.c.name, cmp, "attribute 'name'")


_MODEL_ORDER: dict[str, ColumnElement[Any]] = {
    "name": registered_models.c.name,
    "timestamp": registered_models.c.last_updated_timestamp,
    "last_updated_timestamp": registered_models.c.last_updated_timestamp,
}


def _ordering(
    order_by: Sequence[str], orderable: dict[str, ColumnElement[Any]], what: str
) -> tuple[list[ColumnElement[Any]], set[str]]:
    terms: list[ColumnElement[Any]] = []
    seen: set[str] = set()
    names = ", ".join(orderable)
    for clause in order_by:
        key = parse_order_by(clause)
        label = order_by_label(clause)
        ident = key.ident
        if ident.entity is not EntityType.ATTRIBUTE or ident.key not in orderable:
            raise filter_error(ident.pos, f"{what} can be ordered by {names}", label)
        column = orderable[ident.key]
        if str(column.key) in seen:
            raise InvalidParameterValue(
                f"Invalid {label}: {ident.key!r} appears more than once in order_by"
            )
        seen.add(str(column.key))
        terms.append(column.asc() if key.ascending else column.desc())
    return terms, seen


def select_registered_model_keys(
    filter_string: str | None, order_by: Sequence[str], offset: int, limit: int
) -> sa.Select[Any]:
    """The surrogate keys of one page of matching registered models, in order.

    >>> query = select_registered_model_keys("name LIKE 'fraud%'", ["timestamp DESC"], 0, 10)
    """
    expr = parse_filter(filter_string)
    terms, seen = _ordering(order_by, _MODEL_ORDER, "registered models")
    if "name" not in seen:
        terms.append(registered_models.c.name.asc())
    query = sa.select(_MODEL_KEY)
    if expr is not None:
        query = query.where(compile_boolean(expr, _model_comparison))
    return query.order_by(*terms).offset(offset).limit(limit)


# --- model versions ---------------------------------------------------------------------------
_VERSION_ATTRIBUTES = ("name", "run_id", "source_path", "version_number")


def _version_tag(cmp: Comparison) -> ColumnElement[bool]:
    what = f"tag {cmp.ident.key!r}"
    check_op(cmp, _STRING_OPS, what)
    mvt, mv = model_version_tags, model_versions
    matching = sa.select(mvt.c.model_key).where(
        mvt.c.model_key == mv.c.model_key,
        mvt.c.version == mv.c.version,
        mvt.c.key == cmp.ident.key,
        string_predicate(mvt.c.value, cmp, what),
    )
    return matching.exists()


def _version_comparison(cmp: Comparison) -> ColumnElement[bool]:
    _check_identifier(cmp.ident, "model versions", _VERSION_ATTRIBUTES, "filter")
    if cmp.ident.entity is EntityType.TAG:
        return _version_tag(cmp)
    key = cmp.ident.key
    what = f"attribute {key!r}"
    if key == "version_number":
        check_op(cmp, NUMBER_OPS, what)
        value = number_value(cmp.value, what, integer=True)
        return numeric_predicate(model_versions.c.version, cmp.op, value)
    if key == "source_path":
        check_op(cmp, _STRING_OPS, what)
        return string_predicate(model_versions.c.source, cmp, what)
    check_op(cmp, _STRING_LIST_OPS, what)
    column = registered_models.c.name if key == "name" else model_versions.c.run_id
    return sa.and_(column.is_not(None), string_predicate(column, cmp, what))


_VERSION_ORDER: dict[str, ColumnElement[Any]] = {
    "name": registered_models.c.name,
    "version_number": model_versions.c.version,
    "creation_timestamp": model_versions.c.creation_timestamp,
    "last_updated_timestamp": model_versions.c.last_updated_timestamp,
}


def select_model_version_keys(
    filter_string: str | None, order_by: Sequence[str], offset: int, limit: int
) -> sa.Select[Any]:
    """(model_key, version) of one page of matching live versions, in order."""
    expr = parse_filter(filter_string)
    if order_by:
        terms, seen = _ordering(order_by, _VERSION_ORDER, "model versions")
    else:
        terms, seen = [model_versions.c.last_updated_timestamp.desc()], set()
    if "name" not in seen:
        terms.append(registered_models.c.name.asc())
    if "version" not in seen:
        terms.append(model_versions.c.version.desc())
    query = (
        sa.select(model_versions.c.model_key, model_versions.c.version)
        .join(registered_models, registered_models.c.model_key == model_versions.c.model_key)
        .where(model_versions.c.current_stage != "Deleted_Internal")
    )
    if expr is not None:
        query = query.where(compile_boolean(expr, _version_comparison))
    return query.order_by(*terms).offset(offset).limit(limit)
