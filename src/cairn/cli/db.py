"""``cairn db``: inspect and upgrade the schema of a tracking database.

cairn creates the schema of a fresh database itself but never migrates an existing one behind
a user's back; ``cairn db upgrade`` is that deliberate step (back up first).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from cairn.cli._context import CliState, pass_state
from cairn.cli._options import json_option
from cairn.cli._output import console, echo_json

if TYPE_CHECKING:
    import sqlalchemy as sa

_URL_HELP = (
    "URL is a database URI (sqlite:///file.db, postgresql://..., mysql://...) or a tracking "
    "directory; it defaults to the database of the current tracking URI."
)


@click.group(name="db")
def db_group() -> None:
    """Manage the tracking database schema."""


def _database_uri(state: CliState, url: str | None) -> str:
    from cairn.store.tracking.registry import resolve_store_uris

    return resolve_store_uris(url or state.tracking_uri, state.settings)[0]


def _shown(engine: sa.Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _read_revision(db_uri: str) -> tuple[str, str | None]:
    """(URL to show, current revision) without creating a SQLite file that does not exist."""
    from sqlalchemy.engine import make_url

    from cairn.store.db.engine import create_db_engine, normalize_db_uri
    from cairn.store.db.migrate import current_revision

    url = make_url(normalize_db_uri(db_uri))
    shown = url.render_as_string(hide_password=True)
    path = url.database
    is_file = url.get_backend_name() == "sqlite" and path and path != ":memory:"
    if is_file and not Path(str(path)).expanduser().exists():
        return shown, None
    engine = create_db_engine(db_uri)
    try:
        return shown, current_revision(engine)
    finally:
        engine.dispose()


@db_group.command("upgrade", epilog=_URL_HELP)
@click.argument("url", required=False)
@pass_state
def upgrade_cmd(state: CliState, url: str | None) -> None:
    """Migrate the database schema to the revision this cairn needs (back it up first)."""
    from cairn.store.db.engine import create_db_engine
    from cairn.store.db.migrate import current_revision, head_revision, upgrade

    engine = create_db_engine(_database_uri(state, url))
    try:
        before, head = current_revision(engine), head_revision()
        if before == head:
            click.echo(f"{_shown(engine)} is already at the latest revision {head}.")
            return
        with console(stderr=True).status(f"Upgrading {_shown(engine)} ..."):
            upgrade(engine)
        after = current_revision(engine)
        click.echo(f"Upgraded {_shown(engine)} from {before or '(empty)'} to {after}.")
    finally:
        engine.dispose()


@db_group.command("current", epilog=_URL_HELP)
@click.argument("url", required=False)
@json_option
@pass_state
def current_cmd(state: CliState, url: str | None, as_json: bool) -> None:
    """Show the database's schema revision and whether it is up to date."""
    from cairn.store.db.migrate import head_revision

    shown, current = _read_revision(_database_uri(state, url))
    head = head_revision()
    if as_json:
        echo_json(
            {
                "database": shown,
                "current_revision": current,
                "head_revision": head,
                "up_to_date": current == head,
            }
        )
        return
    click.echo(f"Database: {shown}")
    click.echo(f"Current revision: {current or '(empty)'}")
    click.echo(f"Latest revision: {head}")
    if current != head:
        target = url or state.tracking_uri
        click.echo("Upgrade it with: cairn db upgrade" + (f" {target}" if target else ""))
