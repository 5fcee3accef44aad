"""What one autologged scikit-learn ``fit`` records: params, metrics, tags, data, model.

Everything goes to an explicit run id through the client, so the same code logs into the
user's run, an autolog run or a tuning child run, on a local store or a remote server.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cairn import data
from cairn.autologging.config import AutologConfig
from cairn.autologging.sklearn_metrics import training_metrics
from cairn.entities import Metric, Param
from cairn.store.tracking.validation import MAX_PARAM_VALUE_LENGTH
from cairn.tracking import fluent

_EXAMPLE_ROWS = 5


@dataclass(frozen=True)
class FitData:
    """The training data of one ``fit`` call, as the user passed it."""

    x: Any
    y: Any = None
    sample_weight: Any = None


def estimator_tags(estimator: Any) -> dict[str, str]:
    cls = type(estimator)
    return {"estimator_name": cls.__name__, "estimator_class": f"{cls.__module__}.{cls.__name__}"}


def param_values(params: Mapping[str, Any]) -> dict[str, str]:
    """Params as the strings a store keeps, cut to the store's limit like ``log_param``."""
    return {key: str(value)[:MAX_PARAM_VALUE_LENGTH] for key, value in params.items()}


def log_params(run_id: str, params: Mapping[str, Any]) -> None:
    items = [Param(key, value) for key, value in param_values(params).items()]
    fluent.client().log_batch(run_id, params=items)


def log_metrics(run_id: str, metrics: Mapping[str, float], step: int = 0) -> None:
    stamp = int(time.time() * 1000)
    items = [Metric(key, float(value), stamp, step) for key, value in metrics.items()]
    fluent.client().log_batch(run_id, metrics=items)


def log_training_metrics(run_id: str, estimator: Any, fit: FitData) -> None:
    log_metrics(run_id, training_metrics(estimator, fit.x, fit.y, fit.sample_weight))


def dataset_of(fit: FitData) -> Any:
    """A ``cairn.data`` record of the training data (digest, schema, profile)."""
    import sys

    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(fit.x, pandas.DataFrame):
        frame = fit.x
        if fit.y is not None:
            frame = frame.assign(**{"__target__": list(fit.y)})
        return data.from_pandas(frame, targets="__target__" if fit.y is not None else None)
    return data.from_numpy(fit.x, targets=fit.y)


def log_dataset(run_id: str, fit: FitData) -> None:
    fluent.client().log_input(run_id, dataset_of(fit), context="train")


def _head(x: Any) -> Any:
    return x.iloc[:_EXAMPLE_ROWS] if hasattr(x, "iloc") else x[:_EXAMPLE_ROWS]


def log_fitted_model(run_id: str, estimator: Any, fit: FitData, config: AutologConfig) -> None:
    """Log the fitted estimator as ``model`` (with signature / input example when asked)."""
    from cairn.models.flavors import sklearn as flavor
    from cairn.models.infer import infer_signature

    predict_fn = next((f for f in ("predict", "transform") if hasattr(estimator, f)), None)
    if predict_fn is None:
        return  # nothing to serve: MLflow logs no model either
    example = _head(fit.x)
    signature = None
    if config.log_model_signatures:
        signature = infer_signature(example, getattr(estimator, predict_fn)(example))
    flavor.log_model(
        estimator,
        "model",
        run_id=run_id,
        signature=signature,
        input_example=example if config.log_input_examples else None,
        pyfunc_predict_fn=predict_fn,
        registered_model_name=config.registered_model_name,
    )
