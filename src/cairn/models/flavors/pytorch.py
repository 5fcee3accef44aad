"""PyTorch models, in MLflow 3.17.2's ``pytorch`` flavor layout: ``data/model.pt2`` or
``data/model.pth``.

Two serialization formats, as in MLflow. ``pt2`` (the default, as in MLflow outside
Databricks) traces the model with ``torch.export`` on the input example and stores the graph
and weights: loading rebuilds the graph without running the model's Python class, and needs
no class definition. It requires an input example of arrays or tensors and a tensor
signature (inferred from an array example). ``pickle`` stores the whole ``nn.Module`` with
``torch.save`` and cloudpickle (``pickle_module_info.txt`` names the module); loading it
unpickles, which runs whatever code the file names: load pickled models only from sources
you trust. A ``torch.jit`` ``ScriptModule`` is saved in its own format under ``pickle``.

``load_pyfunc`` predicts on the CPU unless the model's ``config`` names a device (MLflow
picks CUDA when present, which makes results depend on the machine).

>>> import tempfile
>>> import numpy as np, torch
>>> _ = torch.manual_seed(0)
>>> net = torch.nn.Linear(2, 1)
>>> x = np.ones((3, 2), dtype=np.float32)
>>> path = tempfile.mkdtemp() + "/model"
>>> _ = save_model(net, path, input_example=x, pip_requirements=[])
>>> bool(np.allclose(load_model(path)(torch.from_numpy(x)).detach().numpy(),
...                  net(torch.from_numpy(x)).detach().numpy()))
True
"""

from __future__ import annotations

import importlib
import logging
import sys
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cairn.errors import InvalidParameterValue
from cairn.models import logged
from cairn.models.flavors import _torch_export
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

FLAVOR = "pytorch"
LOADER_MODULE = "mlflow.pytorch"
FORMATS = ("pt2", "pickle")
DATA_DIR = "data"
PICKLE_FILE = "model.pth"
EXPORT_FILE = _torch_export.EXPORT_FILE
PICKLE_MODULE_INFO = "pickle_module_info.txt"
STATE_DICT_FILE = "state_dict.pth"
#: The name models record for the default pickle module (cairn reads it as its own copy).
MLFLOW_PICKLE_MODULE = "mlflow.pytorch.pickle_module"
_CPU = "cpu"


def _check_model(model: Any, fmt: str) -> None:
    import torch

    if fmt not in FORMATS:
        raise InvalidParameterValue(
            f"serialization_format must be one of {', '.join(FORMATS)}; got {fmt!r}."
        )
    if not isinstance(model, torch.nn.Module):
        raise InvalidParameterValue(
            f"pytorch_model must be a torch.nn.Module; got {type(model).__name__}."
        )
    if fmt == "pt2" and isinstance(model, torch.jit.ScriptModule):
        raise InvalidParameterValue(
            "A torch.jit.ScriptModule cannot be saved as pt2; use serialization_format='pickle'."
        )


def _saveable_example(example: Any) -> Any:
    """The example when it can be written as ``input_example.json``, else None: MLflow saves
    neither the example nor an inferred signature for tensors or lists of arrays."""
    from cairn.models.input_example import serving_input_from_example

    if example is None:
        return None
    try:
        serving_input_from_example(example)
    except InvalidParameterValue as exc:
        logger.warning("The input example is not saved with the model: %s", exc)
        return None
    return example


def _pickle_module_name(pickle_module: Any) -> str:
    from cairn.models.flavors import _torch_pickle

    if pickle_module is None or pickle_module is _torch_pickle:
        return MLFLOW_PICKLE_MODULE
    return str(pickle_module.__name__)


def _write_pickle(model: Any, data_dir: Path, pickle_module: Any, kwargs: Any) -> None:
    import torch

    from cairn.models.flavors import _torch_pickle

    (data_dir / PICKLE_MODULE_INFO).write_text(_pickle_module_name(pickle_module))
    if isinstance(model, torch.jit.ScriptModule):
        torch.jit.save(model, str(data_dir / PICKLE_FILE))
        return
    module = pickle_module or _torch_pickle
    torch.save(model, data_dir / PICKLE_FILE, pickle_module=module, **kwargs)


def _requirements(fmt: str, pickle_module: Any) -> list[str]:
    from cairn.models.environment import pinned

    needed = [pinned_provider("torch")]
    if fmt == "pickle" and _pickle_module_name(pickle_module) == MLFLOW_PICKLE_MODULE:
        needed.append(pinned("cloudpickle"))
    return needed


def _flavors(fmt: str, code: str | None, pickle_module: Any, examples: Any) -> dict[str, Any]:
    """MLflow's configs; the pyfunc one is left out, as MLflow does, for a pt2 model traced on
    tensors or on several inputs (pyfunc passes one array)."""
    import torch

    flavors: dict[str, Any] = {
        FLAVOR: {"model_data": DATA_DIR, "pytorch_version": str(torch.__version__), "code": code}
    }
    if fmt == "pickle" or _torch_export.pyfunc_servable(examples):
        flavors[PYFUNC] = pyfunc_conf(
            LOADER_MODULE,
            data=DATA_DIR,
            pickle_module_name=_pickle_module_name(pickle_module),
            **({"code": code} if code else {}),
            config={"device": None},
        )
    return flavors


