"""cairn: track experiments, package models, speak MLflow's protocol, faster.

>>> import cairn
>>> with cairn.start_run(run_name="baseline"):  # doctest: +SKIP
...     cairn.log_param("lr", 0.01)
...     cairn.log_metric("loss", 0.42, step=1)

Importing cairn loads no heavy library (SQLAlchemy, pandas, numpy...): they load on first use.
The model modules load on first access too, under MLflow's names:

>>> import cairn
>>> cairn.sklearn.__name__
'cairn.models.flavors.sklearn'
"""

import importlib as _importlib
import sys as _sys
import typing as _typing

from cairn import data
from cairn.entities import RunStatus, ViewType
from cairn.tracking.client import CairnClient
from cairn.tracking.fluent import (
    ActiveRun,
    active_run,
    disable_system_metrics_logging,
    enable_system_metrics_logging,
    end_run,
    flush,
    get_registry_uri,
    get_tracking_uri,
    last_active_run,
    set_experiment,
    set_registry_uri,
    set_tracking_uri,
    start_run,
)
from cairn.tracking.fluent_log import (
    create_experiment,
    delete_experiment,
    delete_tag,
    get_experiment,
    get_experiment_by_name,
    get_run,
    log_artifact,
    log_artifacts,
    log_dict,
    log_figure,
    log_image,
    log_input,
    log_metric,
    log_metrics,
    log_param,
    log_params,
    log_text,
    search_experiments,
    search_runs,
    set_tag,
    set_tags,
)
from cairn.version import __version__

if _typing.TYPE_CHECKING:
    from cairn.autologging import autolog
    from cairn.tracking.registration import register_model

__all__ = [
    "ActiveRun",
    "CairnClient",
    "RunStatus",
    "ViewType",
    "__version__",
    "active_run",
    "autolog",
    "create_experiment",
    "data",
    "delete_experiment",
    "delete_tag",
    "disable_system_metrics_logging",
    "enable_system_metrics_logging",
    "end_run",
    "flush",
    "get_experiment",
    "get_experiment_by_name",
    "get_registry_uri",
    "get_run",
    "get_tracking_uri",
    "last_active_run",
    "log_artifact",
    "log_artifacts",
    "log_dict",
    "log_figure",
    "log_image",
    "log_input",
    "log_metric",
    "log_metrics",
    "log_param",
    "log_params",
    "log_text",
    "register_model",
    "search_experiments",
    "search_runs",
    "set_experiment",
    "set_registry_uri",
    "set_tag",
    "set_tags",
    "set_tracking_uri",
    "start_run",
]

#: ``cairn.<name>`` -> the module it loads on first access (``from cairn import sklearn``).
_LAZY_MODULES = {
    "pyfunc": "cairn.models.pyfunc",
    "sklearn": "cairn.models.flavors.sklearn",
    "xgboost": "cairn.models.flavors.xgboost",
    "lightgbm": "cairn.models.flavors.lightgbm",
    "onnx": "cairn.models.flavors.onnx",
    "pytorch": "cairn.models.flavors.pytorch",
    "transformers": "cairn.models.flavors.transformers",
}


#: ``cairn.<name>`` -> the module defining it, imported on first access.
_LAZY_ATTRIBUTES = {
    "autolog": "cairn.autologging",
    "register_model": "cairn.tracking.registration",
}


def __getattr__(name: str) -> _typing.Any:
    """Load a model module (or a function that needs one) on first access, so ``import
    cairn`` stays light."""
    if name in _LAZY_ATTRIBUTES:
        value = getattr(_importlib.import_module(_LAZY_ATTRIBUTES[name]), name)
        globals()[name] = value
        return value
    target = _LAZY_MODULES.get(name)
    if target is None:
        raise AttributeError(f"module 'cairn' has no attribute {name!r}")
    try:
        module = _importlib.import_module(target)
    except ModuleNotFoundError as exc:
        if exc.name != target:
            raise  # the module exists but something it needs is missing: say what
        raise AttributeError(f"module 'cairn' has no attribute {name!r} yet") from exc
    globals()[name] = module
    _sys.modules.setdefault(f"cairn.{name}", module)  # `import cairn.sklearn` works afterwards
    return module
