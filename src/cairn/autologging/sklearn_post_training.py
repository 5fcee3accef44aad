"""Post-training metrics: a ``sklearn.metrics`` call (or ``model.score``) on what an autologged
model predicted is logged to the run that trained the model, under MLflow's keys.

``accuracy_score(y_test, model.predict(X_test))`` logs ``accuracy_score_X_test``; the next
``accuracy_score`` call for that run logs ``accuracy_score-2_<dataset>``, and a second object
predicted under the same variable name becomes ``X_test-2``. ``model.score(X_test, y_test)``
logs ``<EstimatorClass>_score_X_test``. ``metric_info.json`` maps every key to the call that
produced it. The link from a prediction to its run is kept by ``id`` with a ``weakref.finalize``
that forgets it when the prediction dies, and models are weak keys: the tracker never keeps a
user's arrays or models alive, and a model that was not autologged costs one dict look-up.
"""

from __future__ import annotations

import contextlib
import inspect
import sys
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import Any

from cairn.autologging.config import get_config
from cairn.autologging.patching import Hook, OriginalCall, patch_function, patch_method
from cairn.autologging.sklearn_logging import FitData, dataset_of
from cairn.tracking import fluent

#: The inference methods whose results can feed a metric (MLflow's list).
PREDICT_METHODS = ("predict", "predict_proba", "transform", "predict_log_proba")
#: Functions of ``sklearn.metrics`` that build scorers rather than compute a metric.
_NOT_METRICS = frozenset({"check_scoring", "get_scorer", "make_scorer", "get_scorer_names"})
#: scikit-learn helpers that fit and score clones: autologging is off inside them, as in MLflow.
DISABLED_APIS = (
    "cross_validate",
    "cross_val_predict",
    "cross_val_score",
    "learning_curve",
    "permutation_test_score",
    "validation_curve",
)
_UNKNOWN_DATASET = "unknown_dataset"
METRIC_INFO_FILE = "metric_info.json"
_OWN_MODULES = "cairn.autologging"


@dataclass
class _Settings:
    """What ``autolog`` asked for; read by the hooks at call time."""

    enabled: bool = False
    integration: str = "sklearn"


_SETTINGS = _Settings()


def configure(integration: str, enabled: bool) -> None:
    _SETTINGS.integration = integration
    _SETTINGS.enabled = enabled


class _Tracker:
    """Which run trained a model and which run / dataset a prediction came from.

    Holds ids, run ids and short strings only. Dataset slots of dead objects become ``None``
    rather than being removed, so a later object never inherits another one's ``-n`` suffix.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()  # finalizers may run while it is held
        self._models: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
        self._predictions: dict[int, tuple[str, str]] = {}
        self._datasets: dict[tuple[str, str], list[int | None]] = {}
        self._calls: dict[str, dict[str, list[tuple[str, str]]]] = {}

    def register_model(self, model: Any, run_id: str) -> None:
        # A model neither hashable nor weakly referable is not tracked: no post-training metrics.
        with contextlib.suppress(TypeError):
            self._models[model] = run_id

    def run_of(self, model: Any) -> str | None:
        try:
            return self._models.get(model)
        except TypeError:
            return None

    def dataset_name(self, run_id: str, dataset: Any, var_name: str) -> str:
        """``var_name``, or ``var_name-<n>`` for the n-th object seen under that name."""
        key = (run_id, var_name)
        with self._lock:
            slots = self._datasets.setdefault(key, [])
            if id(dataset) in slots:
                return _with_index(var_name, slots.index(id(dataset)))
            slots.append(id(dataset))
            index = len(slots) - 1
        _on_death(dataset, self._forget_dataset, key, index)
        return _with_index(var_name, index)

    def _forget_dataset(self, key: tuple[str, str], index: int) -> None:
        with self._lock:
            self._datasets[key][index] = None

    def register_prediction(self, result: Any, run_id: str, dataset_name: str) -> None:
        """Remember ``result`` only while it lives: a recycled id must not point at a run."""
        with self._lock:
            self._predictions[id(result)] = (run_id, dataset_name)
        if not _on_death(result, self._forget_prediction, id(result)):
            self._forget_prediction(id(result))  # cannot tell when it dies: do not track it

    def _forget_prediction(self, key: int) -> None:
        with self._lock:
            self._predictions.pop(key, None)

    def source_of(self, arguments: Iterable[Any]) -> tuple[str, str] | None:
        """(run id, dataset name) of the first argument that is a tracked prediction."""
        if not self._predictions:
            return None
        for argument in arguments:
            if argument is not None and id(argument) in self._predictions:
                return self._predictions.get(id(argument))
        return None

    def register_call(
        self, run_id: str, metric: str, dataset_name: str, command: str
    ) -> tuple[str, dict[str, str]]:
        """The metric's key (``name[-n]_dataset``) and the run's whole key -> call table."""
        with self._lock:
            calls = self._calls.setdefault(run_id, {}).setdefault(metric, [])
            key = f"{_with_index(metric, len(calls))}_{dataset_name}"
            calls.append((key, command))
            table = sorted(c for per_metric in self._calls[run_id].values() for c in per_metric)
        return key, dict(table)


TRACKER = _Tracker()


def _with_index(name: str, index: int) -> str:
    """``name`` for the first, ``name-2``, ``name-3``... after ('-' is no Python name)."""
    return name if index == 0 else f"{name}-{index + 1}"


def _on_death(obj: Any, callback: Callable[..., None], *args: Any) -> bool:
    try:
        weakref.finalize(obj, callback, *args)
    except TypeError:
        return False
    return True


def register_model(model: Any, run_id: str) -> None:
    """Called after an autologged ``fit``: the model's later metrics go to ``run_id``."""
    if _SETTINGS.enabled:
        TRACKER.register_model(model, run_id)


