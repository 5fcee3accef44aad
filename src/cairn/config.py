"""Every setting cairn reads from the environment, declared once.

Deep code never reads ``os.environ``: the edges (fluent API, CLI, server) build a ``Settings``
with :func:`settings_from_env` and pass it down, so tests can inject a clean one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cairn.errors import InvalidParameterValue

#: The project-local directory that holds the embedded database and artifacts by default.
DEFAULT_DATA_DIR = "cairn-data"
DEFAULT_DB_NAME = "cairn.db"
DEFAULT_ARTIFACT_DIR = "artifacts"

#: HTTP client defaults: MLflow's 120 s timeout; fewer, quicker retries than its 7 x 2 s.
DEFAULT_HTTP_TIMEOUT = 120.0
DEFAULT_HTTP_MAX_RETRIES = 5
DEFAULT_HTTP_BACKOFF_FACTOR = 0.5

#: ``CAIRN_MODE``: "online" tracks where the tracking URI points; "offline" writes every run to
#: a local spool that ``cairn sync`` uploads later (see docs/offline.md).
ONLINE_MODE = "online"
OFFLINE_MODE = "offline"
#: The spool's default directory, relative to the working directory (like ./cairn-data).
DEFAULT_OFFLINE_DIR = "cairn-offline"

#: Asynchronous logging (see docs/logging.md): queue bound, batch size and window, how long
#: the background sender retries a store that is down, and how long exit waits for delivery.
DEFAULT_ASYNC_QUEUE_SIZE = 100_000
DEFAULT_ASYNC_BATCH_SIZE = 50_000
DEFAULT_ASYNC_BATCH_WINDOW = 0.05
DEFAULT_ASYNC_RETRY_DEADLINE = 300.0
DEFAULT_ASYNC_EXIT_TIMEOUT = 60.0


@dataclass(frozen=True)
class Settings:
    """Client-side settings. ``tracking_uri`` None means the embedded default; ``registry_uri``
    None means the registry lives where the tracking URI points (MLflow's default).

    The HTTP fields only matter for ``http(s)://`` tracking URIs. Secrets (``password``,
    ``tracking_token``) are left out of ``repr`` so a logged Settings never shows them.
    """

    tracking_uri: str | None = None
    registry_uri: str | None = None
    artifact_root: str | None = None
    experiment_name: str | None = None
    experiment_id: str | None = None
    run_id: str | None = None
    username: str | None = None
    truncate_long_values: bool = True
    password: str | None = field(default=None, repr=False)
    tracking_token: str | None = field(default=None, repr=False)
    insecure_tls: bool = False
    http_timeout: float = DEFAULT_HTTP_TIMEOUT
    http_max_retries: int = DEFAULT_HTTP_MAX_RETRIES
    http_backoff_factor: float = DEFAULT_HTTP_BACKOFF_FACTOR
    mode: str = ONLINE_MODE
    offline_fallback: bool = False
    offline_dir: str | None = None
    async_logging: bool = True
    async_queue_size: int = DEFAULT_ASYNC_QUEUE_SIZE
    async_batch_size: int = DEFAULT_ASYNC_BATCH_SIZE
    async_batch_window: float = DEFAULT_ASYNC_BATCH_WINDOW
    async_retry_deadline: float = DEFAULT_ASYNC_RETRY_DEADLINE
    async_exit_timeout: float = DEFAULT_ASYNC_EXIT_TIMEOUT


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


def _number(
    env: Mapping[str, str], kind: type[float] | type[int], default: float, *names: str
) -> float:
    """A non-negative number from the first of ``names`` that is set, else ``default``."""
    name = next((n for n in names if env.get(n)), None)
    if name is None:
        return default
    raw = env[name]
    try:
        value = kind(raw.strip())
    except ValueError:
        raise InvalidParameterValue(
            f"{name} must be a {kind.__name__} (got {raw[:50]!r})."
        ) from None
    if value < 0:
        raise InvalidParameterValue(f"{name} must not be negative (got {raw[:50]!r}).")
    return value


def settings_from_env(env: Mapping[str, str] | None = None) -> Settings:
    """Read ``CAIRN_*`` variables, falling back to their ``MLFLOW_*`` twins for drop-in use."""
    env = os.environ if env is None else env
    return Settings(
        tracking_uri=_first(env, "CAIRN_TRACKING_URI", "MLFLOW_TRACKING_URI"),
        registry_uri=_first(env, "CAIRN_REGISTRY_URI", "MLFLOW_REGISTRY_URI"),
        artifact_root=_first(env, "CAIRN_ARTIFACT_ROOT"),
        experiment_name=_first(env, "CAIRN_EXPERIMENT_NAME", "MLFLOW_EXPERIMENT_NAME"),
        experiment_id=_first(env, "CAIRN_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_ID"),
        run_id=_first(env, "CAIRN_RUN_ID", "MLFLOW_RUN_ID"),
        username=_first(env, "CAIRN_TRACKING_USERNAME", "MLFLOW_TRACKING_USERNAME"),
        truncate_long_values=_flag(
            _first(env, "CAIRN_TRUNCATE_LONG_VALUES", "MLFLOW_TRUNCATE_LONG_VALUES"), True
        ),
        password=_first(env, "CAIRN_TRACKING_PASSWORD", "MLFLOW_TRACKING_PASSWORD"),
        tracking_token=_first(env, "CAIRN_TRACKING_TOKEN", "MLFLOW_TRACKING_TOKEN"),
        insecure_tls=_flag(
            _first(env, "CAIRN_TRACKING_INSECURE_TLS", "MLFLOW_TRACKING_INSECURE_TLS"), False
        ),
        http_timeout=_number(
            env,
            float,
            DEFAULT_HTTP_TIMEOUT,
            "CAIRN_HTTP_REQUEST_TIMEOUT",
            "MLFLOW_HTTP_REQUEST_TIMEOUT",
        ),
        http_max_retries=int(
            _number(
                env,
                int,
                DEFAULT_HTTP_MAX_RETRIES,
                "CAIRN_HTTP_REQUEST_MAX_RETRIES",
                "MLFLOW_HTTP_REQUEST_MAX_RETRIES",
            )
        ),
        http_backoff_factor=_number(
            env,
            float,
            DEFAULT_HTTP_BACKOFF_FACTOR,
            "CAIRN_HTTP_REQUEST_BACKOFF_FACTOR",
            "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR",
        ),
        **_offline_settings(env),
        **_async_logging_settings(env),
    )


def _async_logging_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """The ``CAIRN_ASYNC_LOGGING*`` variables; sizes are at least 1 so a queue always moves."""
    return {
        "async_logging": _flag(_first(env, "CAIRN_ASYNC_LOGGING"), True),
        "async_queue_size": max(
            1, int(_number(env, int, DEFAULT_ASYNC_QUEUE_SIZE, "CAIRN_ASYNC_LOGGING_QUEUE_SIZE"))
        ),
        "async_batch_size": max(
            1, int(_number(env, int, DEFAULT_ASYNC_BATCH_SIZE, "CAIRN_ASYNC_LOGGING_BATCH_SIZE"))
        ),
        "async_batch_window": _number(
            env, float, DEFAULT_ASYNC_BATCH_WINDOW, "CAIRN_ASYNC_LOGGING_BATCH_WINDOW"
        ),
        "async_retry_deadline": _number(
            env, float, DEFAULT_ASYNC_RETRY_DEADLINE, "CAIRN_ASYNC_LOGGING_RETRY_DEADLINE"
        ),
        "async_exit_timeout": _number(
            env, float, DEFAULT_ASYNC_EXIT_TIMEOUT, "CAIRN_ASYNC_LOGGING_EXIT_TIMEOUT"
        ),
    }


def _offline_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """``CAIRN_MODE``, ``CAIRN_OFFLINE_FALLBACK`` and ``CAIRN_OFFLINE_DIR``; a misspelt mode
    is an error, because silently tracking online would defeat the point of asking."""
    mode = (_first(env, "CAIRN_MODE") or ONLINE_MODE).strip().lower()
    if mode not in (ONLINE_MODE, OFFLINE_MODE):
        raise InvalidParameterValue(
            f"CAIRN_MODE must be '{ONLINE_MODE}' or '{OFFLINE_MODE}' (got {mode[:50]!r})."
        )
    return {
        "mode": mode,
        "offline_fallback": _flag(_first(env, "CAIRN_OFFLINE_FALLBACK"), False),
        "offline_dir": _first(env, "CAIRN_OFFLINE_DIR"),
    }


def default_data_dir(cwd: Path | None = None) -> Path:
    return (cwd or Path.cwd()) / DEFAULT_DATA_DIR
