"""``python_function``: load any model by URI and call ``predict(data, params=None)``.

The loader reads ``MLmodel``, picks the flavor module named by ``loader_module`` (MLflow's
names map onto cairn's own flavor modules, so MLflow-saved models load without MLflow's
code), and wraps the result so the signature is enforced on every call: columns are put in
order, safe casts applied, and a wrong or missing input fails with the column's name.

>>> import tempfile
>>> class Double(PythonModel):
...     def predict(self, context, model_input, params=None):
...         return [2 * x for x in model_input]
>>> path = tempfile.mkdtemp() + "/m"
>>> _ = save_model(path, python_model=Double(), pip_requirements=[])
>>> load_model(path).predict([1, 2])
[2, 4]
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from cairn.errors import InvalidParameterValue
from cairn.models import logged
from cairn.models import python_model as pm
from cairn.models.mlmodel import PYFUNC, Model, read_model
from cairn.models.python_model import PythonModel, PythonModelContext
from cairn.models.saving import (
    SaveOptions,
    copy_code_paths,
    finish_model,
    new_model_dir,
    pyfunc_conf,
)

__all__ = [
    "PyFuncModel",
    "PythonModel",
    "PythonModelContext",
    "load_model",
    "log_model",
    "save_model",
]

#: MLflow's loader modules and the cairn module that loads the same files.
LOADERS = {
    "mlflow.pyfunc.model": "cairn.models.python_model",
    "mlflow.sklearn": "cairn.models.flavors.sklearn",
    "mlflow.xgboost": "cairn.models.flavors.xgboost",
    "mlflow.lightgbm": "cairn.models.flavors.lightgbm",
    "mlflow.pytorch": "cairn.models.flavors.pytorch",
    "mlflow.onnx": "cairn.models.flavors.onnx",
}


class Predictor(Protocol):
    def predict(self, data: Any, params: dict[str, Any] | None = None) -> Any: ...


class PyFuncModel:
    """A loaded model: ``predict`` with schema enforcement, and the ``MLmodel`` metadata."""

    def __init__(self, metadata: Model, predictor: Predictor, model_dir: Path) -> None:
        self.metadata = metadata
        self.model_dir = model_dir
        self._predictor = predictor
        self._signature: Any = None
        if metadata.signature:
            from cairn.models.signature import ModelSignature

            self._signature = ModelSignature.from_dict(metadata.signature)

    @property
    def signature(self) -> Any:
        return self._signature

    def predict(self, data: Any, params: dict[str, Any] | None = None) -> Any:
        if self._signature is not None:
            from cairn.models.enforcement import enforce_params, enforce_schema

            if self._signature.inputs is not None:
                data = enforce_schema(data, self._signature.inputs)
            if self._signature.params is not None:
                params = enforce_params(params, self._signature.params)
        return self._predictor.predict(data, params=params)

    def unwrap_python_model(self) -> Any:
        """The user's ``PythonModel`` object of a custom model."""
        if not isinstance(self._predictor, pm.PythonModelPredictor):
            raise InvalidParameterValue("This is not a custom PythonModel.")
        return self._predictor.python_model

    def get_raw_model(self) -> Any:
        """The flavor's own object (the sklearn estimator, the booster...)."""
        return getattr(self._predictor, "raw_model", self._predictor)

    def __repr__(self) -> str:
        loader = self.metadata.pyfunc_conf.get("loader_module")
        return f"PyFuncModel(loader_module={loader!r}, run_id={self.metadata.run_id!r})"


def _loader(name: str) -> Any:
    module = LOADERS.get(name, name if name.startswith("cairn.models.") else None)
    if module is None:
        raise InvalidParameterValue(
            f"cairn cannot load models whose loader module is {name!r}; it loads "
            f"{', '.join(sorted(LOADERS))}. Load this model with the library that saved it."
        )
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        raise InvalidParameterValue(
            f"Loading this model needs the '{exc.name}' package; install it (pip install "
            f"{exc.name}) and load again."
        ) from None


def load_local(model_dir: str | Path) -> PyFuncModel:
    root = Path(model_dir)
    metadata = read_model(root)
    conf = metadata.pyfunc_conf
    code = conf.get("code")
    if code and str(root / code) not in sys.path:
        sys.path.insert(0, str(root / code))
    loader = _loader(str(conf.get("loader_module", "")))
    data_dir = root / str(conf["data"]) if conf.get("data") else root
    return PyFuncModel(metadata, loader.load_pyfunc(data_dir, conf), root)


def load_model(model_uri: str | Path, dst_path: str | None = None) -> PyFuncModel:
    """Load a model from a local path, ``file://``, ``runs:/<run>/<name>`` or
    ``models:/<m-id>`` URI."""
    from cairn.models.uri import local_model_dir

    return load_local(local_model_dir(str(model_uri), dst_path))


def _saved_predict(root: Path, conf: Mapping[str, Any]) -> Callable[..., Any]:
    """``predict(data, params)`` of the model as saved (its pickle, its copied artifacts, its
    ``load_context``): the signature's outputs come from running it on the input example, as
    MLflow's save does, without calling ``load_context`` on the caller's own object."""

    def predict(data: Any, params: dict[str, Any] | None) -> Any:
        return pm.load_pyfunc(root, conf).predict(data, params=params)

    return predict


def save_model(
    path: str | Path,
    python_model: Any,
    artifacts: Mapping[str, str] | None = None,
    code_paths: Sequence[str] | None = None,
    signature: Any = None,
    input_example: Any = None,
    pip_requirements: Sequence[str] | str | None = None,
    extra_pip_requirements: Sequence[str] | str | None = None,
    metadata: Mapping[str, Any] | None = None,
    model_config: Mapping[str, Any] | None = None,
) -> Model:
    """Save a custom ``PythonModel`` (pickled with cloudpickle) and its artifacts; the pip
    requirements are inferred by loading the saved model in a subprocess, as MLflow does."""
    import cloudpickle

    root = new_model_dir(path)
    conf = pyfunc_conf(**pm.save_python_model(root, python_model, artifacts))
    conf["code"] = copy_code_paths(root, code_paths)
    if model_config:
        conf["config"] = dict(model_config)
    options = SaveOptions(
        signature=signature,
        input_example=input_example,
        pip_requirements=pip_requirements,
        extra_pip_requirements=extra_pip_requirements,
        metadata=metadata,
        infer_requirements=True,
        predict=_saved_predict(root, conf),
    )
    pinned = f"cloudpickle=={cloudpickle.__version__}"
    return finish_model(root, {PYFUNC: conf}, [pinned], options)


def log_model(name: str | None = None, python_model: Any = None, **kwargs: Any) -> logged.ModelInfo:
    """Log a custom ``PythonModel`` as a logged model of the active run (MLflow 3.x
    ``mlflow.pyfunc.log_model``); takes ``save_model``'s options and ``run_id``, ``params``,
    ``tags``, ``model_type``, ``step``."""
    if python_model is None:
        raise InvalidParameterValue("log_model needs python_model=<a PythonModel instance>.")
    return logged.log_model(
        lambda model, path, **kw: save_model(path, model, **kw), python_model, name, **kwargs
    )
