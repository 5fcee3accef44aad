"""A small training script for the offline-mode tests, logged through the fluent API.

Shared by tests/offline and tests/cli: it logs what ``cairn sync`` must carry over (params,
metrics over several steps, tags, a dataset input, an artifact) and returns the run id.
"""

from __future__ import annotations

from pathlib import Path

import cairn
from cairn.entities import Dataset

EXPERIMENT = "offline-training"
STEPS = 6


def train(workdir: Path, *, steps: int = STEPS, end: bool = True, run_id: str | None = None) -> str:
    """One run: ``steps`` points of loss and acc; left RUNNING when ``end`` is False."""
    cairn.set_experiment(EXPERIMENT)
    run = cairn.start_run(run_id=run_id, run_name=None if run_id else "offline-run")
    if run_id is None:
        cairn.log_params({"lr": 0.01, "batch_size": 32})
        cairn.set_tags({"team": "vision"})
        cairn.log_input(Dataset("train", "d1g3st", "local", "/data/train.csv"), "training")
    for step in range(steps):
        cairn.log_metric("loss", 1.0 / (step + 1), step=step)
        cairn.log_metric("acc", step / 10, step=step)
    report = workdir / "report.txt"
    report.write_text(f"{steps} steps\n")
    cairn.log_artifact(report, "reports")
    if end:
        cairn.end_run()
    return str(run.info.run_id)
