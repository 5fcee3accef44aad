"""The parser on its own (no database): tree shape, precedence, identifiers, error positions."""

from __future__ import annotations

import pytest

from cairn.errors import InvalidParameterValue
from cairn.store.search import parse_filter
from cairn.store.search.ast import (
    And,
    Comparison,
    EntityType,
    Expr,
    Identifier,
    Literal,
    Not,
    Op,
    Or,
)
from cairn.store.search.parser import parse_order_by


def comparison(text: str) -> Comparison:
    expr = parse_filter(text)
    assert isinstance(expr, Comparison)
    return expr


def shape(expr: Expr | None) -> str:
    """A compact rendering of the tree: comparisons by key, operators prefix."""
    if isinstance(expr, Comparison):
        return expr.ident.key
    if isinstance(expr, And):
        return "and(" + ",".join(shape(i) for i in expr.items) + ")"
    if isinstance(expr, Or):
        return "or(" + ",".join(shape(i) for i in expr.items) + ")"
    if isinstance(expr, Not):
        return "not(" + shape(expr.operand) + ")"
    return "none"


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("a = 1 AND b = 1 OR c = 1", "or(and(a,b),c)"),
        ("a = 1 OR b = 1 AND c = 1", "or(a,and(b,c))"),
        ("(a = 1 OR b = 1) AND c = 1", "and(or(a,b),c)"),
        ("NOT a = 1 AND b = 1", "and(not(a),b)"),
        ("NOT (a = 1 AND b = 1)", "not(and(a,b))"),
        ("NOT NOT a = 1", "not(not(a))"),
        ("a = 1 and b = 1 and c = 1", "and(a,b,c)"),
        ("a = 1 or b = 1 Or c = 1", "or(a,b,c)"),
        ("((a = 1))", "a"),
        ("not a = 1 or b = 1", "or(not(a),b)"),
    ],
)
def test_not_binds_tighter_than_and_which_binds_tighter_than_or(text: str, tree: str) -> None:
    assert shape(parse_filter(text)) == tree


@pytest.mark.parametrize("text", [None, "", "   \t"])
def test_empty_filter_parses_to_none(text: str | None) -> None:
    assert parse_filter(text) is None


@pytest.mark.parametrize(
    ("prefix", "entity"),
    [
        ("metric", EntityType.METRIC),
        ("metrics", EntityType.METRIC),
        ("param", EntityType.PARAM),
        ("params", EntityType.PARAM),
        ("parameter", EntityType.PARAM),
        ("parameters", EntityType.PARAM),
        ("tag", EntityType.TAG),
        ("tags", EntityType.TAG),
        ("attribute", EntityType.ATTRIBUTE),
        ("attributes", EntityType.ATTRIBUTE),
        ("attr", EntityType.ATTRIBUTE),
        ("run", EntityType.ATTRIBUTE),
        ("dataset", EntityType.DATASET),
        ("datasets", EntityType.DATASET),
        ("`params`", EntityType.PARAM),
        ("METRICS", EntityType.METRIC),
    ],
)
def test_every_identifier_prefix_alias_is_recognised(prefix: str, entity: EntityType) -> None:
    ident = comparison(f"{prefix}.k = 'v'").ident
    assert (ident.entity, ident.key) == (entity, "k")


@pytest.mark.parametrize(
    ("text", "entity", "key"),
    [
        ("status = 'x'", EntityType.ATTRIBUTE, "status"),
        ("`Run name` = 'x'", EntityType.ATTRIBUTE, "Run name"),
        ("\"run name\" = 'x'", EntityType.ATTRIBUTE, "run name"),
        ("tags.`mlflow.runName` = 'x'", EntityType.TAG, "mlflow.runName"),
        ("params.\"my key\" = 'x'", EntityType.PARAM, "my key"),
        ("params.a.b = 'x'", EntityType.PARAM, "a.b"),
        ("metrics.`val-loss` > 1", EntityType.METRIC, "val-loss"),
        ("params.in = 'x'", EntityType.PARAM, "in"),
    ],
)
def test_keys_may_be_bare_dotted_backticked_or_double_quoted(
    text: str, entity: EntityType, key: str
) -> None:
    ident = comparison(text).ident
    assert (ident.entity, ident.key) == (entity, key)


