"""The fluent API on a private tracking directory, shared by the conftests that need it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import cairn
from cairn.tracking import fluent
from cairn.tracking.client import close_stores

#: Settings a developer's shell may hold that would leak runs or behaviour into a test.
LEAKY_VARIABLES = (
    "CAIRN_TRACKING_URI",
    "MLFLOW_TRACKING_URI",
    "CAIRN_REGISTRY_URI",
    "MLFLOW_REGISTRY_URI",
    "MLFLOW_RUN_ID",
    "CAIRN_RUN_ID",
    "MLFLOW_EXPERIMENT_NAME",
    "MLFLOW_EXPERIMENT_ID",
    "CAIRN_EXPERIMENT_NAME",
    "CAIRN_EXPERIMENT_ID",
    "CAIRN_ASYNC_LOGGING",
    "CAIRN_ASYNC_LOGGING_QUEUE_SIZE",
    "CAIRN_ASYNC_LOGGING_BATCH_SIZE",
    "CAIRN_ASYNC_LOGGING_BATCH_WINDOW",
    "CAIRN_ASYNC_LOGGING_RETRY_DEADLINE",
    "CAIRN_ASYNC_LOGGING_EXIT_TIMEOUT",
)


def private_tracking_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in LEAKY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    fluent._reset_for_tests()
    directory = tmp_path / "tracking"
    cairn.set_tracking_uri(str(directory))
    yield directory
    while cairn.active_run():
        cairn.end_run()
    fluent._reset_for_tests()
    close_stores()
