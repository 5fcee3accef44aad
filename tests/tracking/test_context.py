"""Git context tags, read through the git executable."""

from __future__ import annotations

import subprocess
from pathlib import Path

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
