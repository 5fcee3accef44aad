"""Symlinks inside an artifact root: followed when they stay inside, refused when they leave.

An attacker who can plant a link (or an admin who copied one in) must not turn the artifact
store into a way to read, list or write files elsewhere on the server.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from cairn.entities.file_info import FileInfo
from cairn.errors import InvalidParameterValue
from cairn.store.artifacts import LocalArtifactRepository


@pytest.fixture
def escaping_links(artifact_root: Path, outside: Path) -> None:
    os.symlink(outside / "secret.txt", artifact_root / "secret_link.txt")
    os.symlink(outside, artifact_root / "outside_dir")
    os.symlink(outside / "planted.txt", artifact_root / "dangling")


@pytest.mark.usefixtures("escaping_links")
@pytest.mark.parametrize("path", ["secret_link.txt", "outside_dir/secret.txt"])
def test_read_through_escaping_link_is_refused(repo: LocalArtifactRepository, path: str) -> None:
    with pytest.raises(InvalidParameterValue, match="outside the artifact root"):
        repo.read_bytes(path)
    with pytest.raises(InvalidParameterValue, match="outside the artifact root"):
        repo.open_artifact(path)


@pytest.mark.usefixtures("escaping_links")
@pytest.mark.parametrize("path", ["secret_link.txt", "outside_dir", "outside_dir/secret.txt"])
def test_download_through_escaping_link_is_refused(
    repo: LocalArtifactRepository, tmp_path: Path, path: str
) -> None:
    with pytest.raises(InvalidParameterValue, match="outside the artifact root"):
        repo.download_artifacts(path, tmp_path / "dst")


@pytest.mark.usefixtures("escaping_links")
def test_list_through_escaping_link_is_refused(repo: LocalArtifactRepository) -> None:
    with pytest.raises(InvalidParameterValue, match="outside the artifact root"):
        repo.list_artifacts("outside_dir")


@pytest.mark.usefixtures("escaping_links")
def test_listing_hides_escaping_links(repo: LocalArtifactRepository) -> None:
    repo.log_bytes(b"mine", "mine.txt")
    assert repo.list_artifacts() == [FileInfo("mine.txt", is_dir=False, file_size=4)]


@pytest.mark.usefixtures("escaping_links")
def test_download_of_root_skips_escaping_links(
    repo: LocalArtifactRepository, tmp_path: Path
) -> None:
    repo.log_bytes(b"mine", "mine.txt")
    local = repo.download_artifacts("", tmp_path / "dst")
    assert sorted(p.name for p in local.rglob("*")) == ["mine.txt"]


@pytest.mark.usefixtures("escaping_links")
@pytest.mark.parametrize(
    "path", ["secret_link.txt", "outside_dir/secret.txt", "outside_dir/new.txt", "dangling"]
)
def test_write_through_escaping_link_is_refused_and_outside_unchanged(
    repo: LocalArtifactRepository,
    tmp_path: Path,
    snapshot_outside: Callable[[], object],
    path: str,
) -> None:
    local = tmp_path / "payload.txt"
    local.write_text("pwned")
    before = snapshot_outside()
    with pytest.raises(InvalidParameterValue, match="outside the artifact root"):
        repo.log_bytes(b"pwned", path)
    with pytest.raises(InvalidParameterValue, match="outside the artifact root"):
        repo.log_artifact(local, "outside_dir")
    with pytest.raises(InvalidParameterValue, match="outside the artifact root"):
        repo.log_artifacts(tmp_path / "outside", "outside_dir")
    assert snapshot_outside() == before


@pytest.mark.usefixtures("escaping_links")
def test_delete_through_escaping_link_is_refused(
    repo: LocalArtifactRepository, outside: Path
) -> None:
    with pytest.raises(InvalidParameterValue, match="outside the artifact root"):
        repo.delete_artifacts("outside_dir/secret.txt")
    with pytest.raises(InvalidParameterValue, match="outside the artifact root"):
        repo.delete_artifacts("secret_link.txt")
    assert (outside / "secret.txt").read_text() == "top secret"


@pytest.mark.usefixtures("escaping_links")
def test_delete_of_whole_root_removes_links_not_their_targets(
    repo: LocalArtifactRepository, artifact_root: Path, outside: Path
) -> None:
    repo.delete_artifacts()
    assert not artifact_root.exists()
    assert (outside / "secret.txt").read_text() == "top secret"


@pytest.fixture
def inner_links(repo: LocalArtifactRepository, artifact_root: Path) -> None:
    repo.log_bytes(b"12345", "real/data.txt")
    os.symlink(artifact_root / "real", artifact_root / "alias_dir")
    os.symlink(artifact_root / "real" / "data.txt", artifact_root / "alias.txt")


@pytest.mark.usefixtures("inner_links")
def test_link_pointing_inside_can_be_read(repo: LocalArtifactRepository) -> None:
    assert repo.read_bytes("alias.txt") == b"12345"
    assert repo.read_bytes("alias_dir/data.txt") == b"12345"


@pytest.mark.usefixtures("inner_links")
def test_link_pointing_inside_lists_under_the_link_name(repo: LocalArtifactRepository) -> None:
    assert repo.list_artifacts() == [
        FileInfo("alias.txt", is_dir=False, file_size=5),
        FileInfo("alias_dir", is_dir=True, file_size=None),
        FileInfo("real", is_dir=True, file_size=None),
    ]
    assert repo.list_artifacts("alias_dir") == [FileInfo("alias_dir/data.txt", False, 5)]


@pytest.mark.usefixtures("inner_links")
def test_link_pointing_inside_can_be_written_through(
    repo: LocalArtifactRepository, artifact_root: Path
) -> None:
    repo.log_bytes(b"new", "alias_dir/new.txt")
    assert (artifact_root / "real" / "new.txt").read_bytes() == b"new"


@pytest.mark.usefixtures("inner_links")
def test_delete_of_inner_link_removes_only_the_link(
    repo: LocalArtifactRepository, artifact_root: Path
) -> None:
    repo.delete_artifacts("alias_dir")
    repo.delete_artifacts("alias.txt")
    assert not (artifact_root / "alias_dir").exists()
    assert repo.read_bytes("real/data.txt") == b"12345"


def test_download_terminates_on_a_symlink_loop(
    repo: LocalArtifactRepository, artifact_root: Path, tmp_path: Path
) -> None:
    repo.log_bytes(b"x", "sub/a.txt")
    os.symlink(artifact_root, artifact_root / "sub" / "loop")
    local = repo.download_artifacts("", tmp_path / "dst")
    assert (local / "sub" / "a.txt").read_bytes() == b"x"
    assert not (local / "sub" / "loop" / "sub").exists()
