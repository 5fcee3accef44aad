"""XGBoost models, in MLflow's ``xgboost`` flavor layout: the booster in XGBoost's own format.

A ``Booster`` or a scikit-learn-API model (``XGBClassifier``, ``XGBRegressor``...) is written
with its own ``save_model`` as ``model.ubj`` (UBJSON, MLflow's default) or ``model.json``;
``model_class`` records which class to rebuild, so ``load_model`` returns the same kind of
object. Nothing is pickled, so loading never runs code from the model file.

>>> import tempfile
>>> import numpy as np, xgboost as xgb
>>> X, y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0, 0, 1, 1])
>>> path = tempfile.mkdtemp() + "/model"
>>> clf = xgb.XGBClassifier(n_estimators=2).fit(X, y)
>>> _ = save_model(clf, path, pip_requirements=[])
>>> load_model(path).predict(X).tolist() == clf.predict(X).tolist()
True
"""

from __future__ import annotations

import importlib
import inspect
import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from cairn.errors import InvalidParameterValue
from cairn.models import logged
from cairn.models.flavors._distribution import pinned_provider
from cairn.models.mlmodel import PYFUNC, Model, read_model
from cairn.models.saving import (
    SaveOptions,
    copy_code_paths,
    finish_model,
    new_model_dir,
    pyfunc_conf,
)

logger = logging.getLogger(__name__)

FLAVOR = "xgboost"
LOADER_MODULE = "mlflow.xgboost"
#: The formats XGBoost picks by file extension; any other extension (MLflow 2's ``xgb``) is
#: written as UBJSON anyway with a warning, so the file name would lie about its content.
FORMATS = ("ubj", "json")
_BOOSTER_CLASS = "xgboost.core.Booster"


def _signature_from_example(example: Any, predictor: XGBoostPredictor) -> Any:
    """Inputs and outputs, by running the model on the example as MLflow's save does (the
    generic save step can only see the inputs)."""
    from cairn.models.infer import infer_signature_from_example

    return infer_signature_from_example(example, predictor.predict)


