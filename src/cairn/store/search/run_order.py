"""Compile a runs ``order_by`` list to ORDER BY terms (and the outer joins they need).

Ordering by a metric, param or tag LEFT OUTER JOINs that table once per order key on its
primary key ``(run_uuid, key)``: at most one row per run, so the join never multiplies rows.
Missing values sort last in both directions, emulated portably with a ``CASE`` sort key in front
of the value (``NULLS LAST`` is not SQL that MySQL understands); NaN metrics, stored as 0 with
``is_nan`` set, sort after real values and before missing ones. Every ordering ends with
``start_time DESC`` (unless already given) and ``run_id ASC`` so pages are stable.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from cairn.errors import InvalidParameterValue
from cairn.store.db.tables import latest_metrics, params, runs, tags
from cairn.store.search.ast import EntityType
from cairn.store.search.parser import OrderKey, order_by_label, parse_order_by
from cairn.store.search.run_fields import ATTRIBUTE_NAMES, run_attribute
from cairn.store.search.tokens import filter_error

_KEY_TABLES = {EntityType.METRIC: latest_metrics, EntityType.PARAM: params, EntityType.TAG: tags}


def _direction(column: ColumnElement[Any], ascending: bool) -> ColumnElement[Any]:
    return column.asc() if ascending else column.desc()


def _missing_last(column: ColumnElement[Any]) -> ColumnElement[int]:
    return sa.case((column.is_(None), 1), else_=0)


class _RunOrdering:
    """Accumulates ORDER BY terms and the joins they need, one order_by clause at a time."""

    def __init__(self) -> None:
        self.source: sa.FromClause = runs
        self.terms: list[ColumnElement[Any]] = []
        self.seen: set[tuple[EntityType, str]] = set()

    def add(self, clause: str) -> None:
        key = parse_order_by(clause)
        ident = key.ident
        label = order_by_label(clause)
        if ident.entity is EntityType.ATTRIBUTE:
            self._attribute(key, label)
        elif ident.entity in _KEY_TABLES:
            self._mark_seen(ident.entity, ident.key, label)
            self._key_value(key)
        else:
            raise filter_error(ident.pos, "runs cannot be ordered by dataset fields", label)

    def _mark_seen(self, entity: EntityType, name: str, label: str) -> None:
        if (entity, name) in self.seen:
            raise InvalidParameterValue(
                f"Invalid {label}: {entity.value} {name!r} appears more than once in order_by"
            )
        self.seen.add((entity, name))

    def _attribute(self, key: OrderKey, label: str) -> None:
        attr = run_attribute(key.ident.key)
        if attr is None:
            raise filter_error(
                key.ident.pos,
                f"unknown run attribute {key.ident.key!r} (orderable: {ATTRIBUTE_NAMES})",
                label,
            )
        self._mark_seen(EntityType.ATTRIBUTE, attr.name, label)
        if attr.nullable:
            self.terms.append(_missing_last(attr.column))
        self.terms.append(_direction(attr.column, key.ascending))

    def _key_value(self, key: OrderKey) -> None:
        table = _KEY_TABLES[key.ident.entity].alias(f"order_{len(self.terms)}")
        self.source = self.source.outerjoin(
            table, sa.and_(table.c.run_uuid == runs.c.run_uuid, table.c.key == key.ident.key)
        )
        value = table.c.value
        if key.ident.entity is EntityType.METRIC:
            rank = sa.case((value.is_(None), 2), (table.c.is_nan == sa.true(), 1), else_=0)
            self.terms.append(rank)
        else:
            self.terms.append(_missing_last(value))
        self.terms.append(_direction(value, key.ascending))

    def finish(self) -> tuple[sa.FromClause, list[ColumnElement[Any]]]:
        if (EntityType.ATTRIBUTE, "start_time") not in self.seen:
            self.terms.append(runs.c.start_time.desc())
        if (EntityType.ATTRIBUTE, "run_id") not in self.seen:
            self.terms.append(runs.c.run_uuid.asc())
        return self.source, self.terms


def run_ordering(
    order_by: Sequence[str],
) -> tuple[sa.FromClause, list[ColumnElement[Any]]]:
    """The FROM clause (``runs`` plus outer joins) and ORDER BY terms for an order_by list."""
    ordering = _RunOrdering()
    for clause in order_by:
        ordering.add(clause)
    return ordering.finish()
