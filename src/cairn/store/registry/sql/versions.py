"""Model versions in the SQL registry store: create, update, stage transitions, soft delete,
tags and the latest version per stage.

Numbers come from the model row's ``next_version`` counter, bumped with an atomic UPDATE
before it is read, so two concurrent registrations never get the same number and a deleted
version's number is never handed out again.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from cairn.entities import (
    ModelVersion,
    ModelVersionStage,
    ModelVersionStatus,
    ModelVersionTag,
    RegistryEventType,
)
from cairn.errors import InvalidParameterValue
from cairn.store.db import tables as t
from cairn.store.registry import validation as v
from cairn.store.registry.sql import events
from cairn.store.registry.sql.lookup import model_row, touch, version_row
from cairn.store.registry.sql.mapping import DELETED, load_models, load_versions, version_query

#: What a soft-deleted version's locations are replaced with (as MLflow does).
REDACTED_SOURCE = "REDACTED-SOURCE-PATH"
REDACTED_RUN_ID = "REDACTED-RUN-ID"
REDACTED_RUN_LINK = "REDACTED-RUN-LINK"
_ARCHIVING_STAGES = (ModelVersionStage.STAGING, ModelVersionStage.PRODUCTION)


def get(conn: sa.Connection, name: str, version: int) -> ModelVersion:
    model_key = model_row(conn, name).model_key
    version_row(conn, model_key, name, version)
    mv = t.model_versions
    query = version_query().where(mv.c.model_key == model_key, mv.c.version == version)
    return load_versions(conn, conn.execute(query).all())[0]


def create(
    conn: sa.Connection,
    name: str,
    source: str,
    run_id: str | None,
    tags: Sequence[ModelVersionTag],
    run_link: str | None,
    description: str | None,
    user_id: str | None,
    model_id: str | None,
    now: int,
) -> int:
    if not source:
        raise InvalidParameterValue("Model version source cannot be empty.")
    for tag in tags:
        v.tag_key(tag.key)
    model_key = model_row(conn, name).model_key
    rm = t.registered_models
    conn.execute(
        sa.update(rm)
        .where(rm.c.model_key == model_key)
        .values(next_version=rm.c.next_version + 1, last_updated_timestamp=now)
    )
    counter = conn.execute(sa.select(rm.c.next_version).where(rm.c.model_key == model_key))
    version = int(counter.scalar_one()) - 1
    conn.execute(
        sa.insert(t.model_versions).values(
            model_key=model_key,
            version=version,
            creation_timestamp=now,
            last_updated_timestamp=now,
            user_id=user_id,
            current_stage=ModelVersionStage.NONE.value,
            description=description,
            source=source,
            run_id=run_id,
            run_link=run_link,
            status=ModelVersionStatus.READY.name,
            model_id=model_id,
        )
    )
    unique = {tag.key: tag.value for tag in tags}
    if unique:
        conn.execute(
            sa.insert(t.model_version_tags),
            [
                {"model_key": model_key, "version": version, "key": k, "value": val}
                for k, val in unique.items()
            ],
        )
    details = {"source": source, "run_id": run_id, "model_id": model_id, "tags": unique}
    events.record(
        conn,
        RegistryEventType.VERSION_CREATED,
        name,
        user_id=user_id,
        now=now,
        version=version,
        details=details,
    )
    return version


def _set(conn: sa.Connection, model_key: int, version: int, **values: object) -> None:
    mv = t.model_versions
    conn.execute(
        sa.update(mv).where(mv.c.model_key == model_key, mv.c.version == version).values(**values)
    )


def update(
    conn: sa.Connection,
    name: str,
    version: int,
    description: str | None,
    user_id: str | None,
    now: int,
) -> None:
    model_key = model_row(conn, name).model_key
    row = version_row(conn, model_key, name, version)
    _set(conn, model_key, version, description=description, last_updated_timestamp=now)
    events.record(
        conn,
        RegistryEventType.VERSION_DESCRIPTION_CHANGED,
        name,
        user_id=user_id,
        now=now,
        version=version,
        details={"from": row.description, "to": description},
    )


def transition(
    conn: sa.Connection,
    name: str,
    version: int,
    stage: ModelVersionStage | str,
    archive_existing_versions: bool,
    user_id: str | None,
    now: int,
) -> None:
    target = ModelVersionStage.parse(stage)
    if archive_existing_versions and target not in _ARCHIVING_STAGES:
        raise InvalidParameterValue(
            f"Model version transition cannot archive existing model versions because "
            f"'{target.value}' is not an Active stage. Valid stages are Staging and Production."
        )
    model_key = model_row(conn, name).model_key
    row = version_row(conn, model_key, name, version)
    if archive_existing_versions:
        mv = t.model_versions
        others = conn.execute(
            sa.select(mv.c.version).where(
                mv.c.model_key == model_key,
                mv.c.current_stage == target.value,
                mv.c.version != version,
            )
        ).scalars()
        for other in sorted(others):
            _set(
                conn,
                model_key,
                other,
                current_stage=ModelVersionStage.ARCHIVED.value,
                last_updated_timestamp=now,
            )
            events.record(
                conn,
                RegistryEventType.STAGE_TRANSITIONED,
                name,
                user_id=user_id,
                now=now,
                version=other,
                details={
                    "from": target.value,
                    "to": ModelVersionStage.ARCHIVED.value,
                    "archived_by_version": version,
                },
            )
    _set(conn, model_key, version, current_stage=target.value, last_updated_timestamp=now)
    touch(conn, model_key, now)
    events.record(
        conn,
        RegistryEventType.STAGE_TRANSITIONED,
        name,
        user_id=user_id,
        now=now,
        version=version,
        details={
            "from": row.current_stage,
            "to": target.value,
            "archive_existing_versions": archive_existing_versions,
        },
    )


def delete(conn: sa.Connection, name: str, version: int, user_id: str | None, now: int) -> None:
    """Soft delete: redact the locations, drop the aliases that point here, keep the number."""
    model_key = model_row(conn, name).model_key
    row = version_row(conn, model_key, name, version)
    rma = t.registered_model_aliases
    where = sa.and_(rma.c.model_key == model_key, rma.c.version == version)
    aliases = sorted(conn.execute(sa.select(rma.c.alias).where(where)).scalars())
    conn.execute(sa.delete(rma).where(where))
    _set(
        conn,
        model_key,
        version,
        current_stage=DELETED,
        source=REDACTED_SOURCE,
        run_id=REDACTED_RUN_ID,
        run_link=REDACTED_RUN_LINK,
        last_updated_timestamp=now,
    )
    touch(conn, model_key, now)
    events.record(
        conn,
        RegistryEventType.VERSION_DELETED,
        name,
        user_id=user_id,
        now=now,
        version=version,
        details={"stage": row.current_stage, "aliases": aliases},
    )


def set_tag(
    conn: sa.Connection,
    name: str,
    version: int,
    key: str,
    value: str,
    user_id: str | None,
    now: int,
) -> None:
    v.tag_key(key)
    model_key = model_row(conn, name).model_key
    version_row(conn, model_key, name, version)
    mvt = t.model_version_tags
    conn.execute(
        sa.delete(mvt).where(
            mvt.c.model_key == model_key, mvt.c.version == version, mvt.c.key == key
        )
    )
    conn.execute(sa.insert(mvt).values(model_key=model_key, version=version, key=key, value=value))
    events.record(
        conn,
        RegistryEventType.VERSION_TAG_SET,
        name,
        user_id=user_id,
        now=now,
        version=version,
        details={"key": key, "value": value},
    )


def delete_tag(
    conn: sa.Connection, name: str, version: int, key: str, user_id: str | None, now: int
) -> None:
    model_key = model_row(conn, name).model_key
    version_row(conn, model_key, name, version)
    mvt = t.model_version_tags
    deleted = conn.execute(
        sa.delete(mvt).where(
            mvt.c.model_key == model_key, mvt.c.version == version, mvt.c.key == key
        )
    )
    if deleted.rowcount:
        events.record(
            conn,
            RegistryEventType.VERSION_TAG_DELETED,
            name,
            user_id=user_id,
            now=now,
            version=version,
            details={"key": key},
        )


def latest(
    conn: sa.Connection, name: str, stages: Sequence[ModelVersionStage | str]
) -> list[ModelVersion]:
    model = load_models(conn, [model_row(conn, name)])[0]
    wanted = {ModelVersionStage.parse(s) for s in stages} or set(ModelVersionStage.public())
    return [mv for mv in model.latest_versions if mv.current_stage in wanted]