def _user_frame() -> FrameType | None:
    """The innermost frame outside autologging (the patched wrapper, the hooks)."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith(_OWN_MODULES):
        frame = frame.f_back
    return frame


def _frame_arguments(frame: FrameType) -> list[Any]:
    info = inspect.getargvalues(frame)
    values = [info.locals[name] for name in info.args]
    if info.varargs:
        values.extend(info.locals[info.varargs])
    if info.keywords:
        values.extend(info.locals[info.keywords].values())
    return values


def var_name(value: Any, fallback: str) -> str:
    """The caller's variable name for ``value`` (MLflow's ``_inspect_original_var_name``):
    frames that got ``value`` as an argument pass the question to their caller."""
    if value is None:
        return fallback
    frame = _user_frame()
    try:
        while frame is not None:
            if any(value is argument for argument in _frame_arguments(frame)):
                frame = frame.f_back
                continue
            return next((k for k, v in frame.f_locals.items() if v is value), fallback)
    except Exception:
        return fallback
    finally:
        del frame
    return fallback


def _argument_text(value: Any) -> str:
    import numpy as np

    if value is None or np.isscalar(value):
        if isinstance(value, str) and len(value) > 32:
            return repr(value[:32] + "...")
        return repr(value)
    return var_name(value, f"<{type(value).__name__}>")


def call_command(
    label: str, function: Callable[..., Any], instance: Any, call: OriginalCall
) -> str:
    """``label(arg=name, ...)``: how ``metric_info.json`` shows the call (MLflow's format)."""
    names = list(inspect.signature(function).parameters)[1 if instance is not None else 0 :]
    parts = [f"{name}={_argument_text(arg)}" for name, arg in zip(names, call.args, strict=False)]
    parts += [f"{name}={_argument_text(arg)}" for name, arg in call.kwargs.items()]
    return f"{label}({', '.join(parts)})"


def _loggable(value: Any) -> bool:
    import numpy as np

    return isinstance(value, int | float | np.number) and not isinstance(value, bool)


def _first_argument(call: OriginalCall) -> Any:
    """The data argument of ``predict(X)`` / ``score(X, y)``, positional or by name."""
    if call.args:
        return call.args[0]
    names = list(inspect.signature(call.function).parameters)
    return call.kwargs.get(names[1]) if len(names) > 1 else None


def _log_metric(run_id: str, metric: str, dataset_name: str, command: str, value: Any) -> None:
    key, table = TRACKER.register_call(run_id, metric, dataset_name, command)
    client = fluent.client()
    client.log_metric(run_id, key, float(value))
    client.log_dict(run_id, table, METRIC_INFO_FILE)


def _tracked_run(call: OriginalCall) -> str | None:
    return TRACKER.run_of(call.instance) if _SETTINGS.enabled else None


def _log_eval_dataset(run_id: str, dataset: Any) -> None:
    """The predicted data as an ``eval`` input of the run (numpy or pandas, as MLflow)."""
    pandas = sys.modules.get("pandas")
    import numpy as np

    is_frame = pandas is not None and isinstance(dataset, pandas.DataFrame)
    if is_frame or isinstance(dataset, np.ndarray):
        fluent.client().log_input(run_id, dataset_of(FitData(dataset)), context="eval")


def predict_hook(call: OriginalCall) -> None:
    """Run ``predict``; remember which run and dataset its result came from."""
    run_id = _tracked_run(call)
    if run_id is None:
        return
    result = call()
    dataset = _first_argument(call)
    name = TRACKER.dataset_name(run_id, dataset, var_name(dataset, _UNKNOWN_DATASET))
    TRACKER.register_prediction(result, run_id, name)
    config = get_config(_SETTINGS.integration)
    if config is not None and config.log_datasets:
        _log_eval_dataset(run_id, dataset)


def score_hook(call: OriginalCall) -> None:
    """Run ``model.score``; log it as ``<Class>_score_<dataset>`` to the model's run."""
    run_id = _tracked_run(call)
    if run_id is None:
        return
    value = call()
    if not _loggable(value):
        return
    cls = type(call.instance).__name__
    label = f"{cls}.{call.function.__name__}"
    command = call_command(label, call.function, call.instance, call)
    dataset = _first_argument(call)
    name = TRACKER.dataset_name(run_id, dataset, var_name(dataset, _UNKNOWN_DATASET))
    _log_metric(run_id, f"{cls}_score", name, command, value)


def metric_hook(name: str, function: Callable[..., Any]) -> Hook:
    """The hook of ``sklearn.metrics.<name>``: log it when an argument is a prediction."""

    def hook(call: OriginalCall) -> None:
        if not _SETTINGS.enabled:
            return
        value = call()
        if not _loggable(value):
            return
        source = TRACKER.source_of([*call.args, *call.kwargs.values()])
        if source is None:
            return
        run_id, dataset_name = source
        command = call_command(name, function, None, call)
        _log_metric(run_id, name, dataset_name, command, value)

    return hook


def metric_names() -> list[str]:
    """The functions of ``sklearn.metrics.__all__`` that compute something (MLflow's set)."""
    from sklearn import metrics

    return [
        name
        for name in metrics.__all__
        if name not in _NOT_METRICS
        and not name.startswith("plot_")
        and callable(getattr(metrics, name))
        and not inspect.isclass(getattr(metrics, name))
    ]


def _patch_estimator_method(integration: str, cls: type, name: str, hook: Hook) -> None:
    """Patch the class that defines ``name``: a plain method, or the ``fn`` behind an
    ``available_if`` descriptor (so ``hasattr(pipeline, "predict_proba")`` stays honest)."""
    owner = next((k for k in cls.__mro__ if name in k.__dict__), None)
    if owner is None or not owner.__module__.startswith("sklearn."):
        return
    raw = owner.__dict__[name]
    if inspect.isfunction(raw):
        patch_method(integration, owner, name, hook)
    elif inspect.isfunction(getattr(raw, "fn", None)) and hasattr(raw, "check"):
        patch_method(integration, raw, "fn", hook)


def _pass_through(call: OriginalCall) -> None:
    call()  # everything it calls runs nested, so straight to the originals


def patch_all(integration: str, estimators: Sequence[type], metrics: bool) -> None:
    """Patch inference and ``score`` of ``estimators``, the CV helpers and, with ``metrics``,
    every metric function (MLflow leaves them alone when post-training metrics are off)."""
    import sklearn.metrics
    import sklearn.model_selection

    for cls in estimators:
        for name in PREDICT_METHODS:
            _patch_estimator_method(integration, cls, name, predict_hook)
        _patch_estimator_method(integration, cls, "score", score_hook)
    for name in DISABLED_APIS:
        patch_function(integration, sklearn.model_selection, name, _pass_through)
    if metrics:
        for name in metric_names():
            function = getattr(sklearn.metrics, name)
            patch_function(integration, sklearn.metrics, name, metric_hook(name, function))