def save_model(
    pytorch_model: Any,
    path: str | Path,
    code_paths: Sequence[str] | None = None,
    pickle_module: Any = None,
    signature: Any = None,
    input_example: Any = None,
    pip_requirements: Sequence[str] | str | None = None,
    extra_pip_requirements: Sequence[str] | str | None = None,
    metadata: Mapping[str, Any] | None = None,
    serialization_format: str | None = None,
    **kwargs: Any,
) -> Model:
    """Save ``pytorch_model`` (an ``nn.Module``); ``kwargs`` go to ``torch.save`` (pickle).

    ``signature=False`` records none and infers none, as in MLflow. Every argument is
    checked, and a pt2 model traced, before the directory is created.
    """
    import torch

    fmt = serialization_format or "pt2"
    _check_model(pytorch_model, fmt)
    examples = _torch_export.example_inputs(input_example) if fmt == "pt2" else None
    example = _saveable_example(input_example)
    infer = signature is not False
    signature = None if signature is False else signature
    if signature is None and example is not None and infer:
        signature = _signature_from_example(example, pytorch_model)
    program = _torch_export.export(pytorch_model, examples, signature) if fmt == "pt2" else None
    root = new_model_dir(path)
    data_dir = root / DATA_DIR
    data_dir.mkdir()
    code = copy_code_paths(root, code_paths)
    if program is not None:
        torch.export.save(program, str(data_dir / EXPORT_FILE))
    else:
        _write_pickle(pytorch_model, data_dir, pickle_module, kwargs)
    options = SaveOptions(
        signature=signature,
        input_example=example,
        pip_requirements=pip_requirements,
        extra_pip_requirements=extra_pip_requirements,
        metadata=metadata,
        infer_signature=False,  # inferred above, by running the model as MLflow does
    )
    flavors = _flavors(fmt, code, pickle_module, examples)
    return finish_model(root, flavors, _requirements(fmt, pickle_module), options)


def _signature_from_example(example: Any, model: Any) -> Any:
    from cairn.models.infer import infer_signature_from_example

    return infer_signature_from_example(example, TorchPredictor(model, _CPU).predict)


def _pickle_module(name: str) -> Any:
    if name == MLFLOW_PICKLE_MODULE:
        from cairn.models.flavors import _torch_pickle

        return _torch_pickle
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise InvalidParameterValue(
            f"Cannot import the pickle module {name!r} the model was saved with ({exc})."
        ) from None


def _is_torchscript(path: Path) -> bool:
    """``torch.jit.save`` archives hold ``constants.pkl``, as ``torch.load`` checks."""
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as archive:
        return any(n.rsplit("/", 1)[-1] == "constants.pkl" for n in archive.namelist())


def _load_data(data_dir: Path, device: str | None, load_kwargs: Mapping[str, Any]) -> Any:
    """The model in ``data_dir``, in eval mode (pickle) and on ``device`` when one is given.

    A pickled module is loaded with ``weights_only=False``, as MLflow does: a whole module is
    not plain tensors, so ``torch.load`` must run the pickle, and the pickle can run any code.
    """
    import torch

    pickled = data_dir / PICKLE_FILE
    if not pickled.exists():
        return _torch_export.load(data_dir, device)
    if _is_torchscript(pickled):
        jit: Any = torch.jit  # untyped in torch's stubs
        model = jit.load(str(pickled), map_location=load_kwargs.get("map_location"))
    else:
        info = data_dir / PICKLE_MODULE_INFO
        name = info.read_text().strip() if info.exists() else MLFLOW_PICKLE_MODULE
        options = {"pickle_module": _pickle_module(name), "weights_only": False, **load_kwargs}
        model = torch.load(pickled, **options)
    model.eval()
    return model.to(device) if device else model


def _flavor_conf(root: Path) -> Mapping[str, Any]:
    conf = read_model(root).flavors.get(FLAVOR)
    if conf is None:
        raise InvalidParameterValue(f"The model at {root} has no pytorch flavor.")
    return conf


def load_model(
    model_uri: str | Path,
    dst_path: str | None = None,
    *,
    device: str | None = None,
    map_location: Any = None,
    **torch_load_kwargs: Any,
) -> Any:
    """The ``nn.Module`` itself (a pickled one in eval mode). ``map_location`` and
    ``torch_load_kwargs`` go to ``torch.load`` for a pickled model; ``device`` moves it."""
    import torch

    from cairn.models.uri import local_model_dir

    root = Path(local_model_dir(str(model_uri), dst_path))
    conf = _flavor_conf(root)
    code = conf.get("code")
    if code and str(root / code) not in sys.path:
        sys.path.insert(0, str(root / code))  # the model's classes from the user's code
    if str(torch.__version__) != str(conf.get("pytorch_version")):
        logger.warning(
            "Stored model version '%s' does not match installed PyTorch version '%s'",
            conf.get("pytorch_version"),
            torch.__version__,
        )
    if map_location is not None:
        torch_load_kwargs["map_location"] = map_location
    return _load_data(root / str(conf.get("model_data", DATA_DIR)), device, torch_load_kwargs)


