"""ONNX models, in MLflow's ``onnx`` flavor layout, served through onnxruntime.

The graph is written as ``model.onnx`` (large tensors to a side file when
``save_as_external_data``, MLflow's default). The flavor config lists the execution providers
to try in order and optional session options; a provider this onnxruntime build lacks (CUDA
on a CPU-only machine, the usual case for the default list) is skipped, and CPU is always the
last resort. Unlike MLflow, saving works on a copy, so the caller's ``ModelProto`` keeps its
weights when they go to the external-data file.

>>> import tempfile
>>> import numpy as np
>>> from skl2onnx import to_onnx
>>> from sklearn.linear_model import LinearRegression
>>> X = np.array([[0.0], [1.0]], dtype=np.float32)
>>> proto = to_onnx(LinearRegression().fit(X, [0.0, 2.0]), X)
>>> path = tempfile.mkdtemp() + "/model"
>>> _ = save_model(proto, path, onnx_execution_providers=["CPUExecutionProvider"],
...                pip_requirements=[])
>>> load_model(path).graph.input[0].name
'X'
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
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

FLAVOR = "onnx"
LOADER_MODULE = "mlflow.onnx"
MODEL_FILE = "model.onnx"
DEFAULT_PROVIDERS = ("CUDAExecutionProvider", "CPUExecutionProvider")
_CPU = "CPUExecutionProvider"


def _check_session_options(options: Mapping[str, Any] | None) -> None:
    """MLflow's ``_validate_onnx_session_options``: refuse at save time what would make every
    later load fail."""
    import onnxruntime

    if options is None:
        return
    if not isinstance(options, Mapping):
        raise InvalidParameterValue("onnx_session_options must be a dict.")
    for key, value in options.items():
        if key == "extra_session_config":
            if not isinstance(value, Mapping):
                raise InvalidParameterValue(
                    "onnx_session_options.extra_session_config must be a dict."
                )
        elif not hasattr(onnxruntime.SessionOptions, key):
            raise InvalidParameterValue(
                f"Key {key!r} in onnx_session_options is not an ONNX Runtime session option."
            )
        elif key == "execution_mode" and str(value).upper() not in ("PARALLEL", "SEQUENTIAL"):
            raise InvalidParameterValue("execution_mode must be 'parallel' or 'sequential'.")
        elif key == "graph_optimization_level" and value not in (0, 1, 2, 99):
            raise InvalidParameterValue("graph_optimization_level must be 0, 1, 2 or 99.")
        elif key in ("inter_op_num_threads", "intra_op_num_threads") and value < 0:
            raise InvalidParameterValue(f"{key} must be >= 0.")


def _providers_conf(providers: Sequence[Any] | None) -> list[Any]:
    """Providers as YAML can hold them: a ``(name, options)`` tuple becomes a list, which the
    loader turns back into a tuple (as MLflow's does)."""
    if providers is None:
        return list(DEFAULT_PROVIDERS)
    if isinstance(providers, str):
        return [providers]
    return [list(p) if isinstance(p, tuple) else p for p in providers]


def save_model(
    onnx_model: Any,
    path: str | Path,
    code_paths: Sequence[str] | None = None,
    signature: Any = None,
    input_example: Any = None,
    pip_requirements: Sequence[str] | str | None = None,
    extra_pip_requirements: Sequence[str] | str | None = None,
    onnx_execution_providers: Sequence[Any] | None = None,
    onnx_session_options: Mapping[str, Any] | None = None,
    metadata: Mapping[str, Any] | None = None,
    save_as_external_data: bool = True,
    **onnx_save_kwargs: Any,
) -> Model:
    """``onnx_save_kwargs`` go to ``onnx.save_model`` (``location``, ``size_threshold``...)."""
    import onnx

    if not isinstance(onnx_model, onnx.ModelProto):
        raise InvalidParameterValue(
            f"onnx_model must be an onnx.ModelProto; got {type(onnx_model).__name__}."
        )
    _check_session_options(onnx_session_options)
    root = new_model_dir(path)
    code = copy_code_paths(root, code_paths)
    proto = onnx.ModelProto()
    proto.CopyFrom(onnx_model)  # onnx.save_model moves weights out of the proto it is given
    onnx.save_model(
        proto,
        str(root / MODEL_FILE),
        save_as_external_data=save_as_external_data,
        **onnx_save_kwargs,
    )
    flavors = {
        # MLflow's pyfunc.add_to_model leaves ``code`` out when there is none.
        PYFUNC: pyfunc_conf(LOADER_MODULE, data=MODEL_FILE, **({"code": code} if code else {})),
        FLAVOR: {
            "onnx_version": onnx.__version__,
            "data": MODEL_FILE,
            "providers": _providers_conf(onnx_execution_providers),
            "onnx_session_options": (
                dict(onnx_session_options) if onnx_session_options is not None else None
            ),
            "code": code,
        },
    }
    options = SaveOptions(
        signature=signature,
        input_example=input_example,
        pip_requirements=pip_requirements,
        extra_pip_requirements=extra_pip_requirements,
        metadata=metadata,
        infer_signature=False,  # as MLflow's onnx flavor: the example is stored, not typed
    )
    requirements = [pinned_provider("onnx"), pinned_provider("onnxruntime")]
    return finish_model(root, flavors, requirements, options)


def _flavor_conf(root: Path) -> Mapping[str, Any]:
    conf = read_model(root).flavors.get(FLAVOR)
    if conf is None:
        raise InvalidParameterValue(f"The model at {root} has no onnx flavor.")
    return conf


def load_model(model_uri: str | Path, dst_path: str | None = None) -> Any:
    """The checked ``onnx.ModelProto``, external data included."""
    import onnx

    from cairn.models.uri import local_model_dir

    root = Path(local_model_dir(str(model_uri), dst_path))
    path = str(root / str(_flavor_conf(root)["data"]))
    onnx.checker.check_model(path)
    return onnx.load(path)


def _session_options(options: Mapping[str, Any] | None) -> Any:
    import onnxruntime

    sess = onnxruntime.SessionOptions()
    options = options or {}
    for key in ("inter_op_num_threads", "intra_op_num_threads"):
        if options.get(key):
            setattr(sess, key, options[key])
    if mode := options.get("execution_mode"):
        parallel = str(mode).upper() == "PARALLEL"
        sess.execution_mode = (
            onnxruntime.ExecutionMode.ORT_PARALLEL
            if parallel
            else onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        )
    if level := options.get("graph_optimization_level"):
        sess.graph_optimization_level = onnxruntime.GraphOptimizationLevel(level)
    for key, value in (options.get("extra_session_config") or {}).items():
        sess.add_session_config_entry(key, value)
    return sess


def _provider_name(entry: Any) -> str | None:
    if isinstance(entry, (list, tuple)):
        entry = entry[0] if entry else None
    return entry if isinstance(entry, str) else None


def _session(model_file: Path, conf: Mapping[str, Any]) -> Any:
    """An InferenceSession on the listed providers this build has, falling back to CPU when
    none is available or the accelerated ones fail to start (MLflow's behaviour)."""
    import onnxruntime

    listed = conf.get("providers") or list(DEFAULT_PROVIDERS)
    listed = [listed] if isinstance(listed, str) else listed
    providers = [tuple(p) if isinstance(p, list) else p for p in listed]
    available = set(onnxruntime.get_available_providers())
    usable = [p for p in providers if _provider_name(p) in available] or [_CPU]
    missing = [_provider_name(p) for p in providers if _provider_name(p) not in available]
    if missing:
        # The default list names CUDA first, so on a CPU machine this is routine.
        level = logging.INFO if set(missing) <= set(DEFAULT_PROVIDERS) else logging.WARNING
        logger.log(level, "onnxruntime lacks providers %s; using %s.", missing, usable)
    options = _session_options(conf.get("onnx_session_options"))
    try:
        return onnxruntime.InferenceSession(str(model_file), options, providers=usable)
    except Exception as exc:
        if usable == [_CPU]:
            raise
        logger.warning("Providers %s failed to start (%r); falling back to CPU.", usable, exc)
        return onnxruntime.InferenceSession(str(model_file), options, providers=[_CPU])


class OnnxPredictor:
    """MLflow's ``_OnnxModelWrapper``: a dict feeds inputs by name, an array the only input, a
    DataFrame its columns by input name (or all its values for a single input). float64 is
    cast to float32 where the graph wants float. A DataFrame in gives a DataFrame out (one
    flattened column per output); anything else gives ``{output name: array}``."""

    def __init__(self, session: Any) -> None:
        self.raw_model = session
        self.inputs = [(i.name, i.type) for i in session.get_inputs()]
        self.output_names = [o.name for o in session.get_outputs()]

    def _feeds(self, data: Any) -> dict[str, Any]:
        import numpy as np
        import pandas as pd

        if isinstance(data, Mapping):
            return {name: np.asarray(value) for name, value in data.items()}
        if isinstance(data, pd.DataFrame):
            if len(self.inputs) > 1:
                return {name: data[name].values for name, _ in self.inputs}
            return {self.inputs[0][0]: data.values}
        if isinstance(data, np.ndarray):
            if len(self.inputs) != 1:
                raise InvalidParameterValue(
                    f"This ONNX model has {len(self.inputs)} inputs, so a numpy array cannot "
                    "feed it; pass a dict or a DataFrame with the tensors "
                    f"{[name for name, _ in self.inputs]}."
                )
            return {self.inputs[0][0]: data}
        raise InvalidParameterValue(
            f"Input must be a dict, a numpy array or a pandas DataFrame; got {type(data)}."
        )

    def predict(self, data: Any, params: dict[str, Any] | None = None) -> Any:
        import numpy as np
        import pandas as pd

        feeds = self._feeds(data)
        for name, kind in self.inputs:
            feed = feeds.get(name)
            if kind == "tensor(float)" and feed is not None and feed.dtype == np.float64:
                feeds[name] = feed.astype(np.float32)
        predicted = self.raw_model.run(self.output_names, feeds)
        outputs = dict(zip(self.output_names, predicted, strict=True))
        if isinstance(data, pd.DataFrame):
            flat = {name: np.asarray(value).reshape(-1) for name, value in outputs.items()}
            return pd.DataFrame.from_dict(flat)
        return outputs


def load_pyfunc(model_path: Path, conf: Mapping[str, Any]) -> OnnxPredictor:
    """``model_path`` is the ``.onnx`` file named by the pyfunc ``data`` key (MLflow's
    ``_load_pyfunc`` gets the same) or the model directory; the providers and session options
    come from the onnx flavor config beside it."""
    root = model_path.parent if model_path.is_file() else model_path
    flavor = _flavor_conf(root)
    model_file = model_path if model_path.is_file() else root / str(flavor["data"])
    return OnnxPredictor(_session(model_file, flavor))


def log_model(onnx_model: Any, name: str | None = None, **kwargs: Any) -> logged.ModelInfo:
    """Log ``onnx_model`` as a logged model of the active run (MLflow 3.x ``log_model``).

    Takes ``save_model``'s options and ``run_id``, ``params``, ``tags``, ``model_type``,
    ``step``; load it back with ``load_model(info.model_uri)``.
    """
    return logged.log_model(save_model, onnx_model, name, flavor=FLAVOR, **kwargs)
