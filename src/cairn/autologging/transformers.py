"""Hugging Face Transformers autologging: every outermost ``Trainer.train``.

``Trainer.train`` is patched (``Seq2SeqTrainer`` and most subclasses inherit it) and the
trainer gets one extra ``TrainerCallback`` for the duration of the call. What it records
follows Transformers' own ``MLflowCallback``, so runs look the same either way: the model
config and ``TrainingArguments.to_dict()`` as params (the arguments win a name clash), every
number the Trainer logs in ``on_log`` (``loss``, ``learning_rate``, ``grad_norm``, ``epoch``,
``eval_*``...) at ``step = state.global_step``, and the trained model at the end. cairn also
logs the train and eval datasets, which MLflow does not.

Metrics are written in batches (at the end, or every ``FLUSH_SECONDS`` while a long training
runs): the Trainer may log at every step, and one store write per step would cost more than
a small step. Set ``report_to="none"`` on the ``TrainingArguments`` so that Transformers'
``MLflowCallback`` does not log the same run a second time. In distributed training only the
main process (``is_world_process_zero``) logs.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

from cairn.autologging.config import AutologConfig, configure, get_config
from cairn.autologging.import_hooks import cancel, patch_on_import
from cairn.autologging.metric_rows import log_rows
from cairn.autologging.patching import OriginalCall, patch_method, unpatch_all, warn_failure
from cairn.autologging.runs import autolog_run, run_tags
from cairn.autologging.torch_datasets import dataset_record
from cairn.entities import Param
from cairn.store.tracking.validation import MAX_PARAM_VALUE_LENGTH
from cairn.tracking import fluent

INTEGRATION = "transformers"
#: The module defining ``Trainer``; importing it costs seconds, so it is patched on import.
TRAINER_MODULE = "transformers.trainer"
#: Seconds between metric writes during a long training; the rest is written at the end.
FLUSH_SECONDS = 10.0
#: ``MLflowCallback``'s rule: characters a metric name may not hold become ``_``.
_UNSAFE_NAME = re.compile(r"[^0-9A-Za-z_\-\.\ :/]")


def _log_safely(step: Callable[[], None]) -> None:
    """A logging failure is a warning; training and the run go on."""
    try:
        step()
    except Exception as exc:
        warn_failure(INTEGRATION, exc)


def training_params(trainer: Any) -> dict[str, str]:
    """The model config then the ``TrainingArguments`` (they win), as strings; values over the
    store's limit are dropped, as ``MLflowCallback`` drops them, rather than cut."""
    params: dict[str, Any] = {}
    model_config = getattr(trainer.model, "config", None)
    if model_config is not None:
        params.update(model_config.to_dict())
    params.update(trainer.args.to_dict())
    values = {key: str(value) for key, value in params.items()}
    return {k: v for k, v in values.items() if len(v) <= MAX_PARAM_VALUE_LENGTH}


def metric_values(logs: Mapping[str, Any]) -> dict[str, float]:
    """The numbers among the Trainer's logs (one-element tensors too), with safe names."""
    metrics: dict[str, float] = {}
    for key, value in logs.items():
        if isinstance(value, bool):
            continue
        if isinstance(value, (int, float)):
            metrics[_UNSAFE_NAME.sub("_", key)] = float(value)
        elif hasattr(value, "numel") and value.numel() == 1:
            metrics[_UNSAFE_NAME.sub("_", key)] = float(value.item())
    return metrics


def _collector(run_id: str) -> Any:
    """A ``TrainerCallback`` keeping each ``on_log``'s metrics until the next flush (built
    lazily so importing this module does not import Transformers)."""
    from transformers import TrainerCallback

    class Collector(TrainerCallback):
        def __init__(self) -> None:
            self.pending: list[tuple[int, dict[str, float]]] = []
            self.broken = False
            self.last_flush = time.monotonic()

        def on_log(self, args: Any, state: Any, control: Any, logs: Any = None, **_: Any) -> None:
            if self.broken or not logs:
                return
            try:
                self.pending.append((int(state.global_step), metric_values(logs)))
                if time.monotonic() - self.last_flush > FLUSH_SECONDS:
                    self.flush()
            except Exception as exc:
                self.broken = True
                warn_failure(INTEGRATION, exc)

        def flush(self) -> None:
            pending, self.pending = self.pending, []
            self.last_flush = time.monotonic()
            log_rows(run_id, pending)

    return Collector()