class TorchPredictor:
    """MLflow's ``_PyTorchWrapper``: a DataFrame goes in as a float32 tensor of its values
    and comes out as a DataFrame with its index; an ndarray goes in as is and comes out as an
    ndarray. ``params`` are passed to ``forward``; no gradients are kept."""

    def __init__(self, model: Any, device: str) -> None:
        self.raw_model = model
        self.device = device

    def predict(self, data: Any, params: dict[str, Any] | None = None) -> Any:
        import numpy as np
        import pandas as pd
        import torch

        if params and "device" in params:
            raise InvalidParameterValue(
                "'device' is not a predict parameter; set it at load time with "
                "model_config={'device': ...}."
            )
        values = _input_array(data)
        with torch.no_grad():
            output = self.raw_model(torch.from_numpy(values).to(self.device), **(params or {}))
            if not isinstance(output, torch.Tensor):
                raise InvalidParameterValue(
                    "Expected PyTorch model to output a single output tensor, but got output "
                    f"of type '{type(output)}'"
                )
            predicted: np.ndarray[Any, Any] = output.to(_CPU).numpy()
        if isinstance(data, pd.DataFrame):
            return pd.DataFrame(predicted, index=data.index)
        return predicted


def _input_array(data: Any) -> Any:
    """A writable array (``torch.from_numpy`` warns on a read-only one, such as a
    copy-on-write DataFrame's values)."""
    import numpy as np
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        values = data.to_numpy(dtype=np.float32)
    elif isinstance(data, np.ndarray):
        values = data
    elif isinstance(data, (list, dict)):
        raise InvalidParameterValue(
            "The PyTorch flavor does not support List or Dict input types. "
            "Please use a pandas.DataFrame or a numpy.ndarray"
        )
    else:
        raise InvalidParameterValue("Input data should be pandas.DataFrame or numpy.ndarray")
    return values if values.flags.writeable else values.copy()


def load_pyfunc(data_path: Path, conf: Mapping[str, Any]) -> TorchPredictor:
    """``data_path`` is the model's ``data`` directory (what MLflow's ``_load_pyfunc`` gets)
    or the model directory; the device is ``config.device`` or the CPU."""
    device = str((conf.get("config") or {}).get("device") or _CPU)
    found = (data_path / PICKLE_FILE).exists() or (data_path / EXPORT_FILE).exists()
    data_dir = data_path if found else data_path / DATA_DIR
    return TorchPredictor(_load_data(data_dir, device, {"map_location": device}), device)


def log_model(pytorch_model: Any, name: str | None = None, **kwargs: Any) -> logged.ModelInfo:
    """Log ``pytorch_model`` as a logged model of the active run (MLflow 3.x ``log_model``).

    Takes ``save_model``'s options and ``run_id``, ``params``, ``tags``, ``model_type``,
    ``step``; load it back with ``load_model(info.model_uri)``.
    """
    return logged.log_model(save_model, pytorch_model, name, flavor=FLAVOR, **kwargs)


def save_state_dict(state_dict: Mapping[str, Any], path: str | Path, **kwargs: Any) -> None:
    """Write ``state_dict`` as ``<path>/state_dict.pth`` (``kwargs`` go to ``torch.save``).

    Only a dict is accepted: ``torch.save`` takes a whole module too, and the mistake would
    go unnoticed until loading.
    """
    import torch

    if not isinstance(state_dict, dict):
        raise InvalidParameterValue(f"state_dict must be a dict; got {type(state_dict).__name__}.")
    Path(path).mkdir(parents=True, exist_ok=True)
    torch.save(state_dict, Path(path) / STATE_DICT_FILE, **kwargs)


def load_state_dict(state_dict_uri: str | Path, **kwargs: Any) -> Any:
    """The state dict under a path or artifact URI. ``torch.load`` keeps its default of
    ``weights_only=True``: tensors and containers load, and nothing in the file runs."""
    import torch

    from cairn.models.uri import local_model_dir

    local = Path(local_model_dir(str(state_dict_uri)))
    return torch.load(local / STATE_DICT_FILE, **kwargs)


def log_state_dict(state_dict: Mapping[str, Any], artifact_path: str, **kwargs: Any) -> None:
    """Log ``state_dict`` as run artifacts under ``artifact_path`` (not a model)."""
    from cairn.tracking import fluent_log

    with tempfile.TemporaryDirectory(prefix="cairn-state-dict-") as tmp:
        save_state_dict(state_dict, tmp, **kwargs)
        fluent_log.log_artifacts(tmp, artifact_path)


def autolog(**options: Any) -> None:
    """Autolog PyTorch Lightning ``Trainer.fit`` (``cairn.pytorch.autolog``).

    The machinery lives in ``cairn.autologging``, a layer above models; it is imported only
    when asked for, so saving and loading models never loads it.
    """
    from cairn.autologging.pytorch_lightning import autolog as lightning_autolog

    lightning_autolog(**options)
