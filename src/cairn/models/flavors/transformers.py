"""Hugging Face Transformers models, in the layout of MLflow's ``transformers`` flavor.

The model is written with its own ``save_pretrained`` into the ``model`` subfolder (MLflow's
``model_binary``): ``config.json`` plus safetensors weights, so loading never unpickles
anything. ``load_model`` rebuilds it from that folder alone, offline: ``AutoConfig`` reads the
config and the class named by ``config.architectures`` (a Transformers class, nothing else)
loads the weights with ``from_pretrained``.

MLflow saves *pipelines* (a model with its tokenizer and task); cairn saves the bare
``PreTrainedModel`` a ``Trainer`` produces, so ``task`` is recorded only when given, and
``instance_type`` names the model class where MLflow names the pipeline class. MLflow
therefore cannot load these models, and the ``python_function`` flavor names cairn's loader:
``cairn.pyfunc`` predicts logits from a 2-D array of ``input_ids``.

>>> import tempfile
>>> import numpy as np
>>> from transformers import BertConfig, BertForSequenceClassification
>>> config = BertConfig(vocab_size=20, hidden_size=8, num_hidden_layers=1,
...                     num_attention_heads=2, intermediate_size=16)
>>> net = BertForSequenceClassification(config).eval()
>>> path = tempfile.mkdtemp() + "/model"
>>> _ = save_model(net, path, pip_requirements=[])
>>> ids = np.array([[1, 2, 3]])
>>> bool(np.allclose(TransformersPredictor(load_model(path)).predict(ids),
...                  TransformersPredictor(net).predict(ids)))
True
"""

from __future__ import annotations

import logging
import sys
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

FLAVOR = "transformers"
#: MLflow's transformers loader expects a pipeline; cairn's own loader reads these files.
LOADER_MODULE = "cairn.models.flavors.transformers"
#: MLflow's ``_MODEL_BINARY_FILE_NAME``: the ``save_pretrained`` folder.
MODEL_BINARY = "model"
_CPU = "cpu"


def _check_model(model: Any) -> None:
    from transformers import PreTrainedModel

    if not isinstance(model, PreTrainedModel):
        raise InvalidParameterValue(
            "transformers_model must be a transformers PreTrainedModel (PyTorch); got "
            f"{type(model).__name__}."
        )


def _flavor_conf_of(model: Any, task: str | None, code: str | None) -> dict[str, Any]:
    """MLflow's keys, for a bare model: the class stands where MLflow names the pipeline."""
    import transformers

    class_name = type(model).__name__
    return {
        "transformers_version": transformers.__version__,
        "code": code,
        "task": task,
        "instance_type": class_name,
        "pipeline_model_type": class_name,
        "source_model_name": str(model.name_or_path or ""),
        "model_binary": MODEL_BINARY,
        "framework": "pt",
        "torch_dtype": str(model.dtype),
        "components": [],
    }


def _requirements() -> list[str]:
    """MLflow's defaults for a PyTorch model: transformers, torch and accelerate when there."""
    import importlib.util

    needed = [pinned_provider("transformers"), pinned_provider("torch")]
    if importlib.util.find_spec("accelerate") is not None:
        needed.append(pinned_provider("accelerate"))
    return needed


