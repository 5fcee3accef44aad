"""The syntax tree of a parsed filter: frozen dataclasses, independent of runs or experiments.

The parser only checks shape; what an identifier may be compared with depends on the entity being
searched and is checked when the tree is compiled to SQL (``runs.py``, ``experiments.py``). Every
node keeps the position of the text it came from so those later checks can still point at it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class EntityType(enum.Enum):
    ATTRIBUTE = "attribute"
    METRIC = "metric"
    PARAM = "param"
    TAG = "tag"
    DATASET = "dataset"


#: Every spelling of an identifier prefix MLflow accepts (matched case-insensitively).
PREFIXES: dict[str, EntityType] = {
    "attribute": EntityType.ATTRIBUTE,
    "attributes": EntityType.ATTRIBUTE,
    "attr": EntityType.ATTRIBUTE,
    "run": EntityType.ATTRIBUTE,
    "metric": EntityType.METRIC,
    "metrics": EntityType.METRIC,
    "param": EntityType.PARAM,
    "params": EntityType.PARAM,
    "parameter": EntityType.PARAM,
    "parameters": EntityType.PARAM,
    "tag": EntityType.TAG,
    "tags": EntityType.TAG,
    "dataset": EntityType.DATASET,
    "datasets": EntityType.DATASET,
}


class Op(enum.Enum):
    EQ = "="
    NE = "!="
    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="
    LIKE = "LIKE"
    ILIKE = "ILIKE"
    RLIKE = "RLIKE"
    IN = "IN"
    NOT_IN = "NOT IN"
    IS_NULL = "IS NULL"
    IS_NOT_NULL = "IS NOT NULL"


@dataclass(frozen=True)
class Identifier:
    entity: EntityType
    key: str
    prefix: str | None  # the prefix as written (lower-cased), None when there was none
    pos: int

    def describe(self) -> str:
        return self.key if self.prefix is None else f"{self.prefix}.{self.key}"


@dataclass(frozen=True)
class Literal:
    """A quoted string (``is_string``) or a number; ``value`` is a str, int or float."""

    value: str | int | float
    pos: int

    @property
    def is_string(self) -> bool:
        return isinstance(self.value, str)


@dataclass(frozen=True)
class Comparison:
    ident: Identifier
    op: Op
    values: tuple[Literal, ...]  # one for binary ops, several for IN, none for IS [NOT] NULL
    pos: int  # where the comparator starts

    @property
    def value(self) -> Literal:
        return self.values[0]


@dataclass(frozen=True)
class And:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Not:
    operand: Expr


Expr = Comparison | And | Or | Not
