"""PyTorch Lightning autologging: every outermost ``Trainer.fit``, as ``mlflow.pytorch.autolog``.

``Trainer.fit`` is patched on ``lightning.Trainer`` and, when installed as its own package, on
``pytorch_lightning.Trainer``. The fit gets one extra callback (see
``pytorch_lightning_recorder``) that logs params at train start and keeps metrics in memory,
writing them in batches; after ``fit`` come the early-stopping results, ``model_summary.txt``
and the model: the best checkpoint's weights when a monitoring ``ModelCheckpoint`` ran (and
``checkpoint=True``), else the trained module, via ``cairn.pytorch.log_model``.
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from cairn.autologging.config import AutologConfig, configure, get_config
from cairn.autologging.import_hooks import cancel, patch_on_import
from cairn.autologging.patching import OriginalCall, patch_method, unpatch_all, warn_failure
from cairn.autologging.pytorch_lightning_recorder import (
    INTEGRATION,
    RecorderOptions,
    Recording,
    recorder_class,
)
from cairn.autologging.runs import autolog_run, run_tags
from cairn.autologging.sklearn_logging import log_params
from cairn.autologging.torch_datasets import dataset_record
from cairn.entities import Metric
from cairn.tracking import fluent

#: The packages whose ``Trainer.fit`` is patched (import name of the ``Trainer``'s package).
PACKAGES = ("lightning.pytorch", "pytorch_lightning")
#: The modules defining those ``Trainer`` classes: patched when first imported (importing
#: Lightning takes seconds, which ``cairn.autolog()`` must not cost a script not using it).
TRAINER_MODULES = tuple(f"{package}.trainer.trainer" for package in PACKAGES)
#: MLflow's early-stopping params (``stopped_epoch`` is logged as set before ``fit``: 0).
EARLY_STOP_PARAMS = ("monitor", "mode", "patience", "min_delta", "stopped_epoch")
_OPTIONS: dict[str, Any] = {"recorder": RecorderOptions(), "checkpoint": True}


def _log_safely(step: Callable[[], None]) -> None:
    """Training succeeded: a logging failure is a warning and the run still ends FINISHED."""
    try:
        step()
    except Exception as exc:
        warn_failure(INTEGRATION, exc)


def _package_of(trainer: Any) -> str:
    module = type(trainer).__module__
    return next((p for p in PACKAGES if module.startswith(p + ".")), PACKAGES[0])


def _fit_module(call: OriginalCall) -> Any:
    return call.kwargs["model"] if "model" in call.kwargs else call.args[0]


def _fit_hook(call: OriginalCall) -> None:
    """Add the recorder, fit, then log what only the finished fit knows."""
    config = get_config(INTEGRATION) or AutologConfig()
    trainer = call.instance
    with autolog_run(config, run_tags(config, {})) as run_id:
        if run_id is None:
            return
        early_stop = trainer.early_stopping_callback
        if early_stop is not None:
            _log_safely(lambda: log_params(run_id, _early_stop_params(early_stop)))
        recording = Recording(run_id, _recorder_options(config))
        recorder = recorder_class(_package_of(trainer))(recording)
        trainer.callbacks = [*trainer.callbacks, recorder]
        try:
            call()
        finally:
            trainer.callbacks = [c for c in trainer.callbacks if c is not recorder]
            recording.undo_capture()
            _log_safely(recording.flush)
        _log_safely(lambda: _log_fit(run_id, trainer, _fit_module(call), early_stop, recording))
        if config.log_datasets:
            _log_safely(lambda: _log_datasets(run_id, trainer))


def _loaders(value: Any) -> list[Any]:
    """Lightning accepts one loader, or a list or dict of them."""
    if value is None:
        return []
    if isinstance(value, dict):
        return list(value.values())
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _log_datasets(run_id: str, trainer: Any) -> None:
    """The train and validation loaders' datasets (MLflow logs none; see ``torch_datasets``)."""
    client = fluent.client()
    for value, context in ((trainer.train_dataloader, "train"), (trainer.val_dataloaders, "eval")):
        for loader in _loaders(value):
            record = dataset_record(loader, context)
            if record is not None:
                client.log_input(run_id, record, context=context)


def _recorder_options(config: AutologConfig) -> RecorderOptions:
    options: RecorderOptions = _OPTIONS["recorder"]
    capture = config.log_models and config.log_model_signatures
    return RecorderOptions(options.log_every_n_epoch, options.log_every_n_step, capture)


def _early_stop_params(callback: Any) -> dict[str, Any]:
    return {p: getattr(callback, p) for p in EARLY_STOP_PARAMS if hasattr(callback, p)}


