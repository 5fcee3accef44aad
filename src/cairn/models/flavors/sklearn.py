"""scikit-learn models, in MLflow's ``sklearn`` flavor layout (pickle, cloudpickle or skops).

cairn writes cloudpickle by default: every MLflow version reads it, while skops (MLflow 3's
default) is unreadable by MLflow 2. Loading a skops file trusts only the types the flavor
config lists plus scikit-learn's own, and names any other type instead of running it.

>>> import tempfile
>>> from sklearn.linear_model import LinearRegression
>>> path = tempfile.mkdtemp() + "/model"
>>> _ = save_model(LinearRegression().fit([[0], [1]], [0, 2]), path, pip_requirements=[])
>>> load_model(path).predict([[3]]).round(6).tolist()
[6.0]
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cairn.errors import InvalidParameterValue
from cairn.models import logged
from cairn.models.mlmodel import PYFUNC, Model, read_model
from cairn.models.saving import (
    SaveOptions,
    copy_code_paths,
    finish_model,
    new_model_dir,
    pyfunc_conf,
)

FLAVOR = "sklearn"
LOADER_MODULE = "mlflow.sklearn"
FORMATS = ("cloudpickle", "pickle", "skops")
#: skops types from these libraries are trusted without being listed (as MLflow trusts them).
_LIBRARY_TYPES = ("sklearn.", "numpy.", "scipy.")
_FILES = {"cloudpickle": "model.pkl", "pickle": "model.pkl", "skops": "model.skops"}


def _dump(model: Any, path: Path, fmt: str) -> None:
    if fmt == "skops":
        import skops.io

        skops.io.dump(model, path)
        return
    if fmt == "cloudpickle":
        import cloudpickle

        with path.open("wb") as out:
            cloudpickle.dump(model, out)
        return
    with path.open("wb") as out:
        pickle.dump(model, out, protocol=pickle.DEFAULT_PROTOCOL)


def _requirements(fmt: str) -> list[str]:
    from cairn.models.environment import pinned

    needed = ["scikit-learn"] + (["cloudpickle"] if fmt == "cloudpickle" else [])
    needed += ["skops"] if fmt == "skops" else []
    return [pinned(name) for name in needed]


def save_model(
    sk_model: Any,
    path: str | Path,
    serialization_format: str = "cloudpickle",
    code_paths: Sequence[str] | None = None,
    signature: Any = None,
    input_example: Any = None,
    pip_requirements: Sequence[str] | str | None = None,
    extra_pip_requirements: Sequence[str] | str | None = None,
    metadata: Mapping[str, Any] | None = None,
    pyfunc_predict_fn: str = "predict",
    skops_trusted_types: Sequence[str] | None = None,
) -> Model:
    import sklearn

    if serialization_format not in FORMATS:
        raise InvalidParameterValue(
            f"serialization_format must be one of {', '.join(FORMATS)}; "
            f"got {serialization_format!r}."
        )
    if not callable(getattr(sk_model, pyfunc_predict_fn, None)):
        raise InvalidParameterValue(
            f"The model has no method {pyfunc_predict_fn!r} to predict with."
        )
    root = new_model_dir(path)
    file_name = _FILES[serialization_format]
    _dump(sk_model, root / file_name, serialization_format)
    code = copy_code_paths(root, code_paths)
    flavors = {
        PYFUNC: pyfunc_conf(
            LOADER_MODULE,
            model_path=file_name,
            predict_fn=pyfunc_predict_fn,
            **({"code": code} if code else {}),
        ),
        FLAVOR: {
            "pickled_model": file_name,
            "sklearn_version": sklearn.__version__,
            "serialization_format": serialization_format,
            "code": code,
            "skops_trusted_types": list(skops_trusted_types) if skops_trusted_types else None,
        },
    }
    options = SaveOptions(
        signature=signature,
        input_example=input_example,
        pip_requirements=pip_requirements,
        extra_pip_requirements=extra_pip_requirements,
        metadata=metadata,
        predict=lambda data, params: getattr(sk_model, pyfunc_predict_fn)(data),
    )
    return finish_model(root, flavors, _requirements(serialization_format), options)


def _load_skops(path: Path, trusted: Sequence[str] | None) -> Any:
    import skops.io

    found = skops.io.get_untrusted_types(file=path)
    allowed = set(trusted or ())
    unsafe = [t for t in found if t not in allowed and not t.startswith(_LIBRARY_TYPES)]
    if unsafe:
        raise InvalidParameterValue(
            f"The skops file {path.name} holds types not listed as trusted: "
            f"{', '.join(unsafe)}. Save the model with skops_trusted_types=[...] naming them "
            "if you trust its source."
        )
    return skops.io.load(path, trusted=found)


def _load_file(path: Path, conf: Mapping[str, Any]) -> Any:
    fmt = conf.get("serialization_format", "cloudpickle")
    if fmt == "skops":
        return _load_skops(path, conf.get("skops_trusted_types"))
    if fmt not in ("cloudpickle", "pickle"):
        raise InvalidParameterValue(f"Unknown sklearn serialization_format {fmt!r}.")
    import cloudpickle

    with path.open("rb") as src:
        return cloudpickle.load(src)


def load_model(model_uri: str | Path, dst_path: str | None = None) -> Any:
    """The estimator itself (not wrapped)."""
    from cairn.models.uri import local_model_dir

    root = Path(local_model_dir(str(model_uri), dst_path))
    conf = read_model(root).flavors.get(FLAVOR)
    if conf is None:
        raise InvalidParameterValue(f"The model at {model_uri} has no sklearn flavor.")
    return _load_file(root / str(conf["pickled_model"]), conf)


class SklearnPredictor:
    def __init__(self, model: Any, predict_fn: str) -> None:
        self.raw_model = model
        self._predict = getattr(model, predict_fn)

    def predict(self, data: Any, params: dict[str, Any] | None = None) -> Any:
        return self._predict(data)


def load_pyfunc(model_dir: Path, conf: Mapping[str, Any]) -> SklearnPredictor:
    flavor = (
        read_model(model_dir).flavors.get(FLAVOR, {}) if (model_dir / "MLmodel").exists() else {}
    )
    path = model_dir / str(conf.get("model_path") or flavor.get("pickled_model", "model.pkl"))
    settings = {**flavor, **{k: v for k, v in conf.items() if k == "serialization_format"}}
    if "serialization_format" not in settings:
        settings["serialization_format"] = "skops" if path.suffix == ".skops" else "cloudpickle"
    return SklearnPredictor(_load_file(path, settings), str(conf.get("predict_fn", "predict")))


def log_model(sk_model: Any, name: str | None = None, **kwargs: Any) -> logged.ModelInfo:
    """Log ``sk_model`` as a logged model of the active run (MLflow 3.x ``log_model``).

    Takes ``save_model``'s options and ``run_id``, ``params``, ``tags``, ``model_type``,
    ``step``; load it back with ``load_model(info.model_uri)``.
    """
    return logged.log_model(save_model, sk_model, name, flavor=FLAVOR, **kwargs)


def autolog(**options: Any) -> None:
    """Autolog scikit-learn ``fit`` calls (``cairn.sklearn.autolog``, as in MLflow).

    The machinery lives in ``cairn.autologging``, a layer above models; it is imported only
    when asked for, so saving and loading models never loads it.
    """
    from cairn.autologging.sklearn import autolog as sklearn_autolog

    sklearn_autolog(**options)
