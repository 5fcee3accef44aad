"""The steps every flavor's ``save_model`` shares, in MLflow's order and file layout.

A flavor writes its own files into a fresh directory, then ``finish_model`` adds the
signature, the input example, the environment files and finally ``MLmodel`` (written last,
so a directory with an ``MLmodel`` file is a complete model).
"""

from __future__ import annotations

import logging
import platform
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cairn.errors import ResourceAlreadyExists
from cairn.models.mlmodel import PYFUNC, Model, write_model

logger = logging.getLogger(__name__)

CODE_DIR = "code"


def new_model_dir(path: str | Path) -> Path:
    """The directory to save into; refusing an existing non-empty one keeps a model from
    being half-overwritten (MLflow refuses too)."""
    root = Path(path)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise ResourceAlreadyExists(
            f"{root} already exists and is not empty; save the model to a new directory."
        )
    root.mkdir(parents=True, exist_ok=True)
    return root


def copy_code_paths(model_dir: Path, code_paths: Sequence[str] | None) -> str | None:
    """Copy user code the model needs to import; the loader puts it on ``sys.path``."""
    if not code_paths:
        return None
    target = model_dir / CODE_DIR
    target.mkdir()
    for item in code_paths:
        src = Path(item)
        if src.is_dir():
            shutil.copytree(src, target / src.name)
        else:
            shutil.copy2(src, target / src.name)
    return CODE_DIR


@dataclass(frozen=True)
class SaveOptions:
    """What the user passes to every ``save_model``/``log_model`` besides the model."""

    signature: Any = None
    input_example: Any = None
    pip_requirements: Sequence[str] | str | None = None
    extra_pip_requirements: Sequence[str] | str | None = None
    metadata: Mapping[str, Any] | None = None
    code_paths: Sequence[str] | None = None
    infer_requirements: bool = False
    #: Whether an input example without a signature yields one (MLflow's ONNX flavor: no).
    infer_signature: bool = True
    #: ``predict(data, params)`` of the model being saved, for inferring output schemas.
    predict: Callable[[Any, dict[str, Any] | None], Any] | None = None
    model_fields: Mapping[str, Any] = field(default_factory=dict)


def pyfunc_conf(loader_module: str, **extra: Any) -> dict[str, Any]:
    return {
        "loader_module": loader_module,
        "python_version": platform.python_version(),
        **{k: v for k, v in extra.items()},
    }


def _inferred(options: SaveOptions) -> Any:
    """Inputs from the example and, when the flavor can run the model, outputs from its
    prediction on it (as MLflow's save_model does); an odd example never stops the save."""
    from cairn.models.infer import infer_signature, infer_signature_from_example

    example = options.input_example
    if options.predict is not None:
        return infer_signature_from_example(example, options.predict)
    data, params = example if isinstance(example, tuple) else (example, None)
    try:
        return infer_signature(data, params=params)
    except Exception as exc:
        logger.warning("Could not infer a signature from the input example: %s", exc)
        return None


def _signature_dict(model_dir: Path, options: SaveOptions) -> tuple[Any, Any]:
    """The signature to record and the saved example's info; the signature is inferred from
    the input example when none was given (inputs only: cairn does not run the model here)."""
    from cairn.models.input_example import save_input_example
    from cairn.models.signature import ModelSignature

    signature = options.signature
    if signature is None and options.input_example is not None and options.infer_signature:
        signature = _inferred(options)
    info = None
    if options.input_example is not None:
        schema = signature.inputs if isinstance(signature, ModelSignature) else None
        info = save_input_example(options.input_example, model_dir, schema)
    as_dict = signature.to_dict() if isinstance(signature, ModelSignature) else signature
    return as_dict, info


def finish_model(
    model_dir: Path,
    flavors: Mapping[str, Mapping[str, Any]],
    requirements: Sequence[str],
    options: SaveOptions,
) -> Model:
    """Signature, example, environment and MLmodel for a directory a flavor has filled."""
    from cairn.models import environment

    signature, example_info = _signature_dict(model_dir, options)
    all_flavors = {name: dict(conf) for name, conf in flavors.items()}
    model = Model(
        flavors=all_flavors,
        signature=signature,
        saved_input_example_info=example_info,
        metadata=options.metadata,
        **dict(options.model_fields),
    )
    defaults = list(requirements)
    if options.infer_requirements and options.pip_requirements is None:
        write_model(model, model_dir)  # the inference loads the model in a subprocess
        defaults = environment.infer_pip_requirements(str(model_dir), defaults)
    wanted = environment.resolve_requirements(
        defaults, options.pip_requirements, options.extra_pip_requirements
    )
    env = environment.write_environment(model_dir, wanted)
    if PYFUNC in all_flavors:
        all_flavors[PYFUNC]["env"] = env
    return write_model(model, model_dir)
