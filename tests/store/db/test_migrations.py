"""The Alembic tree and the table definitions must describe the same schema everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from cairn.errors import InvalidState
from cairn.store.db import tables
from cairn.store.db.engine import create_db_engine, normalize_db_uri
from cairn.store.db.migrate import current_revision, ensure_schema, head_revision, upgrade


def test_migrated_schema_matches_table_definitions(backend_uri: str) -> None:
    engine = create_db_engine(backend_uri)
    try:
        with engine.connect() as conn:
            dialect = conn.dialect.name
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "include_object": lambda obj, name, kind, *_: (
                        kind != "index" or tables.index_applies(name, dialect)
                    ),
                },
            )
            assert compare_metadata(context, tables.metadata) == []
    finally:
        engine.dispose()


def test_fresh_database_is_created_at_head(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'sub' / 'fresh.db'}")
    try:
        assert current_revision(engine) is None
        ensure_schema(engine)
        assert current_revision(engine) == head_revision()
        names = set(sa.inspect(engine).get_table_names())
        assert {t.name for t in tables.metadata.sorted_tables} <= names
    finally:
        engine.dispose()


def test_outdated_database_is_refused_with_upgrade_advice(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        upgrade(engine)
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = 'ancient'"))
        with pytest.raises(InvalidState, match="cairn db upgrade"):
            ensure_schema(engine)
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("mysql://u@h/db", "mysql+pymysql://u@h/db"),
        ("mysql+pymysql://u@h/db", "mysql+pymysql://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_driverless_uris_get_the_shipped_driver(uri: str, expected: str) -> None:
    assert normalize_db_uri(uri) == expected


@pytest.mark.parametrize("uri", ["sqlite://x:y", "postgresql://u@h:notaport/db"])
def test_malformed_database_uri_is_a_user_error(uri: str) -> None:
    from cairn.errors import InvalidParameterValue

    with pytest.raises(InvalidParameterValue, match="Malformed database URI"):
        create_db_engine(uri)
