"""Git context tags, read through the git executable and kept while the repository is unchanged."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from cairn.tracking import git_context
from cairn.tracking.context import GIT_BRANCH, GIT_COMMIT, GIT_REPO_URL, git_tags


def _git(cwd: Path, *args: str) -> str:
    out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_git_tags_name_commit_branch_and_remote(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q", "-b", "trunk")
    _git(tmp_path, "config", "user.email", "t@example.org")
    _git(tmp_path, "config", "user.name", "t")
    _git(tmp_path, "remote", "add", "origin", "https://example.org/repo.git")
    (tmp_path / "train.py").write_text("print(1)\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "init")
    tags = git_tags(tmp_path / "train.py")
    assert tags[GIT_COMMIT] == _git(tmp_path, "rev-parse", "HEAD")
    assert tags[GIT_BRANCH] == "trunk"
    assert tags[GIT_REPO_URL] == "https://example.org/repo.git"


def test_outside_git_there_are_no_git_tags(tmp_path: Path) -> None:
    assert git_tags(tmp_path) == {}


def _repo(path: Path) -> Path:
    _git(path, "init", "-q", "-b", "trunk")
    _git(path, "config", "user.email", "t@example.org")
    _git(path, "config", "user.name", "t")
    (path / "train.py").write_text("print(1)\n")
    _git(path, "add", ".")
    _git(path, "commit", "-q", "-m", "init")
    return path / "train.py"


def _count_git_calls(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record each git process the context code starts (and still start it)."""
    calls: list[object] = []
    real = subprocess.run

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(git_context.subprocess, "run", counted)
    return calls


def test_an_unchanged_repository_is_not_asked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = _repo(tmp_path)
    first = git_tags(script)
    calls = _count_git_calls(monkeypatch)
    assert git_tags(script) == first
    assert calls == []


def test_a_new_commit_branch_or_remote_is_seen_at_once(tmp_path: Path) -> None:
    script = _repo(tmp_path)
    before = git_tags(script)
    (tmp_path / "train.py").write_text("print(2)\n")
    _git(tmp_path, "commit", "-q", "-am", "second")
    after = git_tags(script)
    assert after[GIT_COMMIT] == _git(tmp_path, "rev-parse", "HEAD") != before[GIT_COMMIT]

    _git(tmp_path, "checkout", "-q", "-b", "feature")
    assert git_tags(script)[GIT_BRANCH] == "feature"
    _git(tmp_path, "remote", "add", "origin", "https://example.org/other.git")
    assert git_tags(script)[GIT_REPO_URL] == "https://example.org/other.git"
