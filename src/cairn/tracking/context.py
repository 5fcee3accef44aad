"""System tags a run gets at start: who ran what, from where, at which git commit.

The git part lives in ``git_context`` (asked once per repository state).
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from cairn.config import Settings
from cairn.tracking.git_context import GIT_BRANCH, GIT_COMMIT, GIT_REPO_URL, git_tags

USER = "mlflow.user"
SOURCE_NAME = "mlflow.source.name"
SOURCE_TYPE = "mlflow.source.type"
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


def run_context_tags(settings: Settings) -> dict[str, str]:
    source = _source_name()
    tags = {USER: local_user(settings), SOURCE_NAME: source, SOURCE_TYPE: "LOCAL"}
    tags.update(git_tags(Path(source) if source != "<console>" else Path(os.getcwd())))
    return tags


__all__ = [
    "GIT_BRANCH",
    "GIT_COMMIT",
    "GIT_REPO_URL",
    "NOTE",
    "PARENT_RUN_ID",
    "RUN_NAME",
    "SOURCE_NAME",
    "SOURCE_TYPE",
    "USER",
    "git_tags",
    "local_user",
    "run_context_tags",
]
