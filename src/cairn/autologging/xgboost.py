"""XGBoost autologging: every outermost ``xgb.train`` and scikit-learn-API ``fit``.

``xgboost.train`` is patched as a module function and gets one extra callback that collects
the eval metrics of each iteration; they are written in batches (at the end, or every
``FLUSH_SECONDS`` while a long training runs) because one store write per iteration would
cost more than a small boosting round. The scikit-learn API (``XGBModel.fit`` and the
subclasses that override it) calls XGBoost's internal ``train``, so its metrics come from
``evals_result_`` after ``fit``; only the outermost call logs (see ``patching``).
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cairn.autologging.config import AutologConfig, configure, get_config
from cairn.autologging.metric_rows import log_rows
from cairn.autologging.patching import (
    OriginalCall,
    patch_function,
    patch_method,
    unpatch_all,
    warn_failure,
)
from cairn.autologging.runs import autolog_run, run_tags
from cairn.autologging.sklearn_logging import estimator_tags, log_params
from cairn.autologging.xgboost_logging import (
    History,
    Trained,
    dmatrix_data,
    history_from_evals_result,
    log_trained,
)

INTEGRATION = "xgboost"
#: Seconds between metric writes during a long ``xgb.train``; the rest is written at the end.
FLUSH_SECONDS = 10.0
#: ``xgb.train`` arguments MLflow does not log as params (data, functions, callbacks).
UNLOGGED_ARGS = frozenset(
    {"params", "dtrain", "evals", "obj", "feval", "evals_result", "xgb_model", "callbacks"}
    | {"learning_rates"}
)
_IMPORTANCE_TYPES: list[str] = ["weight"]


def _log_safely(step: Callable[[], None]) -> None:
    """Training succeeded: a logging failure is a warning and the run still ends FINISHED."""
    try:
        step()
    except Exception as exc:
        warn_failure(INTEGRATION, exc)


def _collector(run_id: str) -> Any:
    """A ``TrainingCallback`` keeping each iteration's eval metrics (built lazily so importing
    this module does not import XGBoost)."""
    from xgboost.callback import TrainingCallback

    class Collector(TrainingCallback):
        def __init__(self) -> None:
            super().__init__()
            self.history: History = []
            self.logged = 0
            self.first_epoch = 0
            self.broken = False
            self.last_flush = time.monotonic()

        def after_iteration(self, model: Any, epoch: int, evals_log: Any) -> bool:
            if self.broken:
                return False
            try:
                self._collect(epoch, evals_log)
            except Exception as exc:
                self.broken = True
                warn_failure(INTEGRATION, exc)
            return False  # never asks XGBoost to stop

        def _collect(self, epoch: int, evals_log: Mapping[str, Mapping[str, Any]]) -> None:
            if not self.history:
                self.first_epoch = epoch
            self.history.append(
                {
                    f"{name}-{metric}": float(_last(values))
                    for name, metrics in evals_log.items()
                    for metric, values in metrics.items()
                }
            )
            if time.monotonic() - self.last_flush > FLUSH_SECONDS:
                self.flush()

        def flush(self) -> None:
            rest = self.history[self.logged :]
            log_rows(run_id, enumerate(rest, start=self.first_epoch + self.logged))
            self.logged = len(self.history)
            self.last_flush = time.monotonic()

    return Collector()


def _last(values: Sequence[Any]) -> Any:
    """The newest value; ``xgb.cv`` style ``(mean, std)`` pairs give their mean."""
    value = values[-1]
    return value[0] if isinstance(value, tuple) else value


def _train_arguments(call: OriginalCall) -> dict[str, Any]:
    """``xgb.train``'s arguments by name, defaults included (MLflow logs those too)."""
    from xgboost import training

    bound = inspect.signature(training.train).bind(*call.args, **call.kwargs)
    bound.apply_defaults()
    return dict(bound.arguments)


def _train_params(arguments: Mapping[str, Any]) -> dict[str, Any]:
    params = {k: v for k, v in arguments.items() if k not in UNLOGGED_ARGS}
    return {**dict(arguments.get("params") or {}), **params}


