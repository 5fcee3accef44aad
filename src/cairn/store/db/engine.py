"""Create SQLAlchemy engines with the per-backend settings cairn relies on.

SQLite gets WAL (readers never block the writer), foreign keys, case-sensitive LIKE and a busy
timeout; MySQL/MariaDB get a session mode that lets the default experiment keep id 0.
Bare ``postgresql://`` and ``mysql://`` URIs are pointed at the drivers cairn installs.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from cairn.errors import InvalidParameterValue
from cairn.store.db.uris import is_sql_uri

_DEFAULT_DRIVERS = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "mysql": "mysql+pymysql",
    "mariadb": "mariadb+pymysql",
}


def normalize_db_uri(uri: str) -> str:
    """Give a driver-less URI the driver cairn ships with."""
    scheme, sep, rest = uri.partition("://")
    if not sep or not is_sql_uri(uri):
        raise InvalidParameterValue(
            f"Not a database URI: {uri!r}. Use sqlite:///path.db, postgresql://... or mysql://..."
        )
    return _DEFAULT_DRIVERS.get(scheme.lower(), scheme) + "://" + rest


class _PopulationStd:
    """``stddev_pop`` for SQLite, which has none (Welford's update: stable where the
    textbook ``avg(x*x) - avg(x)**2`` cancels catastrophically)."""

    def __init__(self) -> None:
        self.count, self.mean, self.m2 = 0, 0.0, 0.0

    def step(self, value: float | None) -> None:
        if value is None:
            return
        self.count += 1
        delta = value - self.mean
        self.mean += delta / self.count
        self.m2 += delta * (value - self.mean)

    def finalize(self) -> float | None:
        return math.sqrt(self.m2 / self.count) if self.count else None


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.create_aggregate("stddev_pop", 1, _PopulationStd)
    cursor = dbapi_conn.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "foreign_keys=ON",
        "case_sensitive_like=ON",
        "busy_timeout=30000",
        "cache_size=-65536",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _mysql_on_connect(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO')")
    cursor.close()


def create_db_engine(uri: str) -> sa.Engine:
    """One engine per store; its pool is shared by every thread using the store."""
    try:
        url = make_url(normalize_db_uri(uri))
    except (sa.exc.ArgumentError, ValueError) as exc:
        raise InvalidParameterValue(f"Malformed database URI {uri[:200]!r}: {exc}") from None
    kwargs: dict[str, Any] = {"future": True}
    backend = url.get_backend_name()
    if backend == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    elif backend in ("mysql", "mariadb"):
        url = url.update_query_dict({"charset": "utf8mb4"})
        kwargs["pool_pre_ping"] = True
        kwargs["pool_recycle"] = 3600
    else:
        kwargs["pool_pre_ping"] = True
    engine = sa.create_engine(url, **kwargs)
    if backend == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_on_connect)
    elif backend in ("mysql", "mariadb"):
        sa.event.listen(engine, "connect", _mysql_on_connect)
    return engine
