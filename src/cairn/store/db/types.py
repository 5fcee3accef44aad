"""Column types with the per-backend variants cairn needs; shared by tables and migrations."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.types import TypeEngine

_MYSQL_COLLATION = "utf8mb4_bin"


def Str(length: int) -> TypeEngine[str]:
    """A VARCHAR that compares case-sensitively everywhere."""
    return sa.String(length).with_variant(
        mysql.VARCHAR(length, collation=_MYSQL_COLLATION), "mysql", "mariadb"
    )


def LongText() -> TypeEngine[str]:
    """Unbounded text; MEDIUMTEXT on MySQL because TEXT holds only 64 KiB of bytes."""
    return sa.Text().with_variant(mysql.MEDIUMTEXT(collation=_MYSQL_COLLATION), "mysql", "mariadb")


def Blob() -> TypeEngine[bytes]:
    """Binary data of any size; LONGBLOB on MySQL, whose BLOB holds only 64 KiB."""
    return sa.LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")


def BigId() -> TypeEngine[int]:
    """A 64-bit auto-increment id; plain INTEGER on SQLite so it aliases the rowid."""
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")