def _add_collector(call: OriginalCall, arguments: Mapping[str, Any], collector: Any) -> bool:
    """Add the collector to the user's callbacks, unless they were passed positionally (old
    XGBoost), where a keyword would change the user's call."""
    from xgboost import training

    names = list(inspect.signature(training.train).parameters)
    if names.index("callbacks") < len(call.args):
        return False
    call.kwargs["callbacks"] = [*(arguments.get("callbacks") or []), collector]
    return True


def _train_hook(call: OriginalCall) -> None:
    """Log params, train with the collector, then log metrics, importance, data, model."""
    config = get_config(INTEGRATION) or AutologConfig()
    with autolog_run(config, run_tags(config, {})) as run_id:
        if run_id is None:
            return
        arguments = _train_arguments(call)
        log_params(run_id, _train_params(arguments))
        collector = _collector(run_id)
        collecting = _add_collector(call, arguments, collector)
        booster = call()
        history = collector.history if collecting else []
        _log_safely(lambda: _log_train(run_id, booster, arguments, history, collector.logged))


def _log_train(
    run_id: str, booster: Any, arguments: Mapping[str, Any], history: History, logged: int
) -> None:
    config = get_config(INTEGRATION) or AutologConfig()
    x = y = rows = None
    if config.log_datasets or config.log_models:
        x, y, rows = dmatrix_data(arguments["dtrain"])
    trained = Trained(
        booster=booster,
        model=booster,
        history=history,
        early_stopping=arguments.get("early_stopping_rounds") is not None,
        x=x,
        y=y,
        logged=logged,
        rows=rows,
    )
    log_trained(run_id, trained, config, _IMPORTANCE_TYPES)


def _fit_hook(call: OriginalCall) -> None:
    """The scikit-learn API: params as ``get_params``, metrics from ``evals_result_``."""
    config = get_config(INTEGRATION) or AutologConfig()
    estimator = call.instance
    with autolog_run(config, run_tags(config, estimator_tags(estimator))) as run_id:
        if run_id is None:
            return
        log_params(run_id, estimator.get_params(deep=True))
        call()
        _log_safely(lambda: _log_fit(run_id, call, config))


def _log_fit(run_id: str, call: OriginalCall, config: AutologConfig) -> None:
    estimator = call.instance
    x = call.kwargs.get("X", call.args[0] if call.args else None)
    y = call.kwargs.get("y", call.args[1] if len(call.args) > 1 else None)
    trained = Trained(
        booster=estimator.get_booster(),
        model=estimator,
        history=history_from_evals_result(getattr(estimator, "evals_result_", None) or {}),
        early_stopping=getattr(estimator, "early_stopping_rounds", None) is not None,
        x=x,
        y=y,
    )
    log_trained(run_id, trained, config, _IMPORTANCE_TYPES)


def _fit_owners() -> list[type]:
    """``XGBModel`` and its XGBoost subclasses that define their own ``fit``."""
    import xgboost as xgb

    pending: list[type] = [xgb.XGBModel]
    owners: list[type] = []
    while pending:
        cls = pending.pop()
        if cls.__module__.startswith("xgboost.") and "fit" in cls.__dict__:
            owners.append(cls)
        pending.extend(cls.__subclasses__())
    return owners


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
    importance_types: Sequence[str] | None = None,
) -> None:
    """Log every ``xgb.train`` and XGBoost scikit-learn ``fit``; ``disable=True`` undoes it.

    ``importance_types`` (MLflow's option, default ``["weight"]``) picks the
    ``Booster.get_score`` types logged as ``feature_importance_<type>.json``.
    """
    import xgboost

    configure(INTEGRATION, locals())
    _IMPORTANCE_TYPES[:] = list(importance_types or ["weight"])
    if disable:
        unpatch_all(INTEGRATION)
        return
    patch_function(INTEGRATION, xgboost, "train", _train_hook)
    for owner in _fit_owners():
        patch_method(INTEGRATION, owner, "fit", _fit_hook)
