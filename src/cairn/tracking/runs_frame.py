"""Runs as a pandas DataFrame, with MLflow's column names (``metrics.x``, ``params.y`` ...)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cairn.entities import Run

_INFO_COLUMNS = ["run_id", "experiment_id", "status", "artifact_uri", "start_time", "end_time"]


def runs_to_frame(runs: Sequence[Run]) -> Any:
    import pandas as pd

    rows: list[dict[str, Any]] = []
    for run in runs:
        info = run.info
        row: dict[str, Any] = {
            "run_id": info.run_id,
            "experiment_id": info.experiment_id,
            "status": info.status.name,
            "artifact_uri": info.artifact_uri,
            "start_time": pd.to_datetime(info.start_time, unit="ms", utc=True),
            "end_time": (
                pd.to_datetime(info.end_time, unit="ms", utc=True)
                if info.end_time is not None
                else pd.NaT
            ),
        }
        row.update({f"metrics.{m.key}": m.value for m in run.data.metrics})
        row.update({f"params.{p.key}": p.value for p in run.data.params})
        row.update({f"tags.{t.key}": t.value for t in run.data.tags})
        rows.append(row)
    frame = pd.DataFrame(rows, columns=None if rows else _INFO_COLUMNS)
    ordered = _INFO_COLUMNS + sorted(c for c in frame.columns if c not in _INFO_COLUMNS)
    return frame[ordered]
