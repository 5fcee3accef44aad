"""Alembic environment: runs on the connection cairn hands over, or on sqlalchemy.url."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from cairn.store.db.tables import index_applies, metadata

config = context.config


def _run(connection: sa.Connection) -> None:
    dialect = connection.dialect.name

    def include_object(obj: object, name: str | None, kind: str, *_: object) -> bool:
        return kind != "index" or index_applies(name, dialect)

    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from cairn.store.db.engine import create_db_engine

    engine = create_db_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        _run(conn)