def _early_stop_metrics(callback: Any) -> dict[str, float]:
    """MLflow's: nothing unless it stopped; ``restored_epoch`` is stopped minus patience."""
    if callback.stopped_epoch == 0:
        return {}
    metrics = {
        "stopped_epoch": float(callback.stopped_epoch),
        "restored_epoch": float(callback.stopped_epoch - max(1, callback.patience)),
    }
    if hasattr(callback, "best_score"):
        metrics["best_score"] = float(callback.best_score)
    if hasattr(callback, "wait_count"):
        metrics["wait_count"] = float(callback.wait_count)
    return metrics


def _log_fit(run_id: str, trainer: Any, module: Any, early_stop: Any, recording: Recording) -> None:
    client = fluent.client()
    if early_stop is not None:
        stamp = int(time.time() * 1000)
        metrics = _early_stop_metrics(early_stop).items()
        client.log_batch(run_id, metrics=[Metric(k, v, stamp, 0) for k, v in metrics])
    client.log_text(run_id, _model_summary(trainer, module), "model_summary.txt")
    config = get_config(INTEGRATION) or AutologConfig()
    if config.log_models:
        _log_model(run_id, _model_to_log(trainer, module), recording, config)


def _model_summary(trainer: Any, module: Any) -> str:
    summary = importlib.import_module(f"{_package_of(trainer)}.utilities.model_summary")
    return str(summary.ModelSummary(module, max_depth=-1))


def best_checkpoint(trainer: Any) -> str | None:
    """The best checkpoint of a ``ModelCheckpoint`` that monitors a metric (without a
    monitor, "best" is just the last one, the trained module itself)."""
    callback = getattr(trainer, "checkpoint_callback", None)
    if callback is None or getattr(callback, "monitor", None) is None:
        return None
    path = getattr(callback, "best_model_path", "")
    return path if path and Path(path).is_file() else None


def _model_to_log(trainer: Any, module: Any) -> Any:
    """The trained module, or a copy holding the best checkpoint's weights.

    The checkpoint is the file Lightning wrote during this ``fit``, so it is loaded with
    ``weights_only=False`` (Lightning's own checkpoints hold more than tensors).
    """
    import torch

    path = best_checkpoint(trainer) if _OPTIONS["checkpoint"] else None
    if path is None:
        return module
    state = torch.load(path, map_location="cpu", weights_only=False)["state_dict"]
    best = copy.deepcopy(module)
    best.load_state_dict(state)
    return best


def _log_model(run_id: str, model: Any, recording: Recording, config: AutologConfig) -> None:
    """As MLflow: pickled (a LightningModule rarely traces with ``torch.export``), with a
    signature from the first training batch's tensor in and out when there was one."""
    from cairn.models.flavors import pytorch as flavor
    from cairn.models.infer import infer_signature

    signature = None
    if recording.example is not None and config.log_model_signatures:
        inputs, outputs = recording.example
        signature = infer_signature(inputs.numpy(), outputs.numpy())
    flavor.log_model(
        model,
        "model",
        run_id=run_id,
        signature=signature,
        serialization_format="pickle",
        registered_model_name=config.registered_model_name,
    )


def _patch_trainer(module: ModuleType) -> None:
    """Patch ``module.Trainer`` (called right after the Trainer's module is imported)."""
    try:
        patch_method(INTEGRATION, module.Trainer, "fit", _fit_hook)
    except Exception as exc:
        warn_failure(INTEGRATION, exc)


def autolog(
    log_every_n_epoch: int = 1,
    log_every_n_step: int | None = None,
    log_models: bool = True,
    log_datasets: bool = True,
    log_input_examples: bool = False,
    disable: bool = False,
    exclusive: bool = False,
    silent: bool = False,
    registered_model_name: str | None = None,
    extra_tags: Mapping[str, Any] | None = None,
    checkpoint: bool = True,
    log_model_signatures: bool = True,
    max_tuning_runs: int | None = None,
) -> None:
    """Log every Lightning ``Trainer.fit``; ``disable=True`` undoes it.

    MLflow's options: metrics every ``log_every_n_epoch`` epochs (step = epoch) and, with
    ``log_every_n_step``, step metrics (step = ``trainer.global_step``); ``checkpoint`` logs
    the best checkpoint's weights as the model when a monitoring ``ModelCheckpoint`` ran.
    ``log_datasets`` logs the train and validation loaders' datasets (MLflow logs none);
    ``log_input_examples`` and ``max_tuning_runs`` are accepted for ``cairn.autolog`` and
    unused.
    """
    configure(INTEGRATION, locals())
    _OPTIONS["recorder"] = RecorderOptions(log_every_n_epoch, log_every_n_step)
    _OPTIONS["checkpoint"] = checkpoint
    if disable:
        unpatch_all(INTEGRATION)
        for module_name in TRAINER_MODULES:
            cancel(module_name)
        return
    for module_name in TRAINER_MODULES:
        if importlib.util.find_spec(module_name.split(".")[0]) is not None:
            patch_on_import(module_name, _patch_trainer)


__all__ = ["autolog", "best_checkpoint"]
