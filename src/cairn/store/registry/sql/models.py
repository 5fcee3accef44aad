"""Registered models in the SQL registry store: create, rename, update, delete, tags, aliases.

Every function runs inside the caller's transaction and writes its audit event there too, so
a change and its history entry commit or roll back together.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from cairn.entities import ModelVersion, RegisteredModel, RegisteredModelTag, RegistryEventType
from cairn.errors import InvalidParameterValue, ResourceAlreadyExists, ResourceDoesNotExist
from cairn.store.db import tables as t
from cairn.store.registry import validation as v
from cairn.store.registry.sql import events
from cairn.store.registry.sql.lookup import model_row, version_row
from cairn.store.registry.sql.mapping import load_models, load_versions, version_query


def get(conn: sa.Connection, name: str) -> RegisteredModel:
    return load_models(conn, [model_row(conn, name)])[0]


def _exists(conn: sa.Connection, name: str) -> bool:
    rm = t.registered_models
    return conn.execute(sa.select(rm.c.model_key).where(rm.c.name == name)).first() is not None


def already_exists(name: str) -> ResourceAlreadyExists:
    return ResourceAlreadyExists(f"Registered Model (name={name}) already exists.")


def create(
    conn: sa.Connection,
    name: str,
    tags: Sequence[RegisteredModelTag],
    description: str | None,
    user_id: str | None,
    now: int,
) -> None:
    v.model_name(name)
    for tag in tags:
        v.tag_key(tag.key)
    if _exists(conn, name):
        raise already_exists(name)
    inserted = conn.execute(
        sa.insert(t.registered_models).values(
            name=name,
            creation_timestamp=now,
            last_updated_timestamp=now,
            description=description,
            user_id=user_id,
            next_version=1,
        )
    ).inserted_primary_key
    assert inserted is not None
    model_key = inserted[0]
    unique = {tag.key: tag.value for tag in tags}
    if unique:
        conn.execute(
            sa.insert(t.registered_model_tags),
            [{"model_key": model_key, "key": k, "value": val} for k, val in unique.items()],
        )
    details = {"description": description, "tags": unique}
    events.record(
        conn, RegistryEventType.MODEL_CREATED, name, user_id=user_id, now=now, details=details
    )


def rename(conn: sa.Connection, name: str, new_name: str, user_id: str | None, now: int) -> None:
    """Versions, tags and aliases hang off the surrogate key, so they follow for free."""
    v.model_name(new_name)
    row = model_row(conn, name)
    if new_name != name and _exists(conn, new_name):
        raise already_exists(new_name)
    rm = t.registered_models
    conn.execute(
        sa.update(rm)
        .where(rm.c.model_key == row.model_key)
        .values(name=new_name, last_updated_timestamp=now)
    )
    events.rename(conn, name, new_name)
    events.record(
        conn,
        RegistryEventType.MODEL_RENAMED,
        new_name,
        user_id=user_id,
        now=now,
        details={"old_name": name, "new_name": new_name},
    )


def update(
    conn: sa.Connection, name: str, description: str | None, user_id: str | None, now: int
) -> None:
    row = model_row(conn, name)
    rm = t.registered_models
    conn.execute(
        sa.update(rm)
        .where(rm.c.model_key == row.model_key)
        .values(description=description, last_updated_timestamp=now)
    )
    events.record(
        conn,
        RegistryEventType.MODEL_DESCRIPTION_CHANGED,
        name,
        user_id=user_id,
        now=now,
        details={"from": row.description, "to": description},
    )


def delete(conn: sa.Connection, name: str, user_id: str | None, now: int) -> None:
    """A hard delete of the model and everything it holds; its history stays."""
    key = model_row(conn, name).model_key
    for table in (
        t.model_version_tags,
        t.registered_model_aliases,
        t.model_versions,
        t.registered_model_tags,
        t.registered_models,
    ):
        conn.execute(sa.delete(table).where(table.c.model_key == key))
    events.record(conn, RegistryEventType.MODEL_DELETED, name, user_id=user_id, now=now)


def set_tag(
    conn: sa.Connection, name: str, key: str, value: str, user_id: str | None, now: int
) -> None:
    v.tag_key(key)
    model_key = model_row(conn, name).model_key
    rmt = t.registered_model_tags
    where = sa.and_(rmt.c.model_key == model_key, rmt.c.key == key)
    conn.execute(sa.delete(rmt).where(where))
    conn.execute(sa.insert(rmt).values(model_key=model_key, key=key, value=value))
    events.record(
        conn,
        RegistryEventType.MODEL_TAG_SET,
        name,
        user_id=user_id,
        now=now,
        details={"key": key, "value": value},
    )


def delete_tag(conn: sa.Connection, name: str, key: str, user_id: str | None, now: int) -> None:
    model_key = model_row(conn, name).model_key
    rmt = t.registered_model_tags
    where = sa.and_(rmt.c.model_key == model_key, rmt.c.key == key)
    if conn.execute(sa.delete(rmt).where(where)).rowcount:
        events.record(
            conn,
            RegistryEventType.MODEL_TAG_DELETED,
            name,
            user_id=user_id,
            now=now,
            details={"key": key},
        )


def _alias_target(conn: sa.Connection, model_key: int, alias: str) -> int | None:
    rma = t.registered_model_aliases
    return conn.execute(
        sa.select(rma.c.version).where(rma.c.model_key == model_key, rma.c.alias == alias)
    ).scalar()


def set_alias(
    conn: sa.Connection, name: str, alias: str, version: int, user_id: str | None, now: int
) -> None:
    v.alias_name(alias)
    model_key = model_row(conn, name).model_key
    version_row(conn, model_key, name, version)
    previous = _alias_target(conn, model_key, alias)
    rma = t.registered_model_aliases
    conn.execute(sa.delete(rma).where(rma.c.model_key == model_key, rma.c.alias == alias))
    conn.execute(sa.insert(rma).values(model_key=model_key, alias=alias, version=version))
    events.record(
        conn,
        RegistryEventType.ALIAS_SET,
        name,
        user_id=user_id,
        now=now,
        version=version,
        details={"alias": alias, "version": version, "previous_version": previous},
    )


def delete_alias(conn: sa.Connection, name: str, alias: str, user_id: str | None, now: int) -> None:
    model_key = model_row(conn, name).model_key
    previous = _alias_target(conn, model_key, alias)
    if previous is None:
        return
    rma = t.registered_model_aliases
    conn.execute(sa.delete(rma).where(rma.c.model_key == model_key, rma.c.alias == alias))
    events.record(
        conn,
        RegistryEventType.ALIAS_DELETED,
        name,
        user_id=user_id,
        now=now,
        version=previous,
        details={"alias": alias, "previous_version": previous},
    )


def version_by_alias(conn: sa.Connection, name: str, alias: str) -> ModelVersion:
    model_key = model_row(conn, name).model_key
    mv = t.model_versions
    query = version_query().where(mv.c.model_key == model_key)
    if alias.lower() == v.LATEST_ALIAS:
        row = conn.execute(query.order_by(mv.c.version.desc()).limit(1)).first()
        if row is None:
            raise ResourceDoesNotExist(f"Registered model {name!r} has no versions.")
        return load_versions(conn, [row])[0]
    version = _alias_target(conn, model_key, alias)
    row = None if version is None else conn.execute(query.where(mv.c.version == version)).first()
    if row is None:
        raise InvalidParameterValue(f"Registered model alias {alias} not found.")
    return load_versions(conn, [row])[0]
