"""The SQL registry store, on the tracking database: one transaction per method.

Each method opens a transaction, delegates to the module for its resource (``models``,
``versions``) and reads the result back in the same transaction. The clock is injectable so
tests can ask the audit history about exact instants.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa

from cairn.entities import (
    ModelVersion,
    ModelVersionStage,
    ModelVersionTag,
    Page,
    RegisteredModel,
    RegisteredModelTag,
    RegistryEvent,
)
from cairn.errors import ResourceAlreadyExists
from cairn.store.db import tables as t
from cairn.store.db.engine import create_db_engine
from cairn.store.db.migrate import ensure_schema
from cairn.store.registry import validation as v
from cairn.store.registry.base import (
    SEARCH_MODEL_VERSIONS_CAP,
    SEARCH_MODEL_VERSIONS_DEFAULT,
    SEARCH_REGISTERED_MODELS_CAP,
    SEARCH_REGISTERED_MODELS_DEFAULT,
    RegistryStore,
    VersionArg,
)
from cairn.store.registry.sql import events, models, versions
from cairn.store.registry.sql.common import check_page_size, now_ms
from cairn.store.registry.sql.mapping import load_models, load_versions, version_query
from cairn.store.search import (
    decode_page_token,
    encode_page_token,
    select_model_version_keys,
    select_registered_model_keys,
)


class SqlRegistryStore(RegistryStore):
    def __init__(
        self, engine: sa.Engine, clock: Callable[[], int] = now_ms, *, owns_engine: bool = True
    ) -> None:
        self.engine = engine
        self.clock = clock
        self._owns_engine = owns_engine

    @classmethod
    def open(cls, db_uri: str) -> SqlRegistryStore:
        """Connect and create the schema on a fresh database (shared with tracking)."""
        store = cls(create_db_engine(db_uri))
        ensure_schema(store.engine)
        return store

    def close(self) -> None:
        """Dispose the engine unless it is borrowed (the tracking store's, on one database)."""
        if self._owns_engine:
            self.engine.dispose()

    @contextmanager
    def _tx(self) -> Iterator[sa.Connection]:
        """A transaction; a unique-key race on a model name surfaces as the 400 MLflow sends."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except sa.exc.IntegrityError as exc:
            raise ResourceAlreadyExists(f"Registered model already exists: {exc.orig}") from None

    # --- registered models ----------------------------------------------------------------
    def create_registered_model(
        self,
        name: str,
        tags: Sequence[RegisteredModelTag] = (),
        description: str | None = None,
        user_id: str | None = None,
    ) -> RegisteredModel:
        with self._tx() as conn:
            models.create(conn, name, tags, description, user_id, self.clock())
            return models.get(conn, name)

    def rename_registered_model(
        self, name: str, new_name: str, user_id: str | None = None
    ) -> RegisteredModel:
        with self._tx() as conn:
            models.rename(conn, name, new_name, user_id, self.clock())
            return models.get(conn, new_name)

    def update_registered_model(
        self, name: str, description: str | None, user_id: str | None = None
    ) -> RegisteredModel:
        with self._tx() as conn:
            models.update(conn, name, description, user_id, self.clock())
            return models.get(conn, name)

    def delete_registered_model(self, name: str, user_id: str | None = None) -> None:
        with self._tx() as conn:
            models.delete(conn, name, user_id, self.clock())

    def get_registered_model(self, name: str) -> RegisteredModel:
        with self.engine.connect() as conn:
            return models.get(conn, name)

    def search_registered_models(
        self,
        filter_string: str | None = None,
        max_results: int = SEARCH_REGISTERED_MODELS_DEFAULT,
        order_by: Sequence[str] = (),
        page_token: str | None = None,
    ) -> Page[RegisteredModel]:
        check_page_size(max_results, SEARCH_REGISTERED_MODELS_CAP)
        offset = decode_page_token(page_token)
        query = select_registered_model_keys(filter_string, order_by, offset, max_results + 1)
        with self.engine.connect() as conn:
            keys = list(conn.execute(query).scalars())
            page = keys[:max_results]
            rm = t.registered_models
            rows = {
                r.model_key: r for r in conn.execute(sa.select(rm).where(rm.c.model_key.in_(page)))
            }
            items = load_models(conn, [rows[k] for k in page])
        token = encode_page_token(offset + max_results) if len(keys) > max_results else None
        return Page(tuple(items), token)

    def get_latest_versions(
        self, name: str, stages: Sequence[ModelVersionStage | str] = ()
    ) -> list[ModelVersion]:
        with self.engine.connect() as conn:
            return versions.latest(conn, name, stages)

    def set_registered_model_tag(
        self, name: str, key: str, value: str, user_id: str | None = None
    ) -> None:
        with self._tx() as conn:
            models.set_tag(conn, name, key, value, user_id, self.clock())

    def delete_registered_model_tag(self, name: str, key: str, user_id: str | None = None) -> None:
        with self._tx() as conn:
            models.delete_tag(conn, name, key, user_id, self.clock())

    # --- aliases --------------------------------------------------------------------------
    def set_registered_model_alias(
        self, name: str, alias: str, version: VersionArg, user_id: str | None = None
    ) -> None:
        number = v.version_number(version)
        with self._tx() as conn:
            models.set_alias(conn, name, alias, number, user_id, self.clock())

    def delete_registered_model_alias(
        self, name: str, alias: str, user_id: str | None = None
    ) -> None:
        with self._tx() as conn:
            models.delete_alias(conn, name, alias, user_id, self.clock())

    def get_model_version_by_alias(self, name: str, alias: str) -> ModelVersion:
        with self.engine.connect() as conn:
            return models.version_by_alias(conn, name, alias)

    # --- model versions -------------------------------------------------------------------
    def create_model_version(
        self,
        name: str,
        source: str,
        run_id: str | None = None,
        tags: Sequence[ModelVersionTag] = (),
        run_link: str | None = None,
        description: str | None = None,
        user_id: str | None = None,
        model_id: str | None = None,
    ) -> ModelVersion:
        with self._tx() as conn:
            number = versions.create(
                conn,
                name,
                source,
                run_id,
                tags,
                run_link,
                description,
                user_id,
                model_id,
                self.clock(),
            )
            return versions.get(conn, name, number)

    def update_model_version(
        self, name: str, version: VersionArg, description: str | None, user_id: str | None = None
    ) -> ModelVersion:
        number = v.version_number(version)
        with self._tx() as conn:
            versions.update(conn, name, number, description, user_id, self.clock())
            return versions.get(conn, name, number)

    def transition_model_version_stage(
        self,
        name: str,
        version: VersionArg,
        stage: ModelVersionStage | str,
        archive_existing_versions: bool = False,
        user_id: str | None = None,
    ) -> ModelVersion:
        number = v.version_number(version)
        with self._tx() as conn:
            versions.transition(
                conn, name, number, stage, archive_existing_versions, user_id, self.clock()
            )
            return versions.get(conn, name, number)

    def delete_model_version(
        self, name: str, version: VersionArg, user_id: str | None = None
    ) -> None:
        number = v.version_number(version)
        with self._tx() as conn:
            versions.delete(conn, name, number, user_id, self.clock())

    def get_model_version(self, name: str, version: VersionArg) -> ModelVersion:
        number = v.version_number(version)
        with self.engine.connect() as conn:
            return versions.get(conn, name, number)

    def search_model_versions(
        self,
        filter_string: str | None = None,
        max_results: int = SEARCH_MODEL_VERSIONS_DEFAULT,
        order_by: Sequence[str] = (),
        page_token: str | None = None,
    ) -> Page[ModelVersion]:
        check_page_size(max_results, SEARCH_MODEL_VERSIONS_CAP)
        offset = decode_page_token(page_token)
        query = select_model_version_keys(filter_string, order_by, offset, max_results + 1)
        with self.engine.connect() as conn:
            keys = [tuple(row) for row in conn.execute(query).all()]
            page = keys[:max_results]
            items: list[ModelVersion] = []
            if page:
                mv = t.model_versions
                wanted = sa.tuple_(mv.c.model_key, mv.c.version).in_(page)
                rows = {
                    (r.model_key, r.version): r for r in conn.execute(version_query().where(wanted))
                }
                items = load_versions(conn, [rows[k] for k in page])
        token = encode_page_token(offset + max_results) if len(keys) > max_results else None
        return Page(tuple(items), token)

    def get_model_version_download_uri(self, name: str, version: VersionArg) -> str:
        """The version's ``source``; resolving ``runs:/`` sources is the server's job, which
        knows the tracking store."""
        return self.get_model_version(name, version).source

    def set_model_version_tag(
        self, name: str, version: VersionArg, key: str, value: str, user_id: str | None = None
    ) -> None:
        number = v.version_number(version)
        with self._tx() as conn:
            versions.set_tag(conn, name, number, key, value, user_id, self.clock())

    def delete_model_version_tag(
        self, name: str, version: VersionArg, key: str, user_id: str | None = None
    ) -> None:
        number = v.version_number(version)
        with self._tx() as conn:
            versions.delete_tag(conn, name, number, key, user_id, self.clock())

    # --- audit history --------------------------------------------------------------------
    def list_events(self, name: str, version: int | None = None) -> list[RegistryEvent]:
        with self.engine.connect() as conn:
            return events.list_events(conn, name, version)
