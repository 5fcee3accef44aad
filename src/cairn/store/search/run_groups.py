"""What a run grouping groups by: a param or a tag, named as the filter language names it."""

from __future__ import annotations

import sqlalchemy as sa

from cairn.errors import InvalidParameterValue
from cairn.store.db.tables import params, tags
from cairn.store.search.ast import EntityType
from cairn.store.search.parser import parse_identifier

_GROUP_TABLES = {EntityType.PARAM: params, EntityType.TAG: tags}


def group_source(group_by: str) -> tuple[sa.Table, str]:
    """The table (params or tags) and key that ``group_by`` names.

    >>> group_source("params.`learning rate`")[1]
    'learning rate'
    """
    ident = parse_identifier(group_by, f"group_by {group_by!r}")
    table = _GROUP_TABLES.get(ident.entity)
    if table is None:
        raise InvalidParameterValue(
            f"Invalid group_by {group_by!r}: runs group by a param or a tag "
            "(params.<key> or tags.<key>)."
        )
    return table, ident.key
