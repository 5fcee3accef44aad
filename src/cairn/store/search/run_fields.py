"""The run attributes a search may name, their aliases and the columns behind them.

Shared by the filter compiler and the order_by compiler so that both accept exactly the same
spellings (``created`` is ``start_time``, ``Run Name`` is ``run_name``, ``run_id`` is the
``run_uuid`` column).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.sql.elements import ColumnElement

from cairn.store.db.tables import runs


@dataclass(frozen=True)
class RunAttribute:
    name: str  # the canonical search name
    column: ColumnElement[Any]
    numeric: bool
    nullable: bool


#: ``runs.run_uuid`` with its type spelled out (Table.c attributes are untyped).
RUN_UUID: ColumnElement[str] = runs.c.run_uuid

_ATTRIBUTES = {
    attr.name: attr
    for attr in (
        RunAttribute("run_id", runs.c.run_uuid, numeric=False, nullable=False),
        RunAttribute("run_name", runs.c.name, numeric=False, nullable=False),
        RunAttribute("status", runs.c.status, numeric=False, nullable=False),
        RunAttribute("user_id", runs.c.user_id, numeric=False, nullable=False),
        RunAttribute("artifact_uri", runs.c.artifact_uri, numeric=False, nullable=False),
        RunAttribute("start_time", runs.c.start_time, numeric=True, nullable=False),
        RunAttribute("end_time", runs.c.end_time, numeric=True, nullable=True),
    )
}

_ALIASES = {
    "created": "start_time",
    "Created": "start_time",
    "run name": "run_name",
    "Run name": "run_name",
    "Run Name": "run_name",
}

#: Listed in "unknown attribute" errors.
ATTRIBUTE_NAMES = ", ".join(_ATTRIBUTES)


def run_attribute(key: str) -> RunAttribute | None:
    """The attribute a key names (case-sensitive, as in MLflow), or None if it names none."""
    return _ATTRIBUTES.get(_ALIASES.get(key, key))
