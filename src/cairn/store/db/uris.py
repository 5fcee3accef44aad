"""Recognise database URIs without importing SQLAlchemy (``import cairn`` must stay light)."""

from __future__ import annotations

SQL_SCHEMES = ("sqlite", "postgresql", "postgres", "mysql", "mariadb")


def is_sql_uri(uri: str) -> bool:
    scheme = uri.split(":", 1)[0].split("+", 1)[0].lower()
    return "://" in uri and scheme in SQL_SCHEMES
