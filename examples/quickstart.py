"""Log a small training run into the embedded store and print what was recorded."""

from __future__ import annotations

import math
import random

import cairn

cairn.set_experiment("quickstart")

with cairn.start_run(run_name="quickstart", description="A first cairn run") as run:
    params = {"learning_rate": 0.05, "epochs": 20, "optimizer": "sgd"}
    cairn.log_params(params)
    loss = 1.0
    for epoch in range(params["epochs"]):
        loss *= 0.85 + random.random() * 0.05
        cairn.log_metrics({"loss": loss, "accuracy": 1 - loss / 2}, step=epoch)
    cairn.log_dict(params, "config.yaml")
    cairn.log_text(f"final loss {loss:.4f}\n", "summary.txt")
    cairn.set_tag("stage", "demo")

finished = cairn.get_run(run.info.run_id)
print(f"run        {finished.info.run_id} ({finished.info.run_name})")
print(f"status     {finished.info.status.name}")
print(f"experiment {finished.info.experiment_id}")
print(f"params     {finished.data.param_dict}")
print("metrics    " + ", ".join(f"{k}={v:.4f}" for k, v in finished.data.metric_dict.items()))
print(f"artifacts  {finished.info.artifact_uri}")
assert not math.isnan(finished.data.metric_dict["loss"])
print()
print("Stored in ./cairn-data. See it with:")
print(f"  .venv/bin/cairn runs list --experiment-id {finished.info.experiment_id}")
