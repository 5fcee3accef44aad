"""Compile a logged-model filter to SQL and build the ``search_logged_models`` id query.

The grammar is MLflow's for logged models, narrower than the runs one: clauses joined by AND
only (no OR, NOT or IS NULL), ``attributes.<k>`` (or a bare attribute), ``metrics.<k>``,
``params.<k>`` and ``tags.<k>``. The timestamps and metrics are numeric (``< <= > >= = !=``);
everything else takes ``= != LIKE ILIKE IN NOT IN``, and ``status`` compares by name
(``status = 'LOGGED_MODEL_READY'``).

As in MLflow, a metric clause matches a model when *any* recorded point of that metric does
(restricted to the search's datasets when some are given), whereas ordering by a metric uses
the model's latest point (by timestamp, then step). Each metric, param and tag clause is a
semi-join on ``logged_models.model_id``, so it never multiplies rows; each metric order key
outer-joins one row per model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from cairn.entities.lifecycle import LifecycleStage
from cairn.entities.logged_model import LoggedModelStatus
from cairn.errors import InvalidParameterValue
from cairn.store.db.tables import (
    logged_model_metrics,
    logged_model_params,
    logged_model_tags,
    logged_models,
)
from cairn.store.search.ast import And, Comparison, EntityType, Expr, Literal, Op, Or
from cairn.store.search.parser import order_by_label, parse_filter, parse_order_by
from cairn.store.search.predicates import (
    NUMBER_OPS,
    bigint_list,
    check_op,
    number_value,
    numeric_predicate,
    string_predicate,
)
from cairn.store.search.tokens import filter_error
from cairn.store.tracking.base import DatasetFilter, LoggedModelOrder

#: ``logged_models.model_id`` with its type spelled out (Table.c attributes are untyped).
MODEL_ID: ColumnElement[str] = logged_models.c.model_id
#: MLflow's string comparators for logged models (no RLIKE, no IS NULL).
STRING_OPS = frozenset({Op.EQ, Op.NE, Op.LIKE, Op.ILIKE, Op.IN, Op.NOT_IN})
_ATTRIBUTE_PREFIXES = (None, "attribute", "attributes", "attr")
#: MLflow's spellings of the timestamp attributes, and the wire name of the artifact location.
_ALIASES = {
    "creation_time": "creation_timestamp",
    "creation_timestamp_ms": "creation_timestamp",
    "last_updated_timestamp_ms": "last_updated_timestamp",
    "artifact_uri": "artifact_location",
}
_NUMERIC_ATTRIBUTES = frozenset({"creation_timestamp", "last_updated_timestamp"})
_STRING_ATTRIBUTES = frozenset(
    {
        "model_id",
        "name",
        "model_type",
        "source_run_id",
        "status",
        "status_message",
        "artifact_location",
    }
)
_NAMES = ", ".join(sorted(_NUMERIC_ATTRIBUTES | _STRING_ATTRIBUTES | {"experiment_id"}))
_KEY_VALUE_TABLES = {EntityType.PARAM: logged_model_params, EntityType.TAG: logged_model_tags}


def _comparisons(expr: Expr) -> list[Comparison]:
    """The AND-joined clauses of a filter; OR and NOT are runs-only extensions."""
    if isinstance(expr, Comparison):
        return [expr]
    if isinstance(expr, And):
        return [cmp for item in expr.items for cmp in _comparisons(item)]
    word = "OR" if isinstance(expr, Or) else "NOT"
    first = _comparisons(expr.items[1] if isinstance(expr, Or) else expr.operand)[0]
    raise filter_error(
        first.ident.pos,
        f"logged-model filters join clauses with AND only; {word} is not supported here",
    )


def _dataset_condition(datasets: Sequence[DatasetFilter]) -> ColumnElement[bool]:
    """Metric points recorded on any of the datasets (by name, and digest when given)."""
    m = logged_model_metrics
    return sa.or_(
        *(
            sa.and_(
                m.c.dataset_name == d.dataset_name,
                *([m.c.dataset_digest == d.dataset_digest] if d.dataset_digest else []),
            )
            for d in datasets
        )
    )


def _attribute(cmp: Comparison) -> ColumnElement[bool]:
    key = _ALIASES.get(cmp.ident.key, cmp.ident.key)
    what = f"attribute {key!r}"
    if key == "experiment_id":
        check_op(cmp, {Op.EQ, Op.NE, Op.IN, Op.NOT_IN}, what)
        column: ColumnElement[int] = logged_models.c.experiment_id
        ids = bigint_list(_experiment_id(lit) for lit in cmp.values)
        if cmp.op in (Op.EQ, Op.IN):
            return column.in_(ids)
        return column.not_in(ids)
    if key in _NUMERIC_ATTRIBUTES:
        check_op(cmp, NUMBER_OPS, what)
        return numeric_predicate(logged_models.c[key], cmp.op, number_value(cmp.value, what))
    if key not in _STRING_ATTRIBUTES:
        raise filter_error(
            cmp.ident.pos, f"unknown logged model attribute {cmp.ident.key!r} (use {_NAMES})"
        )
    check_op(cmp, STRING_OPS, what)
    column = logged_models.c[key]
    predicate = string_predicate(column, cmp, what)
    return sa.and_(column.is_not(None), predicate) if column.nullable else predicate


def _experiment_id(lit: Literal) -> int:
    value = lit.value
    if isinstance(value, int) or (isinstance(value, str) and value.isascii() and value.isdigit()):
        return int(value)
    raise filter_error(lit.pos, f"experiment_id must be an integer, found {value!r}")


def _metric(cmp: Comparison, datasets: Sequence[DatasetFilter]) -> ColumnElement[bool]:
    what = f"metric {cmp.ident.key!r}"
    check_op(cmp, NUMBER_OPS, what)
    m = logged_model_metrics
    conditions = [
        m.c.key == cmp.ident.key,
        numeric_predicate(m.c.value, cmp.op, number_value(cmp.value, what)),
        m.c.is_nan == sa.false(),
    ]
    if datasets:
        conditions.append(_dataset_condition(datasets))
    return MODEL_ID.in_(sa.select(m.c.model_id).where(*conditions))


def _key_value(cmp: Comparison) -> ColumnElement[bool]:
    table = _KEY_VALUE_TABLES[cmp.ident.entity]
    what = f"{cmp.ident.entity.value} {cmp.ident.key!r}"
    check_op(cmp, STRING_OPS, what)
    matching = sa.select(table.c.model_id).where(
        table.c.key == cmp.ident.key, string_predicate(table.c.value, cmp, what)
    )
    return MODEL_ID.in_(matching)


def _compile(cmp: Comparison, datasets: Sequence[DatasetFilter]) -> ColumnElement[bool]:
    ident = cmp.ident
    if ident.entity is EntityType.ATTRIBUTE and ident.prefix in _ATTRIBUTE_PREFIXES:
        return _attribute(cmp)
    if ident.entity is EntityType.METRIC:
        return _metric(cmp, datasets)
    if ident.entity in _KEY_VALUE_TABLES:
        return _key_value(cmp)
    raise filter_error(
        ident.pos,
        f"logged models cannot be searched by {ident.describe()!r} "
        "(use attributes., metrics., params. or tags.)",
    )


#: The attributes a search may order by; status sorts by its proto number, as in MLflow.
_ORDERABLE: dict[str, ColumnElement[Any]] = {
    "creation_timestamp": logged_models.c.creation_timestamp,
    "last_updated_timestamp": logged_models.c.last_updated_timestamp,
    "name": logged_models.c.name,
    "model_id": logged_models.c.model_id,
    "model_type": logged_models.c.model_type,
    "status": sa.case(
        {status.name: status.value for status in LoggedModelStatus},
        value=logged_models.c.status,
        else_=0,
    ),
    "source_run_id": logged_models.c.source_run_id,
}
_DIRECTION = re.compile(r"\s(asc|desc)\s*$", re.IGNORECASE)


def _missing_last(column: ColumnElement[Any]) -> ColumnElement[int]:
    return sa.case((column.is_(None), 1), else_=0)


def _latest_metric(order: LoggedModelOrder, key: str, alias: str) -> sa.Subquery:
    """Each model's latest point of one metric (by timestamp, then step), optionally on one
    dataset: at most one row per model, so the outer join never multiplies models."""
    m = logged_model_metrics
    conditions = [m.c.key == key]
    if order.dataset_name:
        conditions.append(m.c.dataset_name == order.dataset_name)
    if order.dataset_digest:
        conditions.append(m.c.dataset_digest == order.dataset_digest)
    recency = sa.func.row_number().over(
        partition_by=m.c.model_id,
        order_by=(m.c.timestamp.desc(), m.c.step.desc(), m.c.run_uuid.asc()),
    )
    ranked = sa.select(m.c.model_id, m.c.value, m.c.is_nan, recency.label("recency"))
    ranked_sub = ranked.where(*conditions).subquery()
    latest = sa.select(ranked_sub.c.model_id, ranked_sub.c.value, ranked_sub.c.is_nan)
    return latest.where(ranked_sub.c.recency == 1).subquery(alias)


def _direction(column: ColumnElement[Any], ascending: bool) -> ColumnElement[Any]:
    return column.asc() if ascending else column.desc()


class _Ordering:
    """Accumulates ORDER BY terms and the metric joins they need, one entry at a time."""

    def __init__(self) -> None:
        self.source: sa.FromClause = logged_models
        self.terms: list[ColumnElement[Any]] = []
        self.seen: set[str] = set()

    def add(self, order: LoggedModelOrder) -> None:
        label = order_by_label(order.field_name)
        if _DIRECTION.search(order.field_name):
            raise InvalidParameterValue(
                f"Invalid {label}: give the direction with `ascending`, not in the field name"
            )
        ident = parse_order_by(order.field_name).ident
        if ident.entity is EntityType.METRIC:
            self._metric(order, ident.key)
        elif ident.entity is EntityType.ATTRIBUTE and ident.prefix in _ATTRIBUTE_PREFIXES:
            key = _ALIASES.get(ident.key, ident.key)
            if key not in _ORDERABLE:
                raise filter_error(
                    ident.pos,
                    f"logged models cannot be ordered by {ident.key!r} "
                    f"(use {', '.join(_ORDERABLE)} or metrics.<key>)",
                    label,
                )
            self.seen.add(key)
            self.terms.append(_missing_last(_ORDERABLE[key]))
            self.terms.append(_direction(_ORDERABLE[key], order.ascending))
        else:
            raise filter_error(
                ident.pos, "logged models can be ordered by attributes and metrics only", label
            )

    def _metric(self, order: LoggedModelOrder, key: str) -> None:
        latest = _latest_metric(order, key, f"order_metric_{len(self.terms)}")
        self.source = self.source.outerjoin(latest, latest.c.model_id == MODEL_ID)
        value = latest.c.value
        self.terms.append(sa.case((value.is_(None), 2), (latest.c.is_nan == sa.true(), 1), else_=0))
        self.terms.append(_direction(value, order.ascending))

    def finish(self) -> tuple[sa.FromClause, list[ColumnElement[Any]]]:
        if "creation_timestamp" not in self.seen:
            self.terms.append(logged_models.c.creation_timestamp.desc())
        if "model_id" not in self.seen:
            self.terms.append(MODEL_ID.asc())
        return self.source, self.terms


def logged_model_ordering(
    order_by: Sequence[LoggedModelOrder],
) -> tuple[sa.FromClause, list[ColumnElement[Any]]]:
    """The FROM clause (``logged_models`` plus metric joins) and ORDER BY terms.

    Missing values sort last in both directions (NaN metrics just before them); the order
    always ends with ``creation_timestamp DESC`` and ``model_id ASC`` unless already given.
    """
    ordering = _Ordering()
    for order in order_by:
        ordering.add(order)
    return ordering.finish()


def _check_datasets(datasets: Sequence[DatasetFilter]) -> None:
    for dataset in datasets:
        if not dataset.dataset_name:
            raise InvalidParameterValue(
                "Every entry of `datasets` in a logged model search needs a dataset_name."
            )


def select_logged_model_ids(
    experiment_ids: Sequence[int],
    filter_string: str | None,
    datasets: Sequence[DatasetFilter],
    order_by: Sequence[LoggedModelOrder],
    offset: int,
    limit: int,
) -> sa.Select[Any]:
    """The ids of the matching active logged models, ordered, one page of them.

    With ``datasets`` and no metric clause, only models with a metric on one of those datasets
    match (MLflow's rule). The store fetches ``limit + 1`` ids to learn whether a page follows.

    >>> query = select_logged_model_ids([1], "metrics.acc > 0.9", (), (), 0, 10)
    """
    _check_datasets(datasets)
    expr = parse_filter(filter_string)
    conditions: list[ColumnElement[bool]] = [
        logged_models.c.experiment_id.in_(bigint_list(experiment_ids)),
        logged_models.c.lifecycle_stage == LifecycleStage.ACTIVE.value,
    ]
    comparisons = _comparisons(expr) if expr is not None else []
    conditions.extend(_compile(cmp, datasets) for cmp in comparisons)
    if datasets and not any(cmp.ident.entity is EntityType.METRIC for cmp in comparisons):
        having_metrics = sa.select(logged_model_metrics.c.model_id).where(
            _dataset_condition(datasets)
        )
        conditions.append(MODEL_ID.in_(having_metrics))
    source, ordering = logged_model_ordering(order_by)
    return (
        sa.select(logged_models.c.model_id)
        .select_from(source)
        .where(*conditions)
        .order_by(*ordering)
        .offset(offset)
        .limit(limit)
    )
