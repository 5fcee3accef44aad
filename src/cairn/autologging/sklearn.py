"""scikit-learn autologging: every outermost ``fit`` of an estimator, pipeline or search.

``fit`` (and ``fit_transform``, ``fit_predict``) is patched on each class that defines it
(found through ``all_estimators``), so subclasses that inherit it are covered too; a pipeline
fitting its steps or a search fitting clones is logged once, by the outermost call (see
``patching``). Inference, ``score`` and the
``sklearn.metrics`` functions are patched for post-training metrics (see
``sklearn_post_training``).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from cairn.autologging import sklearn_post_training as post_training
from cairn.autologging.config import AutologConfig, configure, get_config
from cairn.autologging.patching import OriginalCall, patch_method, unpatch_all
from cairn.autologging.runs import autolog_run, run_tags
from cairn.autologging.sklearn_logging import (
    FitData,
    estimator_tags,
    log_dataset,
    log_fitted_model,
    log_params,
    log_training_metrics,
)
from cairn.autologging.sklearn_search import is_search, log_search

INTEGRATION = "sklearn"


def _estimators() -> list[type]:
    from sklearn.utils import all_estimators

    return [cls for _, cls in all_estimators()]


#: The methods that train: MLflow patches the same three. ``fit_transform`` and
#: ``fit_predict`` call ``fit`` inside (which then goes straight to the original), so one call
#: is one run either way, and the ``transform``/``predict`` inside them is not mistaken for
#: inference on evaluation data by the post-training metrics.
TRAINING_METHODS = ("fit", "fit_transform", "fit_predict")


def _fit_owners(estimators: list[type], method: str = "fit") -> set[type]:
    """The classes whose own ``__dict__`` defines ``method``, over all of sklearn's estimators."""
    owners: set[type] = set()
    for cls in estimators:
        owner = next((k for k in cls.__mro__ if method in k.__dict__), None)
        if owner is not None and owner.__module__.startswith("sklearn."):
            owners.add(owner)
    return owners


def _fit_data(call: OriginalCall) -> FitData:
    """X, y and sample_weight however the user passed them (positionally or by name)."""
    try:
        bound = inspect.signature(call.function).bind(call.instance, *call.args, **call.kwargs)
        arguments: Mapping[str, Any] = bound.arguments
    except TypeError:
        arguments = {}
    positional = [*list(call.args), None, None]
    return FitData(
        x=arguments.get("X", positional[0]),
        y=arguments.get("y", positional[1]),
        sample_weight=call.kwargs.get("sample_weight"),
    )


def _log_fit(run_id: str, estimator: Any, fit: FitData, config: AutologConfig) -> None:
    log_params(run_id, estimator.get_params(deep=True))
    log_training_metrics(run_id, estimator, fit)
    if config.log_datasets and fit.x is not None:
        log_dataset(run_id, fit)
    if is_search(estimator):
        log_search(run_id, estimator, config)
    if config.log_models:
        log_fitted_model(run_id, estimator, fit, config)


def _fit_hook(call: OriginalCall) -> None:
    """Open (or join) the run, train, then log; the user's fit runs exactly once."""
    config = get_config(INTEGRATION) or AutologConfig()
    tags = run_tags(config, estimator_tags(call.instance))
    with autolog_run(config, tags) as run_id:
        call()
        if run_id is not None:
            post_training.register_model(call.instance, run_id)
            _log_fit(run_id, call.instance, _fit_data(call), config)


def autolog(
    log_models: bool = True,
    log_datasets: bool = True,
    log_input_examples: bool = False,
    log_model_signatures: bool = True,
    disable: bool = False,
    exclusive: bool = False,
    silent: bool = False,
    max_tuning_runs: int | None = 5,
    registered_model_name: str | None = None,
    extra_tags: Mapping[str, Any] | None = None,
    log_post_training_metrics: bool = True,
) -> None:
    """Log every scikit-learn ``fit`` from now on; ``disable=True`` puts ``fit`` back.

    With ``log_post_training_metrics`` a ``sklearn.metrics`` call on an autologged model's
    predictions, or its ``score``, is logged to the run that trained it, as in MLflow.

    >>> import cairn
    >>> cairn.sklearn.autolog(log_models=False)  # doctest: +SKIP
    """
    config = configure(INTEGRATION, locals())
    post_training.configure(INTEGRATION, log_post_training_metrics and not disable)
    if disable:
        unpatch_all(INTEGRATION)
        return
    estimators = _estimators()
    for method in TRAINING_METHODS:
        for owner in _fit_owners(estimators, method):
            patch_method(INTEGRATION, owner, method, _fit_hook)
    post_training.patch_all(INTEGRATION, estimators, metrics=log_post_training_metrics)
