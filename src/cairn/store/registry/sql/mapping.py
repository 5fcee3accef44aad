"""Rows -> registry entities, loading tags and aliases for a whole page in a few queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from cairn.entities import (
    ModelVersion,
    ModelVersionStage,
    ModelVersionStatus,
    ModelVersionTag,
    RegisteredModel,
    RegisteredModelAlias,
    RegisteredModelTag,
)
from cairn.store.db import tables as t

DELETED = ModelVersionStage.DELETED_INTERNAL.value


def load_versions(conn: sa.Connection, rows: Sequence[Any]) -> list[ModelVersion]:
    """Rows of ``model_versions`` joined with ``registered_models.name``, in the given order."""
    if not rows:
        return []
    keys = {row.model_key for row in rows}
    pairs = {(row.model_key, row.version) for row in rows}
    tags: dict[tuple[int, int], list[ModelVersionTag]] = defaultdict(list)
    mvt = t.model_version_tags
    wanted = sa.tuple_(mvt.c.model_key, mvt.c.version).in_(pairs)  # only these versions' tags
    for tag in conn.execute(sa.select(mvt).where(wanted).order_by(mvt.c.key)).all():
        tags[(tag.model_key, tag.version)].append(ModelVersionTag(tag.key, tag.value))
    aliases: dict[tuple[int, int], list[str]] = defaultdict(list)
    rma = t.registered_model_aliases
    for alias in conn.execute(
        sa.select(rma).where(rma.c.model_key.in_(keys)).order_by(rma.c.alias)
    ).all():
        aliases[(alias.model_key, alias.version)].append(alias.alias)
    return [
        ModelVersion(
            name=row.name,
            version=row.version,
            creation_timestamp=row.creation_timestamp,
            last_updated_timestamp=row.last_updated_timestamp,
            source=row.source,
            current_stage=ModelVersionStage(row.current_stage),
            status=ModelVersionStatus[row.status],
            user_id=row.user_id,
            description=row.description,
            run_id=row.run_id,
            run_link=row.run_link,
            status_message=row.status_message,
            model_id=row.model_id,
            tags=tuple(tags[(row.model_key, row.version)]),
            aliases=tuple(aliases[(row.model_key, row.version)]),
        )
        for row in rows
    ]


def version_query() -> sa.Select[Any]:
    """Live versions with their model's name."""
    mv, rm = t.model_versions, t.registered_models
    return (
        sa.select(mv, rm.c.name)
        .join(rm, rm.c.model_key == mv.c.model_key)
        .where(mv.c.current_stage != DELETED)
    )


def _latest_versions(conn: sa.Connection, keys: set[int]) -> dict[int, list[ModelVersion]]:
    """The highest live version per (model, stage)."""
    mv = t.model_versions
    top = (
        sa.select(mv.c.model_key, mv.c.current_stage, sa.func.max(mv.c.version).label("version"))
        .where(mv.c.model_key.in_(keys), mv.c.current_stage != DELETED)
        .group_by(mv.c.model_key, mv.c.current_stage)
        .subquery()
    )
    query = version_query().join(
        top, sa.and_(top.c.model_key == mv.c.model_key, top.c.version == mv.c.version)
    )
    rows = conn.execute(query.order_by(mv.c.model_key, mv.c.version)).all()
    result: dict[int, list[ModelVersion]] = defaultdict(list)
    for row, version in zip(rows, load_versions(conn, rows), strict=True):
        result[row.model_key].append(version)
    return result


def load_models(conn: sa.Connection, rows: Sequence[Any]) -> list[RegisteredModel]:
    """Rows of ``registered_models``, in the given order."""
    if not rows:
        return []
    keys = {row.model_key for row in rows}
    tags: dict[int, list[RegisteredModelTag]] = defaultdict(list)
    rmt = t.registered_model_tags
    for tag in conn.execute(
        sa.select(rmt).where(rmt.c.model_key.in_(keys)).order_by(rmt.c.key)
    ).all():
        tags[tag.model_key].append(RegisteredModelTag(tag.key, tag.value))
    aliases: dict[int, list[RegisteredModelAlias]] = defaultdict(list)
    rma = t.registered_model_aliases
    for alias in conn.execute(
        sa.select(rma).where(rma.c.model_key.in_(keys)).order_by(rma.c.alias)
    ).all():
        aliases[alias.model_key].append(RegisteredModelAlias(alias.alias, alias.version))
    latest = _latest_versions(conn, keys)
    return [
        RegisteredModel(
            name=row.name,
            creation_timestamp=row.creation_timestamp,
            last_updated_timestamp=row.last_updated_timestamp,
            description=row.description,
            user_id=row.user_id,
            tags=tuple(tags[row.model_key]),
            aliases=tuple(aliases[row.model_key]),
            latest_versions=tuple(latest[row.model_key]),
        )
        for row in rows
    ]
