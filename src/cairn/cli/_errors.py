"""Turn failures into one actionable line for the user instead of a traceback.

cairn's own errors already carry a message meant for people; commands can add a hint that
names the command to run next. Database driver errors are recognised without importing
SQLAlchemy, which only the commands themselves load.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from cairn.errors import CairnError

_MISSING_DRIVERS = {
    "psycopg": "pip install 'cairn[postgres]'",
    "pymysql": "pip install 'cairn[mysql]'",
}


@contextmanager
def hint_on(error: type[CairnError], hint: str) -> Iterator[None]:
    """Re-raise ``error`` (same type and code) with ``hint`` appended to its message."""
    try:
        yield
    except error as exc:
        raise type(exc)(f"{exc.message} {hint}") from exc


def describe_failure(exc: BaseException) -> str | None:
    """A user-facing message for failures we understand, None for genuine bugs."""
    if isinstance(exc, CairnError):
        return exc.message
    if isinstance(exc, ModuleNotFoundError) and exc.name in _MISSING_DRIVERS:
        return (
            f"The database driver {exc.name!r} is not installed. "
            f"Install it with: {_MISSING_DRIVERS[exc.name]}"
        )
    if isinstance(exc, OSError) and exc.filename:
        return (
            f"Cannot use {exc.filename}: {exc.strerror}. "
            "Check the tracking URI (--tracking-uri) and the folder's permissions."
        )
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is None:
        return None
    if isinstance(exc, sa_exc.ArgumentError):
        return f"Invalid database URI: {exc}. Check --tracking-uri / CAIRN_TRACKING_URI."
    if isinstance(exc, sa_exc.OperationalError):
        detail = str(exc.orig).strip()
        return (
            f"Cannot use the tracking database: {detail}\n"
            "Check that the database server is reachable and the tracking URI is right."
        )
    return None