def save_model(
    transformers_model: Any,
    path: str | Path,
    task: str | None = None,
    code_paths: Sequence[str] | None = None,
    signature: Any = None,
    input_example: Any = None,
    pip_requirements: Sequence[str] | str | None = None,
    extra_pip_requirements: Sequence[str] | str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Model:
    """Save a ``PreTrainedModel`` with ``save_pretrained`` into ``<path>/model``.

    An ``input_example`` (a 2-D integer array of ``input_ids``) yields a signature with the
    logits as outputs, by running the model on it as MLflow's save does.
    """
    _check_model(transformers_model)
    root = new_model_dir(path)
    transformers_model.save_pretrained(str(root / MODEL_BINARY))
    code = copy_code_paths(root, code_paths)
    flavors = {
        PYFUNC: pyfunc_conf(LOADER_MODULE, data=MODEL_BINARY, **({"code": code} if code else {})),
        FLAVOR: _flavor_conf_of(transformers_model, task, code),
    }
    options = SaveOptions(
        signature=signature,
        input_example=input_example,
        pip_requirements=pip_requirements,
        extra_pip_requirements=extra_pip_requirements,
        metadata=metadata,
        predict=TransformersPredictor(transformers_model).predict,
    )
    return finish_model(root, flavors, _requirements(), options)


def _flavor_conf(root: Path) -> Mapping[str, Any]:
    conf = read_model(root).flavors.get(FLAVOR)
    if conf is None:
        raise InvalidParameterValue(f"The model at {root} has no transformers flavor.")
    return conf


def _model_class(name: str) -> Any:
    """The Transformers class ``name``; nothing outside Transformers' models qualifies, so a
    crafted config cannot make the loader build anything else."""
    import transformers

    cls = getattr(transformers, name, None)
    if not (isinstance(cls, type) and issubclass(cls, transformers.PreTrainedModel)):
        raise InvalidParameterValue(
            f"The architecture {name!r} is not a transformers PreTrainedModel class."
        )
    return cls


def _load_pretrained(model_dir: Path, fallback: str | None, kwargs: Mapping[str, Any]) -> Any:
    """``AutoConfig`` then the architecture's ``from_pretrained``, both from local files."""
    from transformers import AutoConfig

    config = AutoConfig.from_pretrained(str(model_dir), local_files_only=True)
    architectures = getattr(config, "architectures", None) or [fallback]
    if architectures[0] is None:
        raise InvalidParameterValue(f"The model config in {model_dir} names no architecture.")
    cls = _model_class(str(architectures[0]))
    options = {"config": config, "local_files_only": True, **kwargs}
    return cls.from_pretrained(str(model_dir), **options)


def load_model(model_uri: str | Path, dst_path: str | None = None, **kwargs: Any) -> Any:
    """The ``PreTrainedModel`` itself, in eval mode; ``kwargs`` go to ``from_pretrained``
    (``device_map``, ``dtype``...)."""
    import transformers

    from cairn.models.uri import local_model_dir

    root = Path(local_model_dir(str(model_uri), dst_path))
    conf = _flavor_conf(root)
    code = conf.get("code")
    if code and str(root / code) not in sys.path:
        sys.path.insert(0, str(root / code))
    if str(conf.get("transformers_version")) != transformers.__version__:
        logger.warning(
            "Stored model version '%s' does not match installed transformers version '%s'",
            conf.get("transformers_version"),
            transformers.__version__,
        )
    model_dir = root / str(conf.get("model_binary") or MODEL_BINARY)
    instance_type = conf.get("pipeline_model_type")
    return _load_pretrained(model_dir, str(instance_type) if instance_type else None, kwargs)


class TransformersPredictor:
    """``input_ids`` in (a 2-D integer ndarray or DataFrame, one row per sequence), the
    model's first output (logits for a task head) out as an ndarray; no gradients kept."""

    def __init__(self, model: Any) -> None:
        self.raw_model = model

    def predict(self, data: Any, params: dict[str, Any] | None = None) -> Any:
        import numpy as np
        import torch

        ids = torch.from_numpy(_ids_array(data)).to(self.raw_model.device)
        was_training = self.raw_model.training
        self.raw_model.eval()  # dropout off: the same input gives the same logits
        try:
            with torch.no_grad():
                output = self.raw_model(input_ids=ids, **(params or {}))
        finally:
            self.raw_model.train(was_training)
        # A ``ModelOutput`` or tuple: item 0 is the logits (or the hidden states, headless).
        tensor = output if isinstance(output, torch.Tensor) else output[0]
        result: np.ndarray[Any, Any] = tensor.to(_CPU).numpy()
        return result


def _ids_array(data: Any) -> Any:
    import numpy as np
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        values = data.to_numpy()
    elif isinstance(data, np.ndarray):
        values = data
    else:
        raise InvalidParameterValue(
            "The transformers pyfunc model takes input_ids as a 2-D numpy array or DataFrame; "
            f"got {type(data).__name__}."
        )
    if values.ndim != 2 or not np.issubdtype(values.dtype, np.integer):
        raise InvalidParameterValue("input_ids must be a 2-D array of integers.")
    return values.astype(np.int64)


def load_pyfunc(model_path: Path, conf: Mapping[str, Any]) -> TransformersPredictor:
    """``model_path`` is the ``model`` folder (the pyfunc ``data`` key) or the model directory."""
    root = model_path if (model_path / "MLmodel").exists() else model_path.parent
    return TransformersPredictor(load_model(root))


def log_model(transformers_model: Any, name: str | None = None, **kwargs: Any) -> logged.ModelInfo:
    """Log ``transformers_model`` as a logged model of the active run (MLflow 3.x
    ``log_model``); takes ``save_model``'s options and ``run_id``, ``params``, ``tags``,
    ``step``, ``registered_model_name``."""
    return logged.log_model(save_model, transformers_model, name, flavor=FLAVOR, **kwargs)


def autolog(**options: Any) -> None:
    """Autolog ``Trainer.train`` (``cairn.transformers.autolog``); the machinery lives in
    ``cairn.autologging``, a layer above models, imported only when asked for."""
    from cairn.autologging.transformers import autolog as transformers_autolog

    transformers_autolog(**options)