@pytest.mark.parametrize(
    ("text", "op", "values"),
    [
        ("a = 'x'", Op.EQ, ("x",)),
        ('a != "x"', Op.NE, ("x",)),
        ("a <> 'x'", Op.NE, ("x",)),
        ("a > -1", Op.GT, (-1,)),
        ("a >= 1.5", Op.GE, (1.5,)),
        ("a < 1e3", Op.LT, (1000.0,)),
        ("a <= .5", Op.LE, (0.5,)),
        ("a like 'x%'", Op.LIKE, ("x%",)),
        ("a ILike 'x%'", Op.ILIKE, ("x%",)),
        ("a RLIKE '^x$'", Op.RLIKE, ("^x$",)),
        ("a in ('x', 'y')", Op.IN, ("x", "y")),
        ("a NOT IN ('x')", Op.NOT_IN, ("x",)),
        ("a is null", Op.IS_NULL, ()),
        ("a IS NOT NULL", Op.IS_NOT_NULL, ()),
    ],
)
def test_comparators_and_values_case_insensitive_keywords(
    text: str, op: Op, values: tuple[object, ...]
) -> None:
    cmp = comparison(text)
    assert cmp.op is op
    assert tuple(lit.value for lit in cmp.values) == values


def test_integer_literals_stay_integers_and_floats_stay_floats() -> None:
    assert comparison("a = 7").value == Literal(7, 4)
    assert isinstance(comparison("a = 7.0").value.value, float)


def test_nodes_record_where_they_came_from() -> None:
    cmp = comparison("  params.lr   =  'x'")
    assert cmp.ident == Identifier(EntityType.PARAM, "lr", "params", 2)
    assert (cmp.pos, cmp.value.pos) == (14, 17)


@pytest.mark.parametrize(
    ("text", "position", "detail"),
    [
        ("params.model = abc", 15, "expected a quoted string after '=', found 'abc'"),
        ("metrics.x > abc", 12, "expected a number after '>', found 'abc'"),
        ("status = abc", 9, "expected a quoted string or a number after '=', found 'abc'"),
        ("a = 1 b = 2", 6, "unexpected 'b' after a complete expression"),
        (
            "(a = 1 OR (b = 2)",
            17,
            "expected ')' to close the '(' at position 0, found end of filter",
        ),
        ("a = 1 AND", 9, "expected an identifier, found end of filter"),
        ("AND a = 1", 0, "expected an identifier, found 'AND'"),
        ("a IN ()", 6, "the IN list is empty"),
        ("a IN 'x'", 5, "expected '(' to open the IN list, found \"'x'\""),
        ("a IN ('x',)", 10, "expected a quoted string or a number in the list, found ')'"),
        ("a NOT = 'x'", 6, "expected IN, found '='"),
        ("a IS NOTNULL", 5, "expected NULL, found 'NOTNULL'"),
        ("a", 1, "expected a comparator after 'a', found end of filter"),
        ("a BETWEEN 1", 2, "expected a comparator after 'a', found 'BETWEEN'"),
        (
            "x.y = 1",
            0,
            "unknown identifier type 'x' "
            "(expected attributes., metrics., params., tags. or datasets.)",
        ),
        ("params. lr = 'x'", 7, "expected a key after 'params.'"),
        ("= 1", 0, "expected an identifier, found '='"),
    ],
)
def test_syntax_errors_name_the_problem_and_the_position(
    text: str, position: int, detail: str
) -> None:
    with pytest.raises(InvalidParameterValue) as raised:
        parse_filter(text)
    assert raised.value.message == f"Invalid filter at position {position}: {detail}"


@pytest.mark.parametrize("opener", ["(", "NOT "])
def test_absurd_nesting_is_a_filter_error_not_a_crash(opener: str) -> None:
    text = opener * 5000 + "a = 1" + (")" * 5000 if opener == "(" else "")
    with pytest.raises(InvalidParameterValue, match="nested more than 100 levels deep"):
        parse_filter(text)


def test_reasonable_nesting_parses() -> None:
    assert shape(parse_filter("(" * 50 + "NOT a = 1" + ")" * 50)) == "not(a)"


@pytest.mark.parametrize(
    ("clause", "key", "ascending"),
    [
        ("metrics.acc", "acc", True),
        ("metrics.acc DESC", "acc", False),
        ("metrics.acc asc", "acc", True),
        ("params.`my key` desc", "my key", False),
        ("start_time", "start_time", True),
    ],
)
def test_order_by_clause_is_an_identifier_and_an_optional_direction(
    clause: str, key: str, ascending: bool
) -> None:
    parsed = parse_order_by(clause)
    assert (parsed.ident.key, parsed.ascending) == (key, ascending)


def test_order_by_syntax_errors_name_the_clause() -> None:
    with pytest.raises(InvalidParameterValue) as raised:
        parse_order_by("metrics.acc DOWN")
    assert raised.value.message == (
        "Invalid order_by clause 'metrics.acc DOWN' at position 12: "
        "unexpected 'DOWN' after a complete expression"
    )
