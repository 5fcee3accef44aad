"""Transformers ``Trainer`` autologging, on a tiny BERT built from a config in the test."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import cairn
from cairn.autologging import import_hooks, patching
from cairn.autologging import transformers as transformers_autolog
from cairn.autologging.patching import AutologgingWarning
from cairn.entities import RunStatus
from cairn.tracking import fluent
from cairn.tracking.client import CairnClient
from live_server import LiveServer

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

STEPS_PER_EPOCH = 3  # 12 samples in batches of 4
EPOCHS = 2


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


class Tokens(torch.utils.data.Dataset):
    """Random ``input_ids`` and labels, the same for a given seed."""

    def __init__(self, size: int, seed: int) -> None:
        generator = torch.Generator().manual_seed(seed)
        self.ids = torch.randint(0, 50, (size, 8), generator=generator)
        self.labels = torch.randint(0, 2, (size,), generator=generator)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: int) -> dict[str, Any]:
        return {"input_ids": self.ids[index], "labels": self.labels[index]}


def _trainer(output_dir: Path, callbacks: list[Any] | None = None) -> Any:
    torch.manual_seed(0)
    config = transformers.BertConfig(
        vocab_size=50,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
    )
    model = transformers.BertForSequenceClassification(config)
    args = transformers.TrainingArguments(
        output_dir=str(output_dir),
        num_train_epochs=EPOCHS,
        per_device_train_batch_size=4,
        logging_steps=1,
        eval_strategy="epoch",
        report_to=[],
        use_cpu=True,
        save_strategy="no",
        disable_tqdm=True,
    )
    return transformers.Trainer(
        model=model,
        args=args,
        train_dataset=Tokens(12, seed=0),
        eval_dataset=Tokens(8, seed=1),
        callbacks=callbacks,
    )


def _only_run() -> Any:
    runs = cairn.search_runs(output_format="list")
    assert len(runs) == 1
    return runs[0]


def _steps(run_id: str, key: str, client: CairnClient | None = None) -> list[int]:
    history = (client or fluent.client()).get_metric_history(run_id, key)
    return [m.step for m in history]


def _logits(model: Any, ids: Any) -> Any:
    model.eval()
    with torch.no_grad():
        return model(input_ids=ids).logits.numpy()


def _metric_writes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many points each metric write carried."""
    writes: list[int] = []
    original = CairnClient.log_metric_series

    def counting(self: CairnClient, run_id: str, series: Any) -> None:
        writes.append(sum(len(s) for s in series))
        original(self, run_id, series)

    monkeypatch.setattr(CairnClient, "log_metric_series", counting)
    return writes


def _digest(dataset: Tokens) -> str:
    return cairn.data.from_numpy(dataset.ids.numpy(), targets=dataset.labels.numpy()).digest


def test_train_logs_params_metrics_datasets_and_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes = _metric_writes(monkeypatch)
    cairn.transformers.autolog()
    trainer = _trainer(tmp_path / "out")
    output = trainer.train()
    assert output.global_step == STEPS_PER_EPOCH * EPOCHS and cairn.active_run() is None
    run = _only_run()
    assert run.info.status == RunStatus.FINISHED
    params = run.data.param_dict
    assert params["learning_rate"] == "5e-05" and params["num_train_epochs"] == "2"
    assert params["per_device_train_batch_size"] == "4" and params["hidden_size"] == "16"
    assert params["output_dir"] == str(tmp_path / "out") and params["report_to"] == "[]"
    run_id = run.info.run_id
    every_step = list(range(1, STEPS_PER_EPOCH * EPOCHS + 1))
    for key in ("loss", "learning_rate", "grad_norm"):
        assert _steps(run_id, key) == every_step
    assert _steps(run_id, "eval_loss") == [STEPS_PER_EPOCH, 2 * STEPS_PER_EPOCH]
    assert _steps(run_id, "train_loss") == [STEPS_PER_EPOCH * EPOCHS]
    assert run.data.metric_dict["epoch"] == 2.0
    assert run.data.metric_dict["train_loss"] == output.training_loss
    assert len(writes) == 1  # every metric of the training in one write
    inputs = {(d.tags[0].value, d.dataset.digest) for d in run.inputs.dataset_inputs}
    assert inputs == {("train", _digest(Tokens(12, seed=0))), ("eval", _digest(Tokens(8, seed=1)))}
    models = list(fluent.client().search_logged_models([run.info.experiment_id]))
    assert len(models) == 1 and models[0].source_run_id == run_id
    ids = Tokens(5, seed=2).ids
    loaded = cairn.transformers.load_model(f"models:/{models[0].model_id}")
    assert type(loaded) is type(trainer.model)
    np.testing.assert_allclose(_logits(loaded, ids), _logits(trainer.model, ids), rtol=1e-6)
    predicted = cairn.pyfunc.load_model(f"models:/{models[0].model_id}").predict(ids.numpy())
    np.testing.assert_allclose(predicted, _logits(trainer.model, ids), rtol=1e-6)


