"""Input rules of the registry (reference section 3.3), checked before any database work."""

from __future__ import annotations

import posixpath
import re

from cairn.errors import InvalidParameterValue

MAX_NAME_LENGTH = 256
MAX_TAG_KEY_LENGTH = 250
MAX_ALIAS_LENGTH = 255
_ALIAS_CHARS = re.compile(r"^[A-Za-z0-9_-]+$")
_VERSION_ALIAS = re.compile(r"^[vV]\d+$")
LATEST_ALIAS = "latest"


def model_name(name: str) -> str:
    """Non-empty, no ``/`` or ``:``, a normalized relative path (no ``..``)."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidParameterValue("Registered model name cannot be empty.")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidParameterValue(
            f"Registered model name exceeds the maximum length of {MAX_NAME_LENGTH}."
        )
    if "/" in name or ":" in name or posixpath.normpath(name) != name or name.startswith(".."):
        raise InvalidParameterValue(
            f"Invalid registered model name {name!r}: it must not contain '/' or ':' "
            "and must be a normalized relative path."
        )
    return name


def version_number(version: int | str) -> int:
    """The wire carries versions as strings holding an integer."""
    if isinstance(version, bool):
        raise InvalidParameterValue(f"Model version must be an integer, got {version!r}.")
    if isinstance(version, int):
        return version
    text = str(version).strip()
    if not text.lstrip("-").isdigit():
        raise InvalidParameterValue(f"Model version must be an integer, got {version!r}.")
    return int(text)


def tag_key(key: str) -> str:
    if not isinstance(key, str) or not key.strip():
        raise InvalidParameterValue("Tag key cannot be empty.")
    if len(key) > MAX_TAG_KEY_LENGTH:
        raise InvalidParameterValue(
            f"Tag key {key[:50]!r}... exceeds the maximum length of {MAX_TAG_KEY_LENGTH}."
        )
    return key


def alias_name(alias: str) -> str:
    """``[A-Za-z0-9_-]``, at most 255; ``latest`` and ``v<digits>`` are reserved."""
    if not isinstance(alias, str) or not alias:
        raise InvalidParameterValue("Registered model alias cannot be empty.")
    if len(alias) > MAX_ALIAS_LENGTH or not _ALIAS_CHARS.match(alias):
        raise InvalidParameterValue(
            f"Invalid alias name {alias!r}: use at most {MAX_ALIAS_LENGTH} letters, digits, "
            "'_' or '-'."
        )
    if alias.lower() == LATEST_ALIAS:
        raise InvalidParameterValue(
            f"'{alias}' alias name (case insensitive) is reserved for the latest model version."
        )
    if _VERSION_ALIAS.match(alias):
        raise InvalidParameterValue(
            f"Version alias name '{alias}' is reserved: 'v<number>' names a version."
        )
    return alias
