"""LightGBM autologging: ``lightgbm.train`` and the scikit-learn API (``LGBMClassifier.fit``...).

Both paths add an ``EvalRecorder`` to the user's callbacks (a new list: the user's is never
mutated) and log after training. ``LGBMModel.fit`` calls LightGBM's ``train`` internally and,
for classifiers, scikit-learn's ``LabelEncoder.fit``; the nesting guard of ``patching`` sends
those inner calls straight to the original, so one ``fit`` is one run, logged by this
integration even when scikit-learn autologging is on too.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from cairn.autologging.config import AutologConfig, configure, get_config
from cairn.autologging.lightgbm_logging import (
    INTEGRATION,
    EvalRecorder,
    log_eval_metrics,
    log_feature_importance,
    log_lgb_model,
    log_training_data,
)
from cairn.autologging.patching import OriginalCall, patch_function, patch_method, unpatch_all
from cairn.autologging.runs import autolog_run, run_tags
from cairn.autologging.sklearn_logging import estimator_tags, log_params

#: ``train`` arguments MLflow's lightgbm autolog leaves out of the params (data, callables).
_UNLOGGED_TRAIN_ARGS = frozenset(
    {
        "params",
        "train_set",
        "valid_sets",
        "valid_names",
        "fobj",
        "feval",
        "init_model",
        "learning_rates",
        "callbacks",
    }
)


def _with_recorder(
    call: OriginalCall, function: Callable[..., Any], recorder: EvalRecorder
) -> dict[str, Any]:
    """Put ``recorder`` after the user's callbacks in the pending call; return its arguments
    (defaults filled in) for logging. ``function`` is the real signature to bind against."""
    leading = () if call.instance is None else (call.instance,)
    bound = inspect.signature(function).bind(*leading, *call.args, **call.kwargs)
    bound.arguments["callbacks"] = [*(bound.arguments.get("callbacks") or ()), recorder]
    call.args, call.kwargs = bound.args[len(leading) :], bound.kwargs
    bound.apply_defaults()
    return dict(bound.arguments)


def _train_params(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The booster params plus ``train``'s other plain arguments (``num_boost_round``...)."""
    rest = {k: v for k, v in arguments.items() if k not in _UNLOGGED_TRAIN_ARGS}
    return {**dict(arguments.get("params") or {}), **rest}


def _log_trained(
    run_id: str, model: Any, booster: Any, recorder: EvalRecorder, data: tuple[Any, Any]
) -> None:
    config = get_config(INTEGRATION) or AutologConfig()
    log_eval_metrics(run_id, recorder, int(booster.best_iteration or 0))
    log_feature_importance(run_id, booster)
    if config.log_datasets:
        log_training_data(run_id, *data)
    if config.log_models:
        log_lgb_model(run_id, model, data[0], config)


def _train_hook(call: OriginalCall) -> None:
    """``lgb.train``: the Dataset's raw data is read before training, because LightGBM frees
    it (``free_raw_data``) once the Dataset is constructed."""
    from lightgbm import engine

    config = get_config(INTEGRATION) or AutologConfig()
    recorder = EvalRecorder()
    arguments = _with_recorder(call, engine.train, recorder)
    train_set = arguments.get("train_set")
    data = (getattr(train_set, "data", None), getattr(train_set, "label", None))
    with autolog_run(config, run_tags(config, {})) as run_id:
        if run_id is not None:
            log_params(run_id, _train_params(arguments))
        booster = call()
        if run_id is not None:
            _log_trained(run_id, booster, booster, recorder, data)


def _fit_hook(call: OriginalCall) -> None:
    """``LGBMModel.fit`` and subclasses: the estimator's params, then what training gave."""
    config = get_config(INTEGRATION) or AutologConfig()
    recorder = EvalRecorder()
    arguments = _with_recorder(call, call.function, recorder)
    model = call.instance
    with autolog_run(config, run_tags(config, estimator_tags(model))) as run_id:
        if run_id is not None:
            log_params(run_id, model.get_params())
        call()
        if run_id is not None:
            data = (arguments.get("X"), arguments.get("y"))
            _log_trained(run_id, model, model.booster_, recorder, data)


def _fit_owners() -> list[type]:
    """LightGBM's sklearn-API classes that define ``fit`` themselves."""
    import lightgbm as lgb

    classes = (lgb.LGBMModel, lgb.LGBMClassifier, lgb.LGBMRegressor, lgb.LGBMRanker)
    return [cls for cls in classes if "fit" in cls.__dict__]


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
) -> None:
    """Log every ``lightgbm.train`` and sklearn-API ``fit``; ``disable=True`` puts them back.

    >>> import cairn
    >>> cairn.lightgbm.autolog(log_models=False)  # doctest: +SKIP
    """
    import lightgbm as lgb

    config = configure(INTEGRATION, locals())
    if disable:
        unpatch_all(INTEGRATION)
        return
    patch_function(INTEGRATION, lgb, "train", _train_hook)
    for owner in _fit_owners():
        patch_method(INTEGRATION, owner, "fit", _fit_hook)
