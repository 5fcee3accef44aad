"""The one place where a user string becomes a file path.

MLflow's traversal fixes were bypassed again and again because each endpoint did its own
checking (double URL-encoding, backslashes, drive letters, ``//host`` paths, ``#``/``;``/``?``
hidden in a location, symlinks). cairn checks once, here, and every artifact store, server route
and archive reader calls these functions instead of joining strings itself.

The checks run on the *fully* URL-decoded string, so whatever layer decodes the path again later
cannot turn an accepted path into a dangerous one; the decoded form is also what is returned, which
makes validation idempotent (validating an already validated path is a no-op).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote

from cairn.errors import InvalidParameterValue

#: Longest path accepted, in characters (Linux PATH_MAX); longer input is refused unread.
MAX_PATH_LENGTH = 4096
#: Longest single path segment, in UTF-8 bytes (NAME_MAX on common filesystems).
MAX_SEGMENT_BYTES = 255

_SHOWN_CHARS = 64
_FORBIDDEN_CHARS = {"#": "a '#' fragment", ";": "a ';' parameter", "?": "a '?' query"}
_DRIVE = re.compile(r"^[A-Za-z]:")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:/")


def validate_relative_path(path: str) -> str:
    """Return ``path`` as a clean POSIX path relative to an artifact root ("" is the root).

    Raises ``InvalidParameterValue`` for anything that could reach outside the root or that
    means something else to another layer (URL-encoded traversal, absolute paths, drive letters,
    backslashes, control characters, ``#``, ``;``, ``?``, ``//host`` and ``scheme:/`` prefixes).

    >>> validate_relative_path("./dir//sub/a.txt")
    'dir/sub/a.txt'
    """
    decoded = _decode_fully(path)
    problem = _character_problem(decoded) or _prefix_problem(decoded)
    if problem is None:
        segments = [s for s in decoded.split("/") if s not in ("", ".")]
        problem = _segment_problem(segments)
        if problem is None:
            return "/".join(segments)
    raise InvalidParameterValue(f"Invalid artifact path {_shown(path)}: {problem}.")


def resolve_under(root: Path, relative: str) -> Path:
    """Validate ``relative`` and return its real path, which must lie under the real ``root``.

    Symlinks are followed (the target need not exist), so a link inside the artifact directory
    that points elsewhere is refused instead of being read or written through.
    """
    clean = validate_relative_path(relative)
    real_root = root.resolve(strict=False)
    target = real_root.joinpath(clean).resolve(strict=False)
    if not target.is_relative_to(real_root):
        raise InvalidParameterValue(
            f"Invalid artifact path {_shown(relative)}: it resolves outside the artifact root."
        )
    return target


def validate_local_root(path: str) -> Path:
    """Check an absolute local directory taken from an artifact URI and return it as a Path.

    The same character rules as for relative paths apply (on the fully decoded form), so an
    artifact location cannot smuggle a fragment, query, NUL or ``..`` past the URI parser.
    ``path`` itself is returned undecoded beyond what the caller already did: a directory really
    named ``a%20b`` stays addressable.
    """
    decoded = _decode_fully(path)
    problem = _character_problem(decoded)
    if problem is None and not decoded.startswith("/"):
        problem = "an artifact root must be an absolute path"
    if problem is None and decoded.startswith("//"):
        problem = "it looks like a '//host' network path"
    if problem is None:
        problem = _segment_problem([s for s in decoded.split("/") if s not in ("", ".")])
    if problem is not None:
        raise InvalidParameterValue(f"Invalid artifact root {_shown(path)}: {problem}.")
    return Path(path)


def reject_traversal(uri: str) -> None:
    """Refuse a URI whose fully decoded form holds control characters or ``..`` segments.

    For locations cairn passes on but never opens itself (``s3://``, ``gs://`` model-version
    sources): a later consumer must not be steered outside the named location either.
    """
    decoded = _decode_fully(uri)
    categories = {unicodedata.category(ch) for ch in decoded}
    problem = None
    if "Cc" in categories or "Cs" in categories:
        problem = "it contains NUL or another control character"
    elif ".." in re.split(r"[/\\]", decoded):
        problem = "it contains a '..' segment"
    if problem is not None:
        raise InvalidParameterValue(f"Invalid location {_shown(uri)}: {problem}.")


def _decode_fully(path: str) -> str:
    """URL-decode until the string stops changing; each change shortens it, so this ends."""
    if len(path) > MAX_PATH_LENGTH:
        raise InvalidParameterValue(
            f"Invalid artifact path {_shown(path)}: longer than {MAX_PATH_LENGTH} characters."
        )
    previous, current = None, path
    while current != previous:
        previous, current = current, unquote(current)
    return current


def _character_problem(decoded: str) -> str | None:
    categories = {unicodedata.category(ch) for ch in decoded}
    if "Cc" in categories:
        return "it contains NUL or another control character"
    if "Cs" in categories:
        return "it contains an unpaired surrogate (not valid Unicode text)"
    if "\\" in decoded:
        return "it contains a backslash"
    for char, what in _FORBIDDEN_CHARS.items():
        if char in decoded:
            return f"it contains {what}"
    return None


def _prefix_problem(decoded: str) -> str | None:
    if decoded.startswith("//"):
        return "it looks like a '//host' network path"
    if decoded.startswith("/"):
        return "it is an absolute path"
    if _DRIVE.match(decoded):
        return "it starts with a Windows drive letter"
    if _SCHEME.match(decoded):
        return "it is a URI, not a relative path"
    return None


def _segment_problem(segments: list[str]) -> str | None:
    if ".." in segments:
        return "it contains a '..' segment"
    if any(len(s.encode("utf-8")) > MAX_SEGMENT_BYTES for s in segments):
        return f"a path segment is longer than {MAX_SEGMENT_BYTES} bytes"
    return None


def _shown(path: str) -> str:
    """The user's input for an error message: escaped, and truncated so errors stay small."""
    if len(path) <= _SHOWN_CHARS:
        return repr(path)
    return f"{path[:_SHOWN_CHARS]!r}... ({len(path)} characters)"
