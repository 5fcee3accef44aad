"""Custom models: a ``PythonModel`` subclass, pickled with its artifacts beside it.

The files and flavor config are MLflow's (``loader_module: mlflow.pyfunc.model``,
``python_model.pkl`` written by cloudpickle, ``artifacts/``), so a custom model saved by cairn
loads in MLflow and one saved by MLflow loads here (its class must be importable, as in MLflow).
``predict`` may take ``context`` or not, and ``params`` or not, as in MLflow 2.20+.
"""

from __future__ import annotations

import inspect
import logging
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from cairn.errors import InvalidParameterValue

logger = logging.getLogger(__name__)

LOADER_MODULE = "mlflow.pyfunc.model"
PICKLE_FILE = "python_model.pkl"
ARTIFACTS_DIR = "artifacts"


@dataclass(frozen=True)
class PythonModelContext:
    """What ``load_context``/``predict`` get: local paths of the model's artifacts."""

    artifacts: Mapping[str, str] = field(default_factory=dict)
    model_config: Mapping[str, Any] = field(default_factory=dict)


class PythonModel:
    """Subclass and implement ``predict``; ``load_context`` runs once when the model loads.

    >>> class AddN(PythonModel):
    ...     def __init__(self, n):
    ...         self.n = n
    ...     def predict(self, context, model_input, params=None):
    ...         return [x + self.n for x in model_input]
    >>> AddN(2).predict(None, [1, 2])
    [3, 4]
    """

    def load_context(self, context: PythonModelContext) -> None:
        """Load artifacts (weights, vocabularies) named in ``context.artifacts``."""

    def predict(self, context: Any, model_input: Any, params: dict[str, Any] | None = None) -> Any:
        raise NotImplementedError("A PythonModel must implement predict().")

    @property
    def predict_type_hints(self) -> Any:
        """What MLflow's loader asks a model for; cairn models declare no type hints."""
        return SimpleNamespace(input=None, output=None)


class PythonModelPredictor:
    """Calls the user's ``predict`` with exactly the arguments its signature takes."""

    def __init__(self, python_model: Any, context: PythonModelContext) -> None:
        self.python_model = python_model
        self.context = context
        parameters = inspect.signature(python_model.predict).parameters
        self._takes_params = "params" in parameters
        self._takes_context = "context" in parameters or len(parameters) >= 3

    def predict(self, data: Any, params: dict[str, Any] | None = None) -> Any:
        kwargs = {"params": params} if self._takes_params else {}
        if params and not self._takes_params:
            logger.warning("The model's predict() takes no params; ignoring %s.", sorted(params))
        if self._takes_context:
            return self.python_model.predict(self.context, data, **kwargs)
        return self.python_model.predict(data, **kwargs)


def save_python_model(
    model_dir: Path, python_model: Any, artifacts: Mapping[str, str] | None
) -> dict[str, Any]:
    """Pickle the model and copy its artifacts; returns the python_function config keys."""
    import cloudpickle

    if not callable(getattr(python_model, "predict", None)):
        raise InvalidParameterValue(
            "python_model must have a predict method (subclass cairn.pyfunc.PythonModel)."
        )
    with (model_dir / PICKLE_FILE).open("wb") as out:
        cloudpickle.dump(python_model, out)
    conf: dict[str, Any] = {
        "loader_module": LOADER_MODULE,
        "python_model": PICKLE_FILE,
        "cloudpickle_version": cloudpickle.__version__,
        "streamable": False,
    }
    if artifacts:
        conf["artifacts"] = _copy_artifacts(model_dir, artifacts)
    return conf


def _copy_artifacts(model_dir: Path, artifacts: Mapping[str, str]) -> dict[str, Any]:
    saved: dict[str, Any] = {}
    root = model_dir / ARTIFACTS_DIR
    for name, source in artifacts.items():
        src = Path(source)
        if not src.exists():
            raise InvalidParameterValue(
                f"Artifact '{name}' points at {source}, which does not exist."
            )
        target = root / name / src.name
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, target)
        else:
            shutil.copy2(src, target)
        saved[name] = {"path": target.relative_to(model_dir).as_posix()}
    return saved


def load_pyfunc(model_dir: Path, conf: Mapping[str, Any]) -> PythonModelPredictor:
    import cloudpickle

    if conf.get("model_code_path"):
        raise InvalidParameterValue(
            "This model was saved as 'models from code' (model_code_path), which cairn does "
            "not load yet; save the model with python_model=<instance> instead."
        )
    with (model_dir / str(conf.get("python_model", PICKLE_FILE))).open("rb") as src:
        python_model = cloudpickle.load(src)
    artifacts = {
        name: str(model_dir / spec["path"]) for name, spec in (conf.get("artifacts") or {}).items()
    }
    context = PythonModelContext(artifacts, dict(conf.get("config") or {}))
    python_model.load_context(context)
    return PythonModelPredictor(python_model, context)
