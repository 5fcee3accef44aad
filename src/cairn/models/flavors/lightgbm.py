"""LightGBM models, in MLflow's ``lightgbm`` flavor layout.

A ``Booster`` is written in LightGBM's own text format (``model.lgb``); a scikit-learn-API
model (``LGBMClassifier``, ``LGBMRegressor``...) is serialized as the ``sklearn`` flavor does
(``model.pkl`` or ``model.skops``). As for scikit-learn, cairn writes cloudpickle by default:
MLflow 2's lightgbm loader reads only that, while MLflow 3 reads all three formats. With
skops, the flavor config lists LightGBM's own classes as trusted, as MLflow does.

>>> import tempfile
>>> import numpy as np, lightgbm as lgb
>>> X, y = np.arange(40.0).reshape(20, 2), np.arange(20.0)
>>> booster = lgb.train({"verbose": -1}, lgb.Dataset(X, y), num_boost_round=2)
>>> path = tempfile.mkdtemp() + "/model"
>>> _ = save_model(booster, path, pip_requirements=[])
>>> load_model(path).predict(X).tolist() == booster.predict(X).tolist()
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cairn.errors import InvalidParameterValue
from cairn.models import logged
from cairn.models.flavors import sklearn as sklearn_flavor
from cairn.models.flavors._distribution import pinned_provider
from cairn.models.mlmodel import PYFUNC, Model, read_model
from cairn.models.saving import (
    SaveOptions,
    copy_code_paths,
    finish_model,
    new_model_dir,
    pyfunc_conf,
)

FLAVOR = "lightgbm"
LOADER_MODULE = "mlflow.lightgbm"
FORMATS = sklearn_flavor.FORMATS
_BOOSTER_CLASS = "lightgbm.basic.Booster"
#: What MLflow adds to ``skops_trusted_types`` for a skops file (its order is a set's; cairn
#: sorts the list so the same model always gives the same MLmodel).
SKOPS_TRUSTED_TYPES = (
    "collections.OrderedDict",
    "lightgbm.basic.Booster",
    "lightgbm.sklearn.LGBMClassifier",
    "lightgbm.sklearn.LGBMRegressor",
)


def _requirements(is_booster: bool, fmt: str) -> list[str]:
    needed = ["lightgbm"]
    if not is_booster and fmt in ("cloudpickle", "skops"):
        needed.append(fmt)  # the booster's text file needs neither
    return [pinned_provider(name) for name in needed]


def _check(lgb_model: Any, fmt: str) -> bool:
    """Whether the model is a Booster; anything but a LightGBM model or format is refused."""
    import lightgbm as lgb

    if fmt not in FORMATS:
        raise InvalidParameterValue(
            f"serialization_format must be one of {', '.join(FORMATS)}; got {fmt!r}."
        )
    if not isinstance(lgb_model, (lgb.Booster, lgb.LGBMModel)):
        raise InvalidParameterValue(
            "lgb_model must be a lightgbm.Booster or a LightGBM scikit-learn model "
            f"(LGBMClassifier, LGBMRegressor...); got {type(lgb_model).__name__}."
        )
    return isinstance(lgb_model, lgb.Booster)


def _signature_from_example(example: Any, predictor: LightGBMPredictor) -> Any:
    """Inputs and outputs, by running the model on the example as MLflow's save does (the
    generic save step can only see the inputs)."""
    from cairn.models.infer import infer_signature_from_example

    return infer_signature_from_example(example, predictor.predict)


def save_model(
    lgb_model: Any,
    path: str | Path,
    serialization_format: str = "cloudpickle",
    code_paths: Sequence[str] | None = None,
    signature: Any = None,
    input_example: Any = None,
    pip_requirements: Sequence[str] | str | None = None,
    extra_pip_requirements: Sequence[str] | str | None = None,
    metadata: Mapping[str, Any] | None = None,
    skops_trusted_types: Sequence[str] | None = None,
) -> Model:
    import lightgbm as lgb

    is_booster = _check(lgb_model, serialization_format)
    root = new_model_dir(path)
    file_name = "model.lgb" if is_booster else sklearn_flavor._FILES[serialization_format]
    if is_booster:
        lgb_model.save_model(str(root / file_name))
    else:
        sklearn_flavor._dump(lgb_model, root / file_name, serialization_format)
    trusted = list(skops_trusted_types) if skops_trusted_types else None
    if serialization_format == "skops":
        trusted = sorted(set(SKOPS_TRUSTED_TYPES).union(trusted or ()))
    code = copy_code_paths(root, code_paths)
    model_class = type(lgb_model)
    flavors = {
        # MLflow's pyfunc.add_to_model leaves ``code`` out when there is none.
        PYFUNC: pyfunc_conf(LOADER_MODULE, data=file_name, **({"code": code} if code else {})),
        FLAVOR: {
            "lgb_version": lgb.__version__,
            "data": file_name,
            "model_class": f"{model_class.__module__}.{model_class.__name__}",
            "code": code,
            "serialization_format": serialization_format,
            "skops_trusted_types": trusted,
        },
    }
    if signature is None and input_example is not None:
        signature = _signature_from_example(input_example, LightGBMPredictor(lgb_model))
    options = SaveOptions(
        signature=signature,
        input_example=input_example,
        pip_requirements=pip_requirements,
        extra_pip_requirements=extra_pip_requirements,
        metadata=metadata,
    )
    return finish_model(root, flavors, _requirements(is_booster, serialization_format), options)


def _flavor_conf(root: Path) -> Mapping[str, Any]:
    conf = read_model(root).flavors.get(FLAVOR)
    if conf is None:
        raise InvalidParameterValue(f"The model at {root} has no lightgbm flavor.")
    return conf


def _load(root: Path, conf: Mapping[str, Any]) -> Any:
    path = root / str(conf["data"])
    if (conf.get("model_class") or _BOOSTER_CLASS) == _BOOSTER_CLASS:
        import lightgbm as lgb

        return lgb.Booster(model_file=str(path))
    return sklearn_flavor._load_file(path, conf)  # MLflow 2 wrote no format: cloudpickle


def load_model(model_uri: str | Path, dst_path: str | None = None) -> Any:
    """The Booster or scikit-learn-API model itself (not wrapped)."""
    from cairn.models.uri import local_model_dir

    root = Path(local_model_dir(str(model_uri), dst_path))
    return _load(root, _flavor_conf(root))


class LightGBMPredictor:
    """MLflow's ``_LGBModelWrapper``: the model's own ``predict``; params are not passed on."""

    def __init__(self, model: Any) -> None:
        self.raw_model = model

    def predict(self, data: Any, params: dict[str, Any] | None = None) -> Any:
        return self.raw_model.predict(data)


def load_pyfunc(model_path: Path, conf: Mapping[str, Any]) -> LightGBMPredictor:
    """``model_path`` is the model file named by the pyfunc ``data`` key (MLflow's
    ``_load_pyfunc`` gets the same) or the model directory."""
    root = model_path.parent if model_path.is_file() else model_path
    return LightGBMPredictor(_load(root, _flavor_conf(root)))


def log_model(lgb_model: Any, name: str | None = None, **kwargs: Any) -> logged.ModelInfo:
    """Log ``lgb_model`` as a logged model of the active run (MLflow 3.x ``log_model``).

    Takes ``save_model``'s options and ``run_id``, ``params``, ``tags``, ``model_type``,
    ``step``; load it back with ``load_model(info.model_uri)``.
    """
    return logged.log_model(save_model, lgb_model, name, flavor=FLAVOR, **kwargs)


def autolog(**options: Any) -> None:
    """Autolog ``lightgbm.train`` and sklearn-API ``fit`` (``cairn.lightgbm.autolog``).

    The machinery lives in ``cairn.autologging``, a layer above models; it is imported only
    when asked for, so saving and loading models never loads it.
    """
    from cairn.autologging.lightgbm import autolog as lightgbm_autolog

    lightgbm_autolog(**options)
