"""Fixtures for artifact-store tests: a repository on a fresh root, and a way to prove that
nothing outside that root was touched."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cairn.store.artifacts import LocalArtifactRepository, local_path_to_uri

Snapshot = dict[str, tuple[bool, int, str]]


@pytest.fixture
def repo(artifact_root: Path) -> LocalArtifactRepository:
    return LocalArtifactRepository(local_path_to_uri(artifact_root))


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A directory beside the artifact root holding a file an attacker would like to read."""
    directory = tmp_path / "outside"
    directory.mkdir()
    (directory / "secret.txt").write_text("top secret")
    return directory


def snapshot(directory: Path, skip: Path | None = None) -> Snapshot:
    """Every entry under ``directory`` (except ``skip``) with its type, size and content."""
    state: Snapshot = {}
    for entry in sorted(directory.rglob("*")):
        if skip is not None and (entry == skip or skip in entry.parents):
            continue
        if entry.is_symlink():
            state[str(entry)] = (False, -1, str(entry.readlink()))
        elif entry.is_dir():
            state[str(entry)] = (True, 0, "")
        else:
            state[str(entry)] = (False, entry.stat().st_size, entry.read_text("latin-1"))
    return state


@pytest.fixture
def snapshot_outside(tmp_path: Path, artifact_root: Path) -> Callable[[], Snapshot]:
    """A function giving the state of everything under ``tmp_path`` except the artifact root;
    equal before and after a rejected call proves nothing was written outside the root."""
    return lambda: snapshot(tmp_path, skip=artifact_root)
