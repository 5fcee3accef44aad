"""System tags a run gets at start: who ran what, from where, at which git commit.

Git is asked through the ``git`` executable with an argument list (never a shell), and any
failure just means no git tags: context detection must never stop a run from starting.
"""

from __future__ import annotations

import getpass
import os
import subprocess
import sys
from pathlib import Path

from cairn.config import Settings

USER = "mlflow.user"
SOURCE_NAME = "mlflow.source.name"
SOURCE_TYPE = "mlflow.source.type"
GIT_COMMIT = "mlflow.source.git.commit"
GIT_BRANCH = "mlflow.source.git.branch"
GIT_REPO_URL = "mlflow.source.git.repoURL"
PARENT_RUN_ID = "mlflow.parentRunId"
NOTE = "mlflow.note.content"
RUN_NAME = "mlflow.runName"


def local_user(settings: Settings) -> str:
    """Who is acting: the tracking username when set, else the login name ("unknown" when the
    system cannot say, e.g. a container without a passwd entry)."""
    if settings.username:
        return settings.username
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _source_name() -> str:
    script = sys.argv[0] if sys.argv and sys.argv[0] else ""
    if not script or script in ("-c", "-m") or not Path(script).exists():
        return "<console>"
    return str(Path(script).resolve())


def _git(cwd: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=5, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def git_tags(path: Path) -> dict[str, str]:
    """Commit, branch and remote of the repository holding ``path``; empty outside git."""
    cwd = path if path.is_dir() else path.parent
    commit = _git(cwd, "rev-parse", "HEAD")
    if commit is None:
        return {}
    tags = {GIT_COMMIT: commit}
    branch = _git(cwd, "rev-parse", "--abbrev-ref", "HEAD")
    if branch and branch != "HEAD":
        tags[GIT_BRANCH] = branch
    remote = _git(cwd, "config", "--get", "remote.origin.url")
    if remote:
        tags[GIT_REPO_URL] = remote
    return tags


def run_context_tags(settings: Settings) -> dict[str, str]:
    source = _source_name()
    tags = {USER: local_user(settings), SOURCE_NAME: source, SOURCE_TYPE: "LOCAL"}
    tags.update(git_tags(Path(source) if source != "<console>" else Path(os.getcwd())))
    return tags
