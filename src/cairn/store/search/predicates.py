"""Comparison nodes -> SQL boolean expressions, with the type and comparator checks they need.

Shared by the runs and experiments compilers. Two rules hold for everything built here:

* case: ``=``, ``!=``, LIKE and RLIKE are case-sensitive on every backend (SQLite runs with
  ``case_sensitive_like``, MySQL columns use a binary collation); ILIKE lowers both sides;
* LIKE escapes with a backslash on every backend (SQLite has no default escape character).

Expressions are two-valued (never SQL NULL) so that ``NOT`` is a plain complement.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from cairn.store.search.ast import And, Comparison, Expr, Literal, Not, Op, Or
from cairn.store.search.tokens import filter_error

_LIKE_ESCAPE = "\\"
#: What a value may be compared with, per comparator family (used by the compilers).
STRING_OPS = frozenset({Op.EQ, Op.NE, Op.LIKE, Op.ILIKE, Op.RLIKE})
STRING_LIST_OPS = STRING_OPS | {Op.IN, Op.NOT_IN}
KEY_VALUE_OPS = STRING_OPS | {Op.IS_NULL, Op.IS_NOT_NULL}
NUMBER_OPS = frozenset({Op.EQ, Op.NE, Op.GT, Op.GE, Op.LT, Op.LE})


def check_op(cmp: Comparison, allowed: Iterable[Op], what: str) -> None:
    """Reject a comparator the identifier does not support, listing the ones it does."""
    allowed = frozenset(allowed)
    if cmp.op not in allowed:
        names = ", ".join(op.value for op in Op if op in allowed)
        raise filter_error(
            cmp.pos, f"comparator {cmp.op.value} is not supported for {what} (use {names})"
        )


def string_values(cmp: Comparison, what: str) -> list[str]:
    """The comparison's values, each required to be a quoted string."""
    for lit in cmp.values:
        if not isinstance(lit.value, str):
            raise filter_error(
                lit.pos, f"{what} must be compared with a quoted string, found {lit.value!r}"
            )
    return [str(lit.value) for lit in cmp.values]


def number_value(lit: Literal, what: str, *, integer: bool = False) -> int | float:
    """The literal as a number; ``integer`` also rejects floats (experiment timestamps)."""
    value = lit.value
    if isinstance(value, str) or (integer and not isinstance(value, int)):
        kind = "an integer" if integer else "a number"
        raise filter_error(lit.pos, f"{what} must be compared with {kind}, found {value!r}")
    return value


def fits_bigint(value: int | float) -> bool:
    """Whether a value can be bound as a 64-bit integer (floats and huge ints cannot)."""
    return isinstance(value, int) and -(2**63) <= value < 2**63


def bigint_list(values: Iterable[int]) -> list[ColumnElement[int]]:
    """Integers for an IN list, bound as BIGINT so an absurd id is no match, not a SQL error."""
    return [sa.literal(value, sa.BigInteger()) for value in values]


def _check_regex(pattern: str, pos: int) -> None:
    """Reject a broken regular expression here rather than as a backend-specific SQL error."""
    try:
        re.compile(pattern)
    except re.error as exc:
        raise filter_error(pos, f"invalid regular expression {pattern!r}: {exc}") from None


def string_predicate(column: ColumnElement[Any], cmp: Comparison, what: str) -> ColumnElement[bool]:
    """``column <op> value`` for =, !=, LIKE, ILIKE, RLIKE, IN and NOT IN on a non-null column."""
    values = string_values(cmp, what)
    op = cmp.op
    if op is Op.IN:
        return column.in_(values)
    if op is Op.NOT_IN:
        return column.not_in(values)
    value = values[0]
    if op is Op.EQ:
        return column == value
    if op is Op.NE:
        return column != value
    if op is Op.LIKE:
        return column.like(value, escape=_LIKE_ESCAPE)
    if op is Op.ILIKE:
        return sa.func.lower(column).like(sa.func.lower(value), escape=_LIKE_ESCAPE)
    if op is Op.RLIKE:
        _check_regex(value, cmp.value.pos)
        return column.regexp_match(value)
    raise AssertionError(f"unhandled string comparator {op}")  # pragma: no cover


def numeric_predicate(
    column: ColumnElement[Any], op: Op, value: int | float
) -> ColumnElement[bool]:
    """``column <op> value``; a float bound as a double so integer columns are not rounded."""
    if not fits_bigint(value):
        value = float(value)
    bound = sa.literal(value, sa.BigInteger() if fits_bigint(value) else sa.Double())
    return cast("ColumnElement[bool]", _NUMBER_COMPARATORS[op](column, bound))


_NUMBER_COMPARATORS = {
    Op.EQ: operator.eq,
    Op.NE: operator.ne,
    Op.GT: operator.gt,
    Op.GE: operator.ge,
    Op.LT: operator.lt,
    Op.LE: operator.le,
}


def compile_boolean(
    expr: Expr, leaf: Callable[[Comparison], ColumnElement[bool]]
) -> ColumnElement[bool]:
    """AND/OR/NOT map straight onto SQL; each entity kind compiles only its own comparisons."""
    if isinstance(expr, And):
        return sa.and_(*(compile_boolean(item, leaf) for item in expr.items))
    if isinstance(expr, Or):
        return sa.or_(*(compile_boolean(item, leaf) for item in expr.items))
    if isinstance(expr, Not):
        return sa.not_(compile_boolean(expr.operand, leaf))
    return leaf(expr)
