"""What one autologged LightGBM training records: eval metrics, early stopping, importance, model.

Metrics are collected by a callback that only appends to a list while LightGBM trains, and are
sent as columns afterwards (see ``metric_rows``): a store round trip per iteration would cost
more than a small boosting round.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Any

from cairn.autologging.config import AutologConfig
from cairn.autologging.importance_chart import importance_svg
from cairn.autologging.metric_rows import log_rows
from cairn.autologging.patching import warn_failure
from cairn.autologging.runs import copy_head, defer_logging
from cairn.autologging.sklearn_logging import FitData, log_dataset
from cairn.entities import Metric
from cairn.tracking import fluent
from cairn.tracking.client import CairnClient

_EXAMPLE_ROWS = 5
IMPORTANCE_TYPES = ("split", "gain")
INTEGRATION = "lightgbm"


@dataclass(eq=False)  # hashable: LightGBM puts callbacks in a set
class EvalRecorder:
    """A LightGBM callback keeping ``<valid_name>-<metric>`` values per iteration.

    ``order`` 20 (as ``record_evaluation``) runs it before ``early_stopping`` (30), which raises
    to stop training: the last iteration is recorded too. It never raises itself: a failure is
    reported once and recording stops, while training goes on.
    """

    steps: list[tuple[int, dict[str, float]]] = field(default_factory=list)
    order: int = 20
    before_iteration: bool = False
    broken: bool = False

    def __call__(self, env: Any) -> None:
        if self.broken:
            return
        try:
            values = {
                f"{item[0]}-{item[1]}": float(item[2]) for item in env.evaluation_result_list or ()
            }
            self.steps.append((int(env.iteration), values))
        except Exception as exc:  # a tracker must never kill training
            self.broken = True
            warn_failure(INTEGRATION, exc)


def log_eval_metrics(run_id: str, recorder: EvalRecorder, best_iteration: int) -> None:
    """Every recorded value; with early stopping also MLflow's ``stopped_iteration``,
    ``best_iteration`` and the best iteration's scores at step ``stopped_iteration``."""
    log_rows(run_id, recorder.steps)
    metrics: list[Metric] = []
    if best_iteration > 0 and recorder.steps:
        stamp = int(time.time() * 1000)
        stopped = len(recorder.steps)
        metrics.append(Metric("stopped_iteration", float(stopped), stamp, 0))
        metrics.append(Metric("best_iteration", float(best_iteration), stamp, 0))
        best = recorder.steps[min(best_iteration, stopped) - 1][1]
        metrics.extend(Metric(key, value, stamp, stopped) for key, value in best.items())
    if metrics:
        fluent.client().log_batch(run_id, metrics=metrics)


def log_feature_importance(run_id: str, booster: Any) -> None:
    """``feature_importance_<type>.json`` (feature -> importance) and an ``.svg`` bar chart,
    for split counts and total gain, as MLflow names them."""
    names = booster.feature_name()
    client = fluent.client()
    for kind in IMPORTANCE_TYPES:
        values = [float(v) for v in booster.feature_importance(importance_type=kind)]
        importance = dict(zip(names, values, strict=True))
        client.log_dict(run_id, importance, f"feature_importance_{kind}.json")
        chart = importance_svg(importance, f"Feature importance ({kind})")
        client.log_text(run_id, chart, f"feature_importance_{kind}.svg")


def _head(x: Any) -> Any:
    return x.iloc[:_EXAMPLE_ROWS] if hasattr(x, "iloc") else x[:_EXAMPLE_ROWS]


def log_lgb_model(run_id: str, model: Any, x: Any, config: AutologConfig) -> None:
    """Log the Booster or sklearn-API model as ``model`` after training has returned (see
    ``runs.defer``), with a signature from the first rows of the training data when that data
    is an array or frame (not a file path). Both are copied first: the user may go on
    training the model, or change the data, once training returns."""
    snapshot, client = copy.deepcopy(model), fluent.client()
    has_rows = x is not None and hasattr(x, "__getitem__")
    example = copy_head(x, _EXAMPLE_ROWS) if has_rows else None
    defer_logging(INTEGRATION, lambda: _log_model_now(run_id, snapshot, example, config, client))


def _log_model_now(
    run_id: str, model: Any, example: Any, config: AutologConfig, client: CairnClient
) -> None:
    from cairn.models.flavors import lightgbm as flavor
    from cairn.models.infer import infer_signature

    signature = None
    if config.log_model_signatures and example is not None:
        signature = infer_signature(example, model.predict(example))
    flavor.log_model(
        model,
        "model",
        run_id=run_id,
        signature=signature,
        input_example=example if config.log_input_examples else None,
        registered_model_name=config.registered_model_name,
        client=client,
    )


def log_training_data(run_id: str, x: Any, y: Any) -> None:
    """The training data's digest as a ``train`` input, when it is in memory (a Dataset built
    from a file path has no rows to hash)."""
    if x is None or isinstance(x, str) or not hasattr(x, "__getitem__"):
        return
    log_dataset(run_id, FitData(x=x, y=y))
