"""Every setting cairn reads from the environment, declared once.

Deep code never reads ``os.environ``: the edges (fluent API, CLI, server) build a ``Settings``
with :func:`settings_from_env` and pass it down, so tests can inject a clean one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

#: The project-local directory that holds the embedded database and artifacts by default.
DEFAULT_DATA_DIR = "cairn-data"
DEFAULT_DB_NAME = "cairn.db"
DEFAULT_ARTIFACT_DIR = "artifacts"


@dataclass(frozen=True)
class Settings:
    """Client-side settings. ``tracking_uri`` None means the embedded default."""

    tracking_uri: str | None = None
    artifact_root: str | None = None
    experiment_name: str | None = None
    experiment_id: str | None = None
    run_id: str | None = None
    username: str | None = None
    truncate_long_values: bool = True


def _first(env: Mapping[str, str], *names: str) -> str | None:
    for name in names:
        value = env.get(name)
        if value:
            return value
    return None


def _flag(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def settings_from_env(env: Mapping[str, str] | None = None) -> Settings:
    """Read ``CAIRN_*`` variables, falling back to their ``MLFLOW_*`` twins for drop-in use."""
    env = os.environ if env is None else env
    return Settings(
        tracking_uri=_first(env, "CAIRN_TRACKING_URI", "MLFLOW_TRACKING_URI"),
        artifact_root=_first(env, "CAIRN_ARTIFACT_ROOT"),
        experiment_name=_first(env, "CAIRN_EXPERIMENT_NAME", "MLFLOW_EXPERIMENT_NAME"),
        experiment_id=_first(env, "CAIRN_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_ID"),
        run_id=_first(env, "CAIRN_RUN_ID", "MLFLOW_RUN_ID"),
        username=_first(env, "CAIRN_TRACKING_USERNAME", "MLFLOW_TRACKING_USERNAME"),
        truncate_long_values=_flag(
            _first(env, "CAIRN_TRUNCATE_LONG_VALUES", "MLFLOW_TRUNCATE_LONG_VALUES"), True
        ),
    )


def default_data_dir(cwd: Path | None = None) -> Path:
    return (cwd or Path.cwd()) / DEFAULT_DATA_DIR
