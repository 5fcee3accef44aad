"""Fluent-API fixtures: a private tracking directory and fresh module state per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import cairn
from cairn.tracking import fluent
from cairn.tracking.client import close_stores


@pytest.fixture
def tracking_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in (
        "CAIRN_TRACKING_URI",
        "MLFLOW_TRACKING_URI",
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
    ):
        monkeypatch.delenv(name, raising=False)
    fluent._reset_for_tests()
    directory = tmp_path / "tracking"
    cairn.set_tracking_uri(str(directory))
    yield directory
    while cairn.active_run():
        cairn.end_run()
    fluent._reset_for_tests()
    close_stores()