def _train_with(call: OriginalCall, collector: Any) -> None:
    """Run the user's ``train`` with the collector among the trainer's callbacks, and take
    it out again whatever happens (the trainer may be trained again, autolog off)."""
    handler = call.instance.callback_handler
    handler.add_callback(collector)
    try:
        call()
    finally:
        try:
            handler.remove_callback(collector)
        except Exception as exc:
            warn_failure(INTEGRATION, exc)
        _log_safely(collector.flush)  # metrics logged before a crash are kept too


def _log_params(run_id: str, trainer: Any) -> None:
    params = [Param(key, value) for key, value in training_params(trainer).items()]
    fluent.client().log_batch(run_id, params=params)


def _log_datasets(run_id: str, trainer: Any) -> None:
    """The train and eval datasets (``eval_dataset`` may be a dict of named sets)."""
    evals = trainer.eval_dataset
    named = evals.items() if isinstance(evals, dict) else [("eval", evals)]
    client = fluent.client()
    for name, dataset, context in [
        ("train", trainer.train_dataset, "train"),
        *((key, value, "eval") for key, value in named),
    ]:
        record = dataset_record(dataset, name) if dataset is not None else None
        if record is not None:
            client.log_input(run_id, record, context=context)


def _log_model(run_id: str, trainer: Any, config: AutologConfig) -> None:
    from cairn.models.flavors import transformers as flavor

    flavor.log_model(
        trainer.model,
        "model",
        run_id=run_id,
        registered_model_name=config.registered_model_name,
    )


def _train_hook(call: OriginalCall) -> None:
    """Params first, train with the collector, then the model."""
    trainer = call.instance
    if not trainer.is_world_process_zero():
        return  # the other processes train without logging (the wrapper runs the call)
    config = get_config(INTEGRATION) or AutologConfig()
    with autolog_run(config, run_tags(config, {})) as run_id:
        if run_id is None:
            return
        _log_safely(lambda: _log_params(run_id, trainer))
        if config.log_datasets:
            _log_safely(lambda: _log_datasets(run_id, trainer))
        _train_with(call, _collector(run_id))
        if config.log_models:
            _log_safely(lambda: _log_model(run_id, trainer, config))


def autolog(
    log_models: bool = True,
    log_datasets: bool = True,
    log_input_examples: bool = False,
    log_model_signatures: bool = True,
    disable: bool = False,
    exclusive: bool = False,
    silent: bool = False,
    max_tuning_runs: int | None = 5,
    registered_model_name: str | None = None,
    extra_tags: Mapping[str, Any] | None = None,
) -> None:
    """Log every ``Trainer.train``: params, metrics and the trained model (``log_models``).

    ``disable=True`` puts ``Trainer.train`` back. When ``transformers.trainer`` is not
    imported yet, the patch waits for its import (see ``import_hooks``).
    ``log_datasets`` logs ``train_dataset`` and ``eval_dataset`` (see ``torch_datasets``);
    ``log_input_examples``, ``log_model_signatures`` and ``max_tuning_runs`` are accepted
    for ``cairn.autolog`` and have no effect here.
    """
    configure(INTEGRATION, locals())
    if disable:
        cancel(TRAINER_MODULE)
        unpatch_all(INTEGRATION)
        return
    patch_on_import(TRAINER_MODULE, _patch_trainer)


def _patch_trainer(module: ModuleType) -> None:
    """Runs inside the user's ``import`` when the module loads later: it must not raise."""
    try:
        patch_method(INTEGRATION, module.Trainer, "train", _train_hook)
    except Exception as exc:
        warn_failure(INTEGRATION, exc)
