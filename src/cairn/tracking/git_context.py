"""The git commit, branch and remote of the code that starts a run, asked of git once per
repository state.

Asking ``git`` costs a process start (~5 ms each, three per question), and a run start and
each logged model ask, so an autologged training paid ~30 ms for it. The answer only changes
when the repository's ``HEAD``, the branch it names, ``packed-refs`` or ``config`` change; git
rewrites those by renaming a new file into place, so their identity (inode, size, mtime) is a
cheap, exact key. Where the layout is not a plain ``.git`` directory (worktrees, submodules,
``GIT_DIR``), git is asked every time. Git is run with an argument list (never a shell), and
any failure means no git tags: context detection must never stop a run from starting.
"""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

GIT_COMMIT = "mlflow.source.git.commit"
GIT_BRANCH = "mlflow.source.git.branch"
GIT_REPO_URL = "mlflow.source.git.repoURL"

#: The identity of each file git's answer depends on, in a fixed order.
_Stamp = tuple[tuple[int, int, int], ...]
_CACHE: dict[Path, tuple[_Stamp, dict[str, str]]] = {}
_LOCK = threading.Lock()


def _identity(path: Path) -> tuple[int, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0, 0)
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _repository(cwd: Path) -> Path | str | None:
    """The ``.git`` directory above ``cwd``; ``"uncached"`` for layouts git resolves itself."""
    if "GIT_DIR" in os.environ:
        return "uncached"
    for folder in (cwd, *cwd.parents):
        marker = folder / ".git"
        if marker.is_dir():
            return marker
        if marker.exists():  # a ".git" file: worktree or submodule
            return "uncached"
    return None


def _stamp(git_dir: Path) -> _Stamp:
    files = [git_dir / "HEAD", git_dir / "packed-refs", git_dir / "config"]
    try:
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        head = ""
    if head.startswith("ref: "):
        files.append(git_dir / head[len("ref: ") :])
    return tuple(_identity(f) for f in files)


def _git(cwd: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=5, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _ask_git(cwd: Path) -> dict[str, str]:
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


def git_tags(path: Path) -> dict[str, str]:
    """Commit, branch and remote of the repository holding ``path``; empty outside git."""
    cwd = path if path.is_dir() else path.parent
    repository = _repository(cwd)
    if repository is None:
        return {}
    if isinstance(repository, str):
        return _ask_git(cwd)
    stamp = _stamp(repository)
    with _LOCK:
        cached = _CACHE.get(cwd)
    if cached is not None and cached[0] == stamp:
        return dict(cached[1])
    tags = _ask_git(cwd)
    with _LOCK:
        _CACHE[cwd] = (stamp, tags)
    return dict(tags)
