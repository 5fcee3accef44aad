"""The one path validator: every user string that becomes an artifact path goes through it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cairn.errors import InvalidParameterValue
from cairn.store.artifacts.paths import (
    MAX_PATH_LENGTH,
    resolve_under,
    validate_local_root,
    validate_relative_path,
)

GOOD = [
    ("", ""),
    (".", ""),
    ("./", ""),
    ("%2e", ""),
    ("a.txt", "a.txt"),
    ("a/b.txt", "a/b.txt"),
    ("dir/sub/", "dir/sub"),
    ("./a/./b", "a/b"),
    ("a//b///c", "a/b/c"),
    ("...", "..."),
    ("..a/b..", "..a/b.."),
    ("données/résumé.txt", "données/résumé.txt"),
    ("日本語/ファイル.txt", "日本語/ファイル.txt"),
    ("with space/file name.txt", "with space/file name.txt"),
    ("a%20b.txt", "a b.txt"),
    ("100%.txt", "100%.txt"),
    ("%zz", "%zz"),
    ("epoch:1/metrics.json", "epoch:1/metrics.json"),
    ("~/x", "~/x"),
    ("model/MLmodel", "model/MLmodel"),
]

BAD = [
    # traversal, plain and URL-encoded once, twice, three times and mixed
    ("..", "'..' segment"),
    ("../x", "'..' segment"),
    ("a/../..", "'..' segment"),
    ("a/..", "'..' segment"),
    ("%2e%2e/x", "'..' segment"),
    ("%2E%2E/x", "'..' segment"),
    ("%252e%252e%252fx", "'..' segment"),
    ("%25252e%25252e/x", "'..' segment"),
    ("..%2f", "'..' segment"),
    ("..%2fetc%2fpasswd", "'..' segment"),
    ("%2e./x", "'..' segment"),
    (".%2e/x", "'..' segment"),
    ("a/%2e%2e/%2e%2e/b", "'..' segment"),
    # backslashes
    ("%2e%2e%5c", "backslash"),
    ("..\\x", "backslash"),
    ("a\\b", "backslash"),
    ("%5c%5chost%5cshare", "backslash"),
    # absolute and network paths
    ("/etc/passwd", "absolute"),
    ("%2fetc", "absolute"),
    ("%252fetc%252fpasswd", "absolute"),
    ("//host/x", "'//host'"),
    ("%2f%2fhost/x", "'//host'"),
    # Windows drive letters and URIs
    ("C:/x", "drive letter"),
    ("c:x", "drive letter"),
    ("c:\\x", "backslash"),
    ("file:///etc/passwd", "URI"),
    ("file:/etc/passwd", "URI"),
    ("s3://bucket/key", "URI"),
    # NUL and other control characters
    ("a\x00b", "control character"),
    ("%00", "control character"),
    ("a%2500b", "control character"),
    ("a\nb", "control character"),
    ("a\tb", "control character"),
    ("a\x1fb", "control character"),
    ("a\x7fb", "control character"),
    ("a\x85b", "control character"),
    ("a\udc80b", "surrogate"),
    # fragment, parameter and query characters
    ("a#b", "'#'"),
    ("%23", "'#'"),
    ("a;b", "';'"),
    ("run/artifacts;x=..", "';'"),
    ("a?b", "'?'"),
    ("?../x", "'?'"),
    # size bounds
    ("a" * (MAX_PATH_LENGTH + 1), "longer than"),
    ("a" * 256, "longer than 255 bytes"),
]


@pytest.mark.parametrize(("raw", "expected"), GOOD)
def test_validate_accepts_and_normalises_safe_path(raw: str, expected: str) -> None:
    assert validate_relative_path(raw) == expected


@pytest.mark.parametrize(("raw", "problem"), BAD)
def test_validate_rejects_unsafe_path_naming_the_problem(raw: str, problem: str) -> None:
    with pytest.raises(InvalidParameterValue, match="Invalid artifact path") as info:
        validate_relative_path(raw)
    assert problem in info.value.message


@pytest.mark.parametrize(("raw", "expected"), GOOD)
def test_validate_is_idempotent(raw: str, expected: str) -> None:
    assert validate_relative_path(validate_relative_path(raw)) == expected


def test_error_message_truncates_huge_input() -> None:
    with pytest.raises(InvalidParameterValue) as info:
        validate_relative_path("../" + "x" * 100_000)
    assert len(info.value.message) < 300
    assert "characters" in info.value.message


def test_error_message_escapes_control_characters() -> None:
    with pytest.raises(InvalidParameterValue) as info:
        validate_relative_path("a\x00\x1b[31mb")
    assert "\x00" not in info.value.message
    assert "\x1b" not in info.value.message


def test_resolve_under_joins_clean_path_under_real_root(tmp_path: Path) -> None:
    assert resolve_under(tmp_path, "a//b/./c.txt") == tmp_path.resolve() / "a" / "b" / "c.txt"


def test_resolve_under_empty_path_is_the_root(tmp_path: Path) -> None:
    assert resolve_under(tmp_path, "") == tmp_path.resolve()


def test_resolve_under_validates_first(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameterValue, match=r"'\.\.' segment"):
        resolve_under(tmp_path, "%2e%2e/x")


def test_resolve_under_refuses_symlink_leading_outside(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(tmp_path, root / "up")
    with pytest.raises(InvalidParameterValue, match="outside the artifact root"):
        resolve_under(root, "up/x")


def test_resolve_under_accepts_symlinked_root(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "alias")
    assert resolve_under(tmp_path / "alias", "a") == (tmp_path / "real" / "a").resolve()


@pytest.mark.parametrize(
    "root", ["/data/artifacts", "/data//artifacts/", "/data/a b", "/data/a%20b", "/"]
)
def test_validate_local_root_accepts_absolute_directory(root: str) -> None:
    assert validate_local_root(root) == Path(root)


@pytest.mark.parametrize(
    ("root", "problem"),
    [
        ("relative/dir", "absolute"),
        ("//host/share", "'//host'"),
        ("/data/../etc", "'..' segment"),
        ("/data/%2e%2e/etc", "'..' segment"),
        ("/data/a#b", "'#'"),
        ("/data/a;b", "';'"),
        ("/data/a?b", "'?'"),
        ("/data/a\x00", "control character"),
        ("/data\\x", "backslash"),
    ],
)
def test_validate_local_root_rejects_unsafe_directory(root: str, problem: str) -> None:
    with pytest.raises(InvalidParameterValue, match="Invalid artifact root") as info:
        validate_local_root(root)
    assert problem in info.value.message
