"""Recursive-descent parser: tokens -> the syntax tree of ``ast.py``.

Grammar (keywords case-insensitive; NOT binds tighter than AND, AND tighter than OR)::

    filter     := or_expr EOF
    or_expr    := and_expr (OR and_expr)*
    and_expr   := not_expr (AND not_expr)*
    not_expr   := NOT not_expr | '(' or_expr ')' | comparison
    comparison := identifier ( OP value
                             | (LIKE | ILIKE | RLIKE) value
                             | [NOT] IN '(' value (',' value)* ')'
                             | IS [NOT] NULL )
    identifier := segment ('.' segment)*      -- segments glued together, no spaces
    segment    := WORD | `backticked` | "double quoted"
    value      := 'string' | "string" | NUMBER

MLflow accepts only AND-joined clauses; OR, NOT and parentheses are cairn extensions. The
order_by language (``<identifier> [ASC|DESC]``) shares the identifier rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cairn.errors import InvalidParameterValue
from cairn.store.search.ast import (
    PREFIXES,
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
from cairn.store.search.tokens import Kind, Token, filter_error, tokenize

_SYMBOL_OPS = {
    "=": Op.EQ,
    "!=": Op.NE,
    "<>": Op.NE,
    ">": Op.GT,
    ">=": Op.GE,
    "<": Op.LT,
    "<=": Op.LE,
}
_PATTERN_OPS = {"LIKE": Op.LIKE, "ILIKE": Op.ILIKE, "RLIKE": Op.RLIKE}
_MAX_DEPTH = 100
_KEYWORDS = frozenset({"AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE", "ILIKE", "RLIKE"})
_SEGMENT_KINDS = (Kind.WORD, Kind.BACKTICK, Kind.STRING)
_VALUE_HINT = {
    EntityType.METRIC: "a number",
    EntityType.PARAM: "a quoted string",
    EntityType.TAG: "a quoted string",
    EntityType.DATASET: "a quoted string",
    EntityType.ATTRIBUTE: "a quoted string or a number",
}


@dataclass(frozen=True)
class OrderKey:
    """One parsed order_by clause."""

    ident: Identifier
    ascending: bool


class _Parser:
    def __init__(self, text: str, label: str) -> None:
        self.label = label
        self.tokens = tokenize(text, label)
        self.index = 0
        self.depth = 0

    def error(self, pos: int, detail: str) -> InvalidParameterValue:
        return filter_error(pos, detail, self.label)

    # --- token helpers ----------------------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.tokens[self.index]

    def _advance(self) -> Token:
        tok = self.tokens[self.index]
        if tok.kind is not Kind.EOF:
            self.index += 1
        return tok

    def _at_keyword(self, *words: str) -> bool:
        return self.tok.kind is Kind.WORD and self.tok.text.upper() in words

    def _expect(self, kind: Kind, what: str) -> Token:
        if self.tok.kind is not kind:
            raise self.error(self.tok.pos, f"expected {what}, found {self.tok.describe()}")
        return self._advance()

    def direction(self) -> bool:
        """An optional ASC/DESC; True for ascending, the default."""
        if self._at_keyword("ASC", "DESC"):
            return self._advance().text.upper() == "ASC"
        return True

    def expect_eof(self) -> None:
        if self.tok.kind is not Kind.EOF:
            raise self.error(
                self.tok.pos, f"unexpected {self.tok.describe()} after a complete expression"
            )

    # --- boolean structure ------------------------------------------------------------------
    def or_expr(self) -> Expr:
        items = [self.and_expr()]
        while self._at_keyword("OR"):
            self._advance()
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Expr:
        items = [self.not_expr()]
        while self._at_keyword("AND"):
            self._advance()
            items.append(self.not_expr())
        return items[0] if len(items) == 1 else And(tuple(items))

    def not_expr(self) -> Expr:
        if self._at_keyword("NOT") or self.tok.kind is Kind.LPAREN:
            self.depth += 1
            if self.depth > _MAX_DEPTH:  # a 400 rather than a RecursionError (500)
                raise self.error(self.tok.pos, f"nested more than {_MAX_DEPTH} levels deep")
            expr = self._negation() if self._at_keyword("NOT") else self._group()
            self.depth -= 1
            return expr
        return self.comparison()

    def _negation(self) -> Expr:
        self._advance()
        return Not(self.not_expr())

    def _group(self) -> Expr:
        opening = self._advance()
        inner = self.or_expr()
        self._expect(Kind.RPAREN, f"')' to close the '(' at position {opening.pos}")
        return inner

    # --- comparisons ------------------------------------------------------------------------
    def identifier(self) -> Identifier:
        first = self.tok
        if first.kind not in _SEGMENT_KINDS or (
            first.kind is Kind.WORD and first.text.upper() in _KEYWORDS
        ):
            raise self.error(first.pos, f"expected an identifier, found {first.describe()}")
        segments = [self._advance()]
        while self.tok.kind is Kind.DOT and self.tok.glued:
            dot = self._advance()
            if self.tok.kind not in _SEGMENT_KINDS or not self.tok.glued:
                raise self.error(dot.pos + 1, f"expected a key after '{segments[0].value}.'")
            segments.append(self._advance())
        if len(segments) == 1:
            return Identifier(EntityType.ATTRIBUTE, first.value, None, first.pos)
        prefix = first.value.lower()
        entity = PREFIXES.get(prefix)
        if entity is None:
            raise self.error(
                first.pos,
                f"unknown identifier type {first.value!r} "
                "(expected attributes., metrics., params., tags. or datasets.)",
            )
        key = ".".join(seg.value for seg in segments[1:])
        return Identifier(entity, key, prefix, first.pos)

    def comparison(self) -> Comparison:
        ident = self.identifier()
        tok = self.tok
        if tok.kind is Kind.OP:
            self._advance()
            return Comparison(ident, _SYMBOL_OPS[tok.text], (self.value(ident, tok),), tok.pos)
        word = tok.text.upper() if tok.kind is Kind.WORD else ""
        if word in _PATTERN_OPS:
            self._advance()
            return Comparison(ident, _PATTERN_OPS[word], (self.value(ident, tok),), tok.pos)
        if word == "IS":
            self._advance()
            negated = self._at_keyword("NOT")
            if negated:
                self._advance()
            if not self._at_keyword("NULL"):
                raise self.error(self.tok.pos, f"expected NULL, found {self.tok.describe()}")
            self._advance()
            return Comparison(ident, Op.IS_NOT_NULL if negated else Op.IS_NULL, (), tok.pos)
        if word in ("IN", "NOT"):
            return self.in_list(ident)
        raise self.error(
            tok.pos, f"expected a comparator after {ident.describe()!r}, found {tok.describe()}"
        )

    def in_list(self, ident: Identifier) -> Comparison:
        start = self._advance()
        op = Op.IN
        if start.text.upper() == "NOT":
            if not self._at_keyword("IN"):
                raise self.error(self.tok.pos, f"expected IN, found {self.tok.describe()}")
            self._advance()
            op = Op.NOT_IN
        self._expect(Kind.LPAREN, f"'(' to open the {op.value} list")
        if self.tok.kind is Kind.RPAREN:
            raise self.error(self.tok.pos, f"the {op.value} list is empty")
        values = [self.value(ident, None)]
        while self.tok.kind is Kind.COMMA:
            self._advance()
            values.append(self.value(ident, None))
        self._expect(Kind.RPAREN, f"',' or ')' in the {op.value} list")
        return Comparison(ident, op, tuple(values), start.pos)

    def value(self, ident: Identifier, after: Token | None) -> Literal:
        tok = self.tok
        if tok.kind is Kind.STRING:
            self._advance()
            return Literal(tok.value, tok.pos)
        if tok.kind is Kind.NUMBER:
            self._advance()
            text = tok.text
            number: int | float = float(text) if any(c in text for c in ".eE") else int(text)
            if not math.isfinite(number):
                raise self.error(tok.pos, f"number {text} is out of range")
            return Literal(number, tok.pos)
        where = f" after {after.text.upper()!r}" if after else " in the list"
        hint = _VALUE_HINT[ident.entity]
        raise self.error(tok.pos, f"expected {hint}{where}, found {tok.describe()}")


def parse_filter(filter_string: str | None) -> Expr | None:
    """Parse a search filter; None (match everything) for an empty or blank one.

    >>> parse_filter("params.lr = '0.1' AND metrics.acc > 0.9") is not None
    True
    """
    if filter_string is None or not filter_string.strip():
        return None
    parser = _Parser(filter_string, "filter")
    expr = parser.or_expr()
    parser.expect_eof()
    return expr


def order_by_label(clause: str) -> str:
    """How errors about one order_by clause name it."""
    return f"order_by clause {clause!r}"


def parse_order_by(clause: str) -> OrderKey:
    """Parse one order_by clause, ``<identifier> [ASC|DESC]`` (ASC by default)."""
    parser = _Parser(clause, order_by_label(clause))
    ident = parser.identifier()
    ascending = parser.direction()
    parser.expect_eof()
    return OrderKey(ident, ascending)


def parse_identifier(text: str, label: str) -> Identifier:
    """Parse a lone identifier (``params.lr``, ``tags.`team name```), as a filter writes it."""
    parser = _Parser(text, label)
    ident = parser.identifier()
    parser.expect_eof()
    return ident