def save_model(
    xgb_model: Any,
    path: str | Path,
    model_format: str = "ubj",
    code_paths: Sequence[str] | None = None,
    signature: Any = None,
    input_example: Any = None,
    pip_requirements: Sequence[str] | str | None = None,
    extra_pip_requirements: Sequence[str] | str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Model:
    import xgboost as xgb

    if model_format not in FORMATS:
        raise InvalidParameterValue(
            f"model_format must be one of {', '.join(FORMATS)}; got {model_format!r}."
        )
    if not isinstance(xgb_model, (xgb.Booster, xgb.XGBModel)):
        raise InvalidParameterValue(
            "xgb_model must be an xgboost.Booster or an XGBoost scikit-learn model "
            f"(XGBClassifier, XGBRegressor...); got {type(xgb_model).__name__}."
        )
    root = new_model_dir(path)
    file_name = f"model.{model_format}"
    xgb_model.save_model(str(root / file_name))
    code = copy_code_paths(root, code_paths)
    model_class = type(xgb_model)
    flavors = {
        # MLflow's pyfunc.add_to_model leaves ``code`` out when there is none.
        PYFUNC: pyfunc_conf(LOADER_MODULE, data=file_name, **({"code": code} if code else {})),
        FLAVOR: {
            "xgb_version": xgb.__version__,
            "data": file_name,
            "model_class": f"{model_class.__module__}.{model_class.__name__}",
            "model_format": model_format,
            "code": code,
        },
    }
    if signature is None and input_example is not None:
        signature = _signature_from_example(input_example, XGBoostPredictor(xgb_model))
    options = SaveOptions(
        signature=signature,
        input_example=input_example,
        pip_requirements=pip_requirements,
        extra_pip_requirements=extra_pip_requirements,
        metadata=metadata,
    )
    return finish_model(root, flavors, [pinned_provider("xgboost")], options)


def _model_class(name: str) -> type[Any]:
    """The class ``model_class`` names; only XGBoost models (or subclasses of them from the
    model's code) qualify, so a crafted MLmodel cannot make the loader build anything else."""
    import xgboost as xgb

    module_name, _, class_name = name.rpartition(".")
    try:
        cls = getattr(importlib.import_module(module_name), class_name, None)
    except ImportError as exc:
        raise InvalidParameterValue(
            f"Cannot import the model class {name!r} ({exc}); save its module with the "
            "model's code_paths or install it."
        ) from None
    if not (isinstance(cls, type) and issubclass(cls, (xgb.Booster, xgb.XGBModel))):
        raise InvalidParameterValue(
            f"The model class {name!r} is not an XGBoost Booster or scikit-learn model."
        )
    return cls


def _flavor_conf(root: Path) -> Mapping[str, Any]:
    conf = read_model(root).flavors.get(FLAVOR)
    if conf is None:
        raise InvalidParameterValue(f"The model at {root} has no xgboost flavor.")
    return conf


def _load(root: Path, conf: Mapping[str, Any]) -> Any:
    model = _model_class(str(conf.get("model_class") or _BOOSTER_CLASS))()
    model.load_model(str(root / str(conf["data"])))
    return model


def load_model(model_uri: str | Path, dst_path: str | None = None) -> Any:
    """The Booster or scikit-learn-API model itself, of the class it was saved as."""
    from cairn.models.uri import local_model_dir

    root = Path(local_model_dir(str(model_uri), dst_path))
    conf = _flavor_conf(root)
    code = conf.get("code")
    if code and str(root / code) not in sys.path:
        sys.path.insert(0, str(root / code))  # a subclass from the user's code is importable
    return _load(root, conf)


def _accepted(predict: Callable[..., Any], params: Mapping[str, Any]) -> dict[str, Any]:
    """The params ``predict`` takes; MLflow drops (and logs) the rest, since callers such as
    feature stores pass params meant for other models."""
    parameters = inspect.signature(predict).parameters.values()
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters):
        return dict(params)
    names = {p.name for p in parameters}
    if ignored := sorted(set(params) - names):
        logger.warning(
            "Params %s are not accepted by the xgboost model, ignoring them during predict.",
            ignored,
        )
    return {k: v for k, v in params.items() if k in names}


class XGBoostPredictor:
    """MLflow's ``_XGBModelWrapper``: a Booster gets its input wrapped in a ``DMatrix``, a
    scikit-learn-API model its own ``predict``; both check feature names."""

    def __init__(self, model: Any) -> None:
        self.raw_model = model

    def predict(self, data: Any, params: dict[str, Any] | None = None) -> Any:
        import xgboost as xgb

        kwargs = _accepted(self.raw_model.predict, params or {})
        kwargs = {"validate_features": True, **kwargs}
        if isinstance(self.raw_model, xgb.Booster):
            return self.raw_model.predict(xgb.DMatrix(data), **kwargs)
        return self.raw_model.predict(data, **kwargs)


def load_pyfunc(model_path: Path, conf: Mapping[str, Any]) -> XGBoostPredictor:
    """``model_path`` is the model file named by the pyfunc ``data`` key (MLflow's
    ``_load_pyfunc`` gets the same) or the model directory."""
    root = model_path.parent if model_path.is_file() else model_path
    return XGBoostPredictor(_load(root, _flavor_conf(root)))


def log_model(xgb_model: Any, name: str | None = None, **kwargs: Any) -> logged.ModelInfo:
    """Log ``xgb_model`` as a logged model of the active run (MLflow 3.x ``log_model``).

    Takes ``save_model``'s options and ``run_id``, ``params``, ``tags``, ``model_type``,
    ``step``; load it back with ``load_model(info.model_uri)``.
    """
    return logged.log_model(save_model, xgb_model, name, flavor=FLAVOR, **kwargs)


def autolog(**options: Any) -> None:
    """Autolog ``xgb.train`` and XGBoost scikit-learn ``fit`` (``cairn.xgboost.autolog``).

    The machinery lives in ``cairn.autologging``, a layer above models; it is imported only
    when asked for, so saving and loading models never loads it.
    """
    from cairn.autologging.xgboost import autolog as xgboost_autolog

    xgboost_autolog(**options)
