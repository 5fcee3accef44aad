"""Conversions between local directories and ``file:`` artifact URIs.

Artifact locations come from users (an experiment's ``artifact_location``), so parsing is strict:
only ``file:`` URIs without a remote host, query, fragment or parameters, and only absolute paths.
A ``file://host/x`` URI would otherwise be read from the local disk as if it were remote.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from cairn.errors import InvalidParameterValue
from cairn.store.artifacts.paths import validate_local_root

_LOCAL_HOSTS = ("", "localhost")


def local_path_to_uri(path: str | os.PathLike[str]) -> str:
    """The ``file://`` URI of a local path (made absolute first, as MLflow does).

    >>> local_path_to_uri("/tmp/my artifacts")
    'file:///tmp/my%20artifacts'
    """
    return Path(os.path.abspath(path)).as_uri()


def uri_to_local_path(uri: str) -> Path:
    """The local directory a ``file:`` URI or a plain absolute path names.

    Raises ``InvalidParameterValue`` for relative paths, other schemes, remote hosts and URIs
    carrying a query, fragment or parameters.
    """
    if not uri.lower().startswith("file:"):
        return validate_local_root(uri)
    parsed = urlparse(uri)
    if parsed.netloc.lower() not in _LOCAL_HOSTS:
        raise InvalidParameterValue(
            f"Invalid artifact URI {uri[:200]!r}: file URIs must not name a remote host."
        )
    if parsed.query or parsed.fragment or parsed.params or "#" in uri or "?" in uri:
        raise InvalidParameterValue(
            f"Invalid artifact URI {uri[:200]!r}: file URIs must not carry a query, "
            "fragment or parameters."
        )
    return validate_local_root(unquote(parsed.path))
