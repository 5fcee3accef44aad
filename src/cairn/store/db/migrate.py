"""Schema management through the one Alembic tree shipped inside the package.

A fresh database is upgraded automatically when a store opens it; an older one is left alone
with an error that says to run ``cairn db upgrade`` (migrating a team's database should be a
deliberate act, not a side effect of someone starting a script).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from cairn.errors import InvalidState

_MIGRATIONS = Path(__file__).parent / "migrations"


def _alembic_config(connection: sa.Connection) -> object:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(_MIGRATIONS)).get_current_head()
    assert head is not None
    return head


def current_revision(engine: sa.Engine) -> str | None:
    """The revision the database is at, or None for a database cairn never touched."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), revision)  # type: ignore[arg-type]


def ensure_schema(engine: sa.Engine) -> None:
    """Create the schema on a fresh database; refuse to run on an outdated one."""
    current = current_revision(engine)
    if current is None:
        upgrade(engine)
        return
    head = head_revision()
    if current != head:
        raise InvalidState(
            f"The database schema is at revision {current}, this cairn needs {head}. "
            f"Back up the database, then run: cairn db upgrade {engine.url.render_as_string()}"
        )
