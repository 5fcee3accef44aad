"""Choosing a repository by URI scheme, file-URI conversions, and the package's public line."""

from __future__ import annotations

import doctest
import subprocess
import sys
from pathlib import Path

import pytest

import cairn.store.artifacts as artifacts
from cairn.errors import InvalidParameterValue
from cairn.store.artifacts import (
    LocalArtifactRepository,
    _uri,
    get_artifact_repository,
    local_path_to_uri,
    paths,
    registry,
    uri_to_local_path,
)


@pytest.mark.parametrize(
    "uri", ["/data/artifacts", "file:///data/artifacts", "FILE:///data/artifacts", "file:/data"]
)
def test_local_uris_get_a_local_repository(uri: str) -> None:
    repo = get_artifact_repository(uri)
    assert isinstance(repo, LocalArtifactRepository)
    assert repo.artifact_uri == uri


@pytest.mark.parametrize("uri", ["s3://bucket/x", "gs://b/x", "ftp://h/x", "x:y"])
def test_unknown_scheme_is_rejected_naming_the_supported_ones(uri: str) -> None:
    with pytest.raises(InvalidParameterValue, match="Unsupported artifact URI scheme") as info:
        get_artifact_repository(uri)
    assert "file:" in info.value.message
    assert "plain absolute path" in info.value.message


def test_supported_schemes_lists_local_and_proxy_ones() -> None:
    assert registry.supported_schemes() == ["", "file", "http", "https", "mlflow-artifacts"]


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("file:///data/artifacts", "/data/artifacts"),
        ("file:/data/artifacts", "/data/artifacts"),
        ("file://localhost/data/artifacts", "/data/artifacts"),
        ("file:///data/my%20dir", "/data/my dir"),
        ("file:///data/%C3%A9t%C3%A9", "/data/été"),
        ("/data/artifacts", "/data/artifacts"),
    ],
)
def test_uri_to_local_path_accepts_local_locations(uri: str, expected: str) -> None:
    assert uri_to_local_path(uri) == Path(expected)


@pytest.mark.parametrize(
    ("uri", "problem"),
    [
        ("file://evil-host/share/x", "remote host"),
        ("file:relative/dir", "absolute"),
        ("relative/dir", "absolute"),
        ("file:///data/x?y=1", "query"),
        ("file:///data/x#frag", "fragment"),
        ("file:///data/x;p", "';'"),
        ("file:///data/../etc", "'..' segment"),
        ("file:///data/%252e%252e/etc", "'..' segment"),
        ("file:///data/%00", "control character"),
        ("file:////host/share", "'//host'"),
    ],
)
def test_uri_to_local_path_rejects_unsafe_locations(uri: str, problem: str) -> None:
    with pytest.raises(InvalidParameterValue) as info:
        uri_to_local_path(uri)
    assert problem in info.value.message


def test_unsafe_location_is_rejected_when_building_the_repository() -> None:
    with pytest.raises(InvalidParameterValue, match="remote host"):
        get_artifact_repository("file://evil-host/share")


@pytest.mark.parametrize("name", ["plain", "with space", "pct%20literal", "ünïcødé", "a+b=c"])
def test_local_path_and_uri_round_trip(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    uri = local_path_to_uri(path)
    assert uri.startswith("file:///")
    assert uri_to_local_path(uri) == path


def test_local_path_to_uri_makes_relative_paths_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert uri_to_local_path(local_path_to_uri("runs")) == tmp_path / "runs"


def test_public_names_are_exported() -> None:
    for name in artifacts.__all__:
        assert getattr(artifacts, name) is not None


@pytest.mark.parametrize("module", [artifacts, paths, registry, _uri])
def test_docstring_examples_run(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.failed == 0
    assert result.attempted > 0


def test_import_stays_light() -> None:
    code = (
        "import sys, cairn.store.artifacts\n"
        "heavy = {'numpy', 'PIL', 'matplotlib', 'pandas', 'sqlalchemy'} & set(sys.modules)\n"
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
