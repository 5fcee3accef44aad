"""The Lightning callback autologging adds to a ``Trainer``: params at train start, metrics kept
in memory while training runs and written in batches.

One store write per step would cost more than a small training step, so metrics are appended
to a list and sent as columns every ``FLUSH_SECONDS`` (checked at step and epoch ends)
and once more after ``fit``. Metric names, steps and params follow MLflow 3.17.2's
``mlflow/pytorch/_lightning_autolog.py``: epoch metrics at step = epoch, step metrics (with
``log_every_n_step``) at step = ``trainer.global_step``.

The callback class has to subclass the ``Callback`` of the package whose ``Trainer`` runs it
(``lightning`` and the standalone ``pytorch_lightning`` have distinct classes), so it is built
per package, lazily: importing this module imports neither torch nor Lightning.
"""

from __future__ import annotations

import functools
import importlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cairn.autologging.metric_rows import log_rows
from cairn.autologging.patching import warn_failure
from cairn.autologging.sklearn_logging import param_values
from cairn.entities import Param, RunTag
from cairn.tracking import fluent

INTEGRATION = "pytorch"
#: Seconds between metric writes while training runs; the rest is written after ``fit``.
FLUSH_SECONDS = 10.0


@dataclass(frozen=True)
class RecorderOptions:
    """MLflow's Lightning-only autolog options."""

    log_every_n_epoch: int = 1
    log_every_n_step: int | None = None
    capture_signature: bool = True


@dataclass
class Recording:
    """What the callback saw: pending metrics, which names went per step or per epoch, and the
    first batch's model input and output (for the model signature)."""

    run_id: str
    options: RecorderOptions
    pending: list[tuple[int, dict[str, float]]] = field(default_factory=list)
    step_metrics: set[str] = field(default_factory=set)
    epoch_metrics: set[str] = field(default_factory=set)
    steps_per_training_step: int = 1
    example: tuple[Any, Any] | None = None
    undo_capture: Callable[[], None] = lambda: None
    last_flush: float = field(default_factory=time.monotonic)
    broken: bool = False

    def record(self, metrics: Mapping[str, Any], step: int) -> None:
        if metrics:
            self.pending.append((step, {k: float(v) for k, v in metrics.items()}))

    def flush(self) -> None:
        """Send what is pending as metric columns (one store call; see ``metric_rows``)."""
        pending, self.pending = self.pending, []
        self.last_flush = time.monotonic()
        log_rows(self.run_id, pending)

    def flush_if_due(self) -> None:
        if self.pending and time.monotonic() - self.last_flush >= FLUSH_SECONDS:
            self.flush()


def optimizer_name(optimizer: Any) -> str:
    """The wrapped optimizer's class name (Lightning may wrap it in ``LightningOptimizer``)."""
    inner = getattr(optimizer, "_optimizer", optimizer)
    return type(inner).__name__


def train_params(trainer: Any, module: Any) -> dict[str, Any]:
    """``module.hparams``, then MLflow's ``epochs``, ``optimizer_name`` and the first
    optimizer's ``defaults`` (``lr``, ``betas``, ``weight_decay``...); MLflow's win a clash."""
    params: dict[str, Any] = dict(getattr(module, "hparams", None) or {})
    params["epochs"] = trainer.max_epochs
    optimizers = list(getattr(trainer, "optimizers", None) or [])
    if optimizers:
        params["optimizer_name"] = optimizer_name(optimizers[0])
        params.update(getattr(optimizers[0], "defaults", None) or {})
    return params


def epoch_metrics(recording: Recording, trainer: Any) -> dict[str, Any]:
    """``callback_metrics`` less the names already logged per step (MLflow's rule)."""
    return {k: v for k, v in trainer.callback_metrics.items() if k not in recording.step_metrics}


def step_metrics(recording: Recording, trainer: Any) -> dict[str, Any]:
    """Step-logged values: not epoch metrics, and for a metric logged on both step and epoch
    only its ``<name>_step`` form (MLflow's rule)."""
    metrics = trainer.callback_metrics
    return {
        k: v
        for k, v in metrics.items()
        if k not in recording.epoch_metrics and f"{k}_step" not in metrics
    }


def _guarded(method: Callable[..., None]) -> Callable[..., None]:
    """A callback step that fails warns once and turns the recorder off; training goes on."""

    @functools.wraps(method)
    def guarded(self: Any, trainer: Any, *args: Any) -> None:
        recording: Recording = self.recording
        if recording.broken or not trainer.is_global_zero or trainer.sanity_checking:
            return
        try:
            method(self, trainer, *args)
        except Exception as exc:
            recording.broken = True
            warn_failure(INTEGRATION, exc)

    return guarded


def _on_train_start(self: Any, trainer: Any, module: Any) -> None:
    recording: Recording = self.recording
    recording.steps_per_training_step = max(1, len(getattr(trainer, "optimizers", None) or []))
    params = [Param(k, v) for k, v in param_values(train_params(trainer, module)).items()]
    fluent.client().log_batch(recording.run_id, params=params, tags=[RunTag("Mode", "training")])
    if recording.options.capture_signature:
        capture_first_forward(recording, module)


def _on_train_batch_end(self: Any, trainer: Any, *args: Any) -> None:
    recording: Recording = self.recording
    every = recording.options.log_every_n_step
    if every:
        metrics = step_metrics(recording, trainer)
        recording.step_metrics.update(metrics)
        step = trainer.global_step
        if (step // recording.steps_per_training_step + 1) % every == 0:
            recording.record(metrics, step)
    recording.flush_if_due()


def _on_train_epoch_end(self: Any, trainer: Any, module: Any) -> None:
    recording: Recording = self.recording
    metrics = epoch_metrics(recording, trainer)
    recording.epoch_metrics.update(metrics)
    if (trainer.current_epoch + 1) % recording.options.log_every_n_epoch == 0:
        recording.record(metrics, trainer.current_epoch)
    recording.flush_if_due()


def capture_first_forward(recording: Recording, module: Any) -> None:
    """Wrap ``module.forward`` (on the instance) until its first call, keeping one tensor in
    and out as the signature example; the wrapper removes itself, so later steps pay nothing.
    ``recording.undo_capture`` removes it when no forward ran."""
    import torch

    original = module.forward
    had_own = "forward" in module.__dict__

    def undo() -> None:
        if module.__dict__.get("forward") is first_forward:
            if had_own:
                module.forward = original
            else:
                del module.forward

    def first_forward(*inputs: Any, **kwargs: Any) -> Any:
        undo()
        result = original(*inputs, **kwargs)
        tensors = len(inputs) == 1 and isinstance(inputs[0], torch.Tensor)
        if tensors and isinstance(result, torch.Tensor):
            recording.example = (inputs[0].detach().cpu(), result.detach().cpu())
        return result

    recording.undo_capture = undo
    module.forward = first_forward


@functools.cache
def recorder_class(package: str) -> type:
    """The ``Callback`` subclass for ``package`` (``lightning.pytorch`` or
    ``pytorch_lightning``)."""
    callback: Any = importlib.import_module(package).Callback

    def init(self: Any, recording: Recording) -> None:
        callback.__init__(self)
        self.recording = recording

    return type(
        "CairnAutologCallback",
        (callback,),
        {
            "__init__": init,
            "__doc__": "Records params and metrics for cairn autologging.",
            "on_train_start": _guarded(_on_train_start),
            "on_train_batch_end": _guarded(_on_train_batch_end),
            "on_train_epoch_end": _guarded(_on_train_epoch_end),
        },
    )
