"""Training metrics of a fitted scikit-learn estimator, under MLflow's autolog names.

Each metric is computed on its own: one that does not apply (log loss without
``predict_proba``, ROC AUC on a single class) is left out instead of failing the others.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

Metric = Callable[[Any, Any, Any, Any], float]


def _classifier_metrics() -> dict[str, Metric]:
    from sklearn import metrics as m

    def proba(est: Any, x: Any) -> Any:
        return est.predict_proba(x)

    def roc_auc(est: Any, x: Any, y: Any, w: Any) -> float:
        scores = proba(est, x)
        if scores.shape[1] == 2:
            return float(m.roc_auc_score(y, scores[:, 1], sample_weight=w))
        return float(m.roc_auc_score(y, scores, multi_class="ovr", sample_weight=w))

    def weighted(fn: Callable[..., Any]) -> Metric:
        return lambda est, x, y, w: float(
            fn(y, est.predict(x), average="weighted", sample_weight=w)
        )

    return {
        "accuracy_score": lambda est, x, y, w: float(
            m.accuracy_score(y, est.predict(x), sample_weight=w)
        ),
        "precision_score": weighted(m.precision_score),
        "recall_score": weighted(m.recall_score),
        "f1_score": weighted(m.f1_score),
        "log_loss": lambda est, x, y, w: float(m.log_loss(y, proba(est, x), sample_weight=w)),
        "roc_auc": roc_auc,
    }


def _regressor_metrics() -> dict[str, Metric]:
    from sklearn import metrics as m

    def mse(est: Any, x: Any, y: Any, w: Any) -> float:
        return float(m.mean_squared_error(y, est.predict(x), sample_weight=w))

    return {
        "mean_squared_error": mse,
        "root_mean_squared_error": lambda est, x, y, w: math.sqrt(mse(est, x, y, w)),
        "mean_absolute_error": lambda est, x, y, w: float(
            m.mean_absolute_error(y, est.predict(x), sample_weight=w)
        ),
        "r2_score": lambda est, x, y, w: float(m.r2_score(y, est.predict(x), sample_weight=w)),
    }


def training_metrics(estimator: Any, x: Any, y: Any, sample_weight: Any) -> dict[str, float]:
    """``training_<name>`` for every metric of the estimator's task that it can compute."""
    from sklearn.base import is_classifier, is_regressor

    if y is None:
        return {}
    if is_classifier(estimator):
        wanted = _classifier_metrics()
    elif is_regressor(estimator):
        wanted = _regressor_metrics()
    else:
        return {}
    wanted["score"] = lambda est, x_, y_, w: float(
        est.score(x_, y_, **({"sample_weight": w} if w is not None else {}))
    )
    found: dict[str, float] = {}
    for name, metric in wanted.items():
        try:
            found[f"training_{name}"] = metric(estimator, x, y, sample_weight)
        except (AttributeError, ValueError, TypeError):
            continue  # not applicable to this model or data: skip, as MLflow does
    return found
