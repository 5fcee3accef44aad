"""What one autologged XGBoost training records: eval metrics, early stopping, importance, model.

Shared by ``xgb.train`` and the scikit-learn API: both reduce to a booster, the per-iteration
eval history (one ``{"<evalname>-<metric>": value}`` dict per iteration, MLflow's names) and
the training data, and log them the same way to an explicit run id.
"""

from __future__ import annotations

import copy
import importlib.util
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from cairn import data
from cairn.autologging.config import AutologConfig
from cairn.autologging.importance_chart import importance_svg
from cairn.autologging.metric_rows import log_rows
from cairn.autologging.runs import copy_head, defer_logging
from cairn.data import DIGEST_ROWS
from cairn.entities import Metric
from cairn.tracking import fluent
from cairn.tracking.client import CairnClient

_EXAMPLE_ROWS = 5

#: One ``{"<evalname>-<metric>": value}`` dict per boosting iteration, in order.
History = list[dict[str, float]]


@dataclass(frozen=True)
class Trained:
    """One finished training: what to log and where its data came from."""

    booster: Any
    model: Any  # what ``log_model`` gets: the booster, or the scikit-learn-API estimator
    history: History
    early_stopping: bool
    x: Any = None  # a 2-D array (or DataFrame) of the training features, when known
    y: Any = None
    logged: int = 0  # iterations of ``history`` already logged while training ran
    rows: int | None = None  # the training rows when ``x`` holds only the first ones

    @property
    def first_step(self) -> int:
        """The step (XGBoost's epoch) of ``history[0]``: past the rounds of a continued model."""
        return int(self.booster.num_boosted_rounds()) - len(self.history)


def history_from_evals_result(evals_result: Mapping[str, Mapping[str, Sequence[Any]]]) -> History:
    """``evals_result()``'s ``{evalname: {metric: [values]}}`` as one dict per iteration."""
    history: History = []
    for eval_name, metrics in evals_result.items():
        for metric, values in metrics.items():
            for index, value in enumerate(values):
                if index == len(history):
                    history.append({})
                history[index][f"{eval_name}-{metric}"] = float(value)
    return history


def log_early_stopping(run_id: str, trained: Trained) -> None:
    """MLflow's convention: ``stopped_iteration``, ``best_iteration``, then the best
    iteration's eval metrics again at step ``len(history)`` (one past the last iteration)."""
    history = trained.history
    best = getattr(trained.booster, "best_iteration", None)
    if not trained.early_stopping or not history or best is None:
        return
    stamp = int(time.time() * 1000)
    points = [
        Metric("stopped_iteration", float(len(history) - 1), stamp, 0),
        Metric("best_iteration", float(best), stamp, 0),
    ]
    index = best - trained.first_step
    if 0 <= index < len(history):
        best_metrics = history[index]
        points += [Metric(k, v, stamp, len(history)) for k, v in best_metrics.items()]
    fluent.client().log_batch(run_id, metrics=points)


def log_feature_importance(run_id: str, booster: Any, importance_types: Sequence[str]) -> None:
    """``feature_importance_<type>.json`` per type, and an ``.svg`` bar chart of it."""
    client = fluent.client()
    for importance_type in importance_types:
        scores = booster.get_score(importance_type=importance_type)
        client.log_dict(run_id, scores, f"feature_importance_{importance_type}.json")
        if scores:
            chart = importance_svg(scores, f"Feature importance ({importance_type})")
            client.log_text(run_id, chart, f"feature_importance_{importance_type}.svg")


def dmatrix_data(dmatrix: Any) -> tuple[Any, Any, int]:
    """The first ``DIGEST_ROWS`` rows of a DMatrix as a dense array (a DataFrame when it has
    feature names, so the model's feature check passes), their labels, and the row count.

    Only those rows: the dataset digest reads no more, the signature needs five, and
    densifying a large (often sparse) training matrix whole, after training, could take more
    memory than training did.
    """
    rows = int(dmatrix.num_row())
    head = dmatrix.slice(list(range(DIGEST_ROWS))) if rows > DIGEST_ROWS else dmatrix
    x = head.get_data().toarray()
    names = dmatrix.feature_names
    if names is not None and importlib.util.find_spec("pandas") is not None:
        import pandas as pd

        x = pd.DataFrame(x, columns=names)
    label = head.get_label()
    return x, (label if len(label) else None), rows


def log_dataset(run_id: str, trained: Trained) -> None:
    x = trained.x
    if hasattr(x, "iloc"):
        frame = x if trained.y is None else x.assign(__target__=list(trained.y))
        target = None if trained.y is None else "__target__"
        dataset = data.from_pandas(frame, targets=target, total_rows=trained.rows)
    else:
        dataset = data.from_numpy(x, targets=trained.y, total_rows=trained.rows)
    fluent.client().log_input(run_id, dataset, context="train")


def log_trained_model(
    run_id: str, trained: Trained, config: AutologConfig, client: CairnClient | None = None
) -> None:
    """``model`` via ``cairn.xgboost.log_model``, with a signature from the first rows."""
    from cairn.models.flavors import xgboost as flavor
    from cairn.models.infer import infer_signature

    example = None if trained.x is None else copy_head(trained.x, _EXAMPLE_ROWS)
    signature = None
    if config.log_model_signatures and example is not None:
        predictor = flavor.XGBoostPredictor(trained.model)
        signature = infer_signature(example, predictor.predict(example))
    flavor.log_model(
        trained.model,
        "model",
        run_id=run_id,
        signature=signature,
        input_example=example if config.log_input_examples else None,
        registered_model_name=config.registered_model_name,
        client=client,
    )


def _snapshot(trained: Trained) -> Trained:
    """A copy of the model and of the example rows for the deferred model logging: the user
    may go on training the booster, or change the data, as soon as training returns."""
    model = copy.deepcopy(trained.model)
    booster = model if trained.model is trained.booster else model.get_booster()
    x = None if trained.x is None else copy_head(trained.x, _EXAMPLE_ROWS)
    return replace(trained, model=model, booster=booster, x=x, y=None, history=[])


def log_trained(
    run_id: str, trained: Trained, config: AutologConfig, importance_types: Sequence[str]
) -> None:
    """Everything after training, in one place for both APIs."""
    rest = trained.history[trained.logged :]
    log_rows(run_id, enumerate(rest, start=trained.first_step + trained.logged))
    log_early_stopping(run_id, trained)
    log_feature_importance(run_id, trained.booster, importance_types)
    if config.log_datasets and trained.x is not None:
        log_dataset(run_id, trained)
    if config.log_models:
        snapshot, client = _snapshot(trained), fluent.client()
        defer_logging("xgboost", lambda: log_trained_model(run_id, snapshot, config, client))