def test_train_joins_the_users_run_and_leaves_it_open(tmp_path: Path) -> None:
    cairn.transformers.autolog(log_models=False)
    trainer = _trainer(tmp_path / "out")
    callbacks = list(trainer.callback_handler.callbacks)
    with cairn.start_run() as run:
        trainer.train()
        assert cairn.active_run() is not None
    assert trainer.callback_handler.callbacks == callbacks  # the collector is gone again
    logged = _only_run()
    assert logged.info.run_id == run.info.run_id
    assert logged.data.param_dict["num_train_epochs"] == "2"
    assert _steps(run.info.run_id, "eval_loss") == [STEPS_PER_EPOCH, 2 * STEPS_PER_EPOCH]
    assert list(fluent.client().search_logged_models([logged.info.experiment_id])) == []


def test_a_long_training_writes_metrics_while_it_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes = _metric_writes(monkeypatch)
    monkeypatch.setattr(transformers_autolog, "FLUSH_SECONDS", -1.0)  # every log is "late"
    cairn.transformers.autolog(log_models=False)
    _trainer(tmp_path / "out").train()
    logs = STEPS_PER_EPOCH * EPOCHS + EPOCHS + 1  # each step, each evaluation, the summary
    assert len(writes) == logs
    assert _steps(_only_run().info.run_id, "loss") == list(range(1, 7))


class _Crash(transformers.TrainerCallback):
    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if state.global_step == 2:
            raise KeyError("user code broke")


def test_a_crashing_train_raises_unchanged_and_fails_the_run(tmp_path: Path) -> None:
    cairn.transformers.autolog()
    trainer = _trainer(tmp_path / "out", callbacks=[_Crash()])
    with pytest.raises(KeyError, match="user code broke"):
        trainer.train()
    run = _only_run()
    assert run.info.status == RunStatus.FAILED and cairn.active_run() is None
    assert _steps(run.info.run_id, "loss") == [1]  # what was logged before the crash is kept
    assert list(fluent.client().search_logged_models([run.info.experiment_id])) == []


def _boom(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("logging broke")


def test_failing_hook_warns_and_training_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transformers_autolog, "metric_values", _boom)
    monkeypatch.setattr(transformers_autolog, "training_params", _boom)
    cairn.transformers.autolog(log_models=False)
    trainer = _trainer(tmp_path / "out")
    with pytest.warns(AutologgingWarning, match="logging broke"):
        output = trainer.train()
    assert output.global_step == STEPS_PER_EPOCH * EPOCHS
    run = _only_run()
    assert run.info.status == RunStatus.FINISHED
    assert run.data.param_dict == {} and run.data.metric_dict == {}


def test_failing_model_logging_warns_and_the_run_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cairn.transformers, "log_model", _boom)
    cairn.transformers.autolog()
    with pytest.warns(AutologgingWarning, match="logging broke"):
        _trainer(tmp_path / "out").train()
    run = _only_run()
    assert run.info.status == RunStatus.FINISHED and "loss" in run.data.metric_dict


def test_disable_puts_train_back(tmp_path: Path) -> None:
    original = transformers.Trainer.train
    cairn.autolog()
    assert transformers.Trainer.train is not original
    cairn.transformers.autolog(disable=True)
    assert transformers.Trainer.train is original
    _trainer(tmp_path / "out").train()
    assert cairn.search_runs(output_format="list") == []


def test_autolog_before_the_trainer_module_is_imported_patches_it_on_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Turning autologging on does not pay for importing Trainer (seconds): the patch waits
    for the module's import (a stand-in module here, as the real one is loaded already)."""
    (tmp_path / "fake_trainer_module.py").write_text(
        "class Trainer:\n    def train(self):\n        return 'trained'\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(transformers_autolog, "TRAINER_MODULE", "fake_trainer_module")
    monkeypatch.delitem(sys.modules, "fake_trainer_module", raising=False)
    cairn.transformers.autolog()
    assert "fake_trainer_module" not in sys.modules
    assert import_hooks.waiting("fake_trainer_module")
    module = importlib.import_module("fake_trainer_module")
    assert not import_hooks.waiting("fake_trainer_module")
    assert (module.Trainer, "train") in patching.patched_methods("transformers")


def test_disable_before_the_import_stops_waiting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transformers_autolog, "TRAINER_MODULE", "fake_trainer_never_imported")
    cairn.transformers.autolog()
    assert import_hooks.waiting("fake_trainer_never_imported")
    cairn.transformers.autolog(disable=True)
    assert not import_hooks.waiting("fake_trainer_never_imported")


def test_train_logs_to_a_live_server(tmp_path: Path, live_server: LiveServer) -> None:
    cairn.set_tracking_uri(live_server.url)
    cairn.transformers.autolog()
    trainer = _trainer(tmp_path / "out")
    trainer.train()
    run = _only_run()
    assert run.data.param_dict["learning_rate"] == "5e-05"
    client = fluent.client()
    assert _steps(run.info.run_id, "loss", client) == list(range(1, 7))
    assert _steps(run.info.run_id, "eval_loss", client) == [3, 6]
    (logged,) = list(client.search_logged_models([run.info.experiment_id]))
    loaded = cairn.transformers.load_model(f"models:/{logged.model_id}")
    ids = Tokens(4, seed=3).ids
    np.testing.assert_allclose(_logits(loaded, ids), _logits(trainer.model, ids), rtol=1e-6)
