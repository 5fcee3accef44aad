"""The ``pt2`` format of the PyTorch flavor: a graph traced by ``torch.export``.

Tracing runs ``forward`` on the input example, so the example decides the graph; the
signature's ``-1`` axes become dynamic dimensions, as MLflow 3.17.2 marks them, so a batch
of any size fits. Loading rebuilds the graph from the archive without importing the model's
class. ``torch.export.load`` still unpickles parts of the archive (MLflow checks them only
when pickle loading is switched off, which it is not by default): a pt2 file is safer than a
pickled module, not a file to take from strangers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cairn.errors import InvalidParameterValue

EXPORT_FILE = "model.pt2"
#: ``torch.export.save``/``load`` and ``Dim`` as MLflow uses them.
MIN_TORCH = (2, 4)


def example_inputs(example: Any) -> tuple[Any, ...]:
    """The example as a tuple of arrays/tensors, one per ``forward`` argument."""
    import numpy as np
    import torch

    kinds = (np.ndarray, torch.Tensor)
    items = (example,) if isinstance(example, kinds) else example
    if not (
        isinstance(items, (list, tuple)) and items and all(isinstance(v, kinds) for v in items)
    ):
        raise InvalidParameterValue(
            "serialization_format='pt2' needs an input_example: a numpy array or torch tensor, "
            "or a tuple/list of them. pt2 traces the model by running forward on it; save "
            "with serialization_format='pickle' to go without one."
        )
    return tuple(items)


def pyfunc_servable(examples: Sequence[Any] | None) -> bool:
    """Whether pyfunc can feed the traced model: one input, traced on an array (MLflow's
    rule; pyfunc hands ``forward`` one array)."""
    import torch

    if examples is None:
        return True
    return len(examples) == 1 and not isinstance(examples[0], torch.Tensor)


def _tensor_specs(signature: Any, count: int) -> Sequence[Any]:
    from cairn.models.signature import ModelSignature

    inputs = signature.inputs if isinstance(signature, ModelSignature) else None
    if inputs is None or not inputs.is_tensor_spec():
        raise InvalidParameterValue(
            "serialization_format='pt2' needs a signature whose inputs are TensorSpecs "
            "(inferred from an array input_example, or given); update the signature or use "
            "serialization_format='pickle'."
        )
    specs: Sequence[Any] = inputs.inputs
    if len(specs) != count:
        raise InvalidParameterValue(
            f"The signature has {len(specs)} inputs but the input_example {count}; they must "
            "match one to one for pt2."
        )
    return specs


def _dynamic_shapes(specs: Sequence[Any], tensors: Sequence[Any]) -> list[Any]:
    """``Dim.AUTO`` on every ``-1`` axis (torch >= 2.6 decides and keeps a size-1 axis
    static); older torch gets a shared named ``Dim`` per axis index, skipping size-1 axes."""
    from torch.export import Dim

    shapes: list[Any] = []
    for spec, tensor in zip(specs, tensors, strict=True):
        shape: dict[int, Any] = {}
        for axis, size in enumerate(spec.shape):
            if size != -1:
                continue
            if hasattr(Dim, "AUTO"):
                shape[axis] = Dim.AUTO
            elif tensor.shape[axis] > 1:
                shape[axis] = Dim(f"dim_{axis}")
        shapes.append(shape or None)
    return shapes


def export(model: Any, examples: Sequence[Any] | None, signature: Any) -> Any:
    """The ``ExportedProgram`` of ``model`` traced on ``examples``."""
    import numpy as np
    import torch

    if tuple(int(p) for p in torch.__version__.split(".")[:2]) < MIN_TORCH:
        raise InvalidParameterValue("serialization_format='pt2' needs torch >= 2.4.")
    examples = examples or ()
    specs = _tensor_specs(signature, len(examples))
    tensors = [
        torch.from_numpy(v if v.flags.writeable else v.copy()) if isinstance(v, np.ndarray) else v
        for v in examples
    ]
    try:
        return torch.export.export(
            model, tuple(tensors), dynamic_shapes=_dynamic_shapes(specs, tensors)
        )
    except Exception as exc:
        raise InvalidParameterValue(
            f"torch.export could not trace the model on the input example ({exc}); save it "
            "with serialization_format='pickle' instead."
        ) from exc


def load(data_dir: Path, device: str | None) -> Any:
    """The traced module. Its weights stay on the device they were saved from (an exported
    graph cannot move them), so a different ``device`` is refused rather than failing later."""
    import torch

    path = data_dir / EXPORT_FILE
    if not path.exists():
        raise InvalidParameterValue(f"{data_dir} holds neither model.pth nor {EXPORT_FILE}.")
    model = torch.export.load(str(path)).module()
    if device:
        wanted = torch.device(device).type
        for tensor in [*model.parameters(), *model.buffers()]:
            if tensor.device.type != wanted:
                raise InvalidParameterValue(
                    f"The pt2 model's weights are on '{tensor.device.type}' and cannot be "
                    f"moved to '{wanted}'; save it with model.to('{wanted}') instead."
                )
    return model
