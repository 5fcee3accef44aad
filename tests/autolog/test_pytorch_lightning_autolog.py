"""PyTorch Lightning autologging: ``Trainer.fit`` on a tiny regressor and data made in the test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import cairn
from cairn.autologging import patching, pytorch_lightning, pytorch_lightning_recorder
from cairn.autologging.patching import AutologgingWarning
from cairn.entities import RunStatus
from cairn.tracking import fluent
from live_server import LiveServer

torch = pytest.importorskip("torch")
L = pytest.importorskip("lightning")
from torch.utils.data import DataLoader, TensorDataset  # noqa: E402

# Lightning 2.6 builds a ``LeafSpec`` that torch 2.15 deprecates, on every fit.
pytestmark = pytest.mark.filterwarnings(
    r"ignore:`isinstance\(treespec, LeafSpec\)` is deprecated:FutureWarning"
)

EPOCHS = 3
BATCHES = 4  # per epoch: 64 rows in batches of 16


class Regressor(L.LightningModule):
    """One linear layer; logs ``train_loss`` (per step and epoch) and ``val_loss``."""

    def __init__(self, lr: float = 0.05, hidden: int = 4) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.layer = torch.nn.Linear(3, 1)

    def forward(self, x: Any) -> Any:
        return self.layer(x)

    def training_step(self, batch: Any, index: int) -> Any:
        x, y = batch
        loss = torch.nn.functional.mse_loss(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch: Any, index: int) -> None:
        x, y = batch
        self.log("val_loss", torch.nn.functional.mse_loss(self(x), y))

    def configure_optimizers(self) -> Any:
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


@pytest.fixture
def loader() -> Any:
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(64, 3, generator=generator)
    y = x @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.1 * torch.randn(64, 1, generator=generator)
    return DataLoader(TensorDataset(x, y), batch_size=16)


def _trainer(root: Path, package: Any = L, **kwargs: Any) -> Any:
    """Quiet and CPU-only: no progress bar, summary or logger (``self.log`` still fills
    ``callback_metrics``, which is what autologging reads)."""
    options = dict(
        max_epochs=EPOCHS,
        accelerator="cpu",
        enable_progress_bar=False,
        enable_model_summary=False,
        logger=False,
        log_every_n_steps=1,
        default_root_dir=str(root),
    )
    return package.Trainer(**{**options, **kwargs})


def _fit(root: Path, loader: Any, **kwargs: Any) -> tuple[Any, Any]:
    torch.manual_seed(0)
    module = Regressor()
    trainer = _trainer(root, **kwargs)
    trainer.fit(module, loader, loader)
    return trainer, module


def _only_run() -> Any:
    runs = cairn.search_runs(output_format="list")
    assert len(runs) == 1
    return runs[0]


def _steps(run_id: str, key: str) -> list[int]:
    return [m.step for m in fluent.client().get_metric_history(run_id, key)]


def _logged_model(run: Any) -> Any:
    (model,) = list(fluent.client().search_logged_models([run.info.experiment_id]))
    assert model.source_run_id == run.info.run_id
    return cairn.pytorch.load_model(f"models:/{model.model_id}")


def _predict(module: Any, x: Any) -> Any:
    with torch.no_grad():
        return module(x).numpy()


def test_fit_logs_params_epoch_metrics_datasets_summary_and_model(
    tmp_path: Path, loader: Any
) -> None:
    cairn.pytorch.autolog()
    trainer, module = _fit(tmp_path, loader)
    assert cairn.active_run() is None
    run = _only_run()
    assert run.info.status == RunStatus.FINISHED
    params = run.data.param_dict
    defaults = trainer.optimizers[0].defaults
    expected = {"lr": "0.05", "hidden": "4", "epochs": str(EPOCHS), "optimizer_name": "Adam"}
    assert params == {**{k: str(v) for k, v in defaults.items()}, **expected}
    assert params["betas"] == "(0.9, 0.999)" and params["weight_decay"] == "0"
    assert run.data.tag_dict["Mode"] == "training"
    assert set(run.data.metric_dict) == {"train_loss", "train_loss_epoch", "train_loss_step"} | {
        "val_loss"
    }
    for key in ("train_loss", "train_loss_epoch", "val_loss", "train_loss_step"):
        assert _steps(run.info.run_id, key) == list(range(EPOCHS))
    assert run.data.metric_dict["val_loss"] == pytest.approx(
        float(trainer.callback_metrics["val_loss"])
    )
    summary = fluent.client().load_text(run.info.run_id, "model_summary.txt")
    assert "layer" in summary and "Linear" in summary
    features, targets = loader.dataset.tensors
    digest = cairn.data.from_numpy(features.numpy(), targets=targets.numpy()).digest
    inputs = sorted((d.tags[0].value, d.dataset.digest) for d in run.inputs.dataset_inputs)
    assert inputs == [("eval", digest), ("train", digest)]  # fit(module, loader, loader)
    x = torch.randn(5, 3)
    loaded = _logged_model(run)
    assert _predict(loaded, x).tolist() == _predict(module, x).tolist()
    assert "forward" not in module.__dict__  # the signature capture took itself off


def test_log_every_n_step_logs_step_metrics_at_global_steps(tmp_path: Path, loader: Any) -> None:
    cairn.pytorch.autolog(log_every_n_step=2, log_models=False)
    _fit(tmp_path, loader)
    run = _only_run()
    # MLflow's rule: the global step after the batch, when (step + 1) % n == 0.
    assert _steps(run.info.run_id, "train_loss_step") == [1, 3, 5, 7, 9, 11]
    assert _steps(run.info.run_id, "train_loss_epoch") == list(range(EPOCHS))
    assert _steps(run.info.run_id, "val_loss") == list(range(EPOCHS))


def test_log_every_n_epoch_skips_epochs(tmp_path: Path, loader: Any) -> None:
    cairn.pytorch.autolog(log_every_n_epoch=2, log_models=False)
    _fit(tmp_path, loader, max_epochs=4)
    assert _steps(_only_run().info.run_id, "val_loss") == [1, 3]


def test_metrics_are_written_in_batches_not_per_step(
    tmp_path: Path, loader: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    flushes: list[int] = []
    original = pytorch_lightning_recorder.Recording.flush

    def counting(self: Any) -> None:
        flushes.append(sum(len(row) for _, row in self.pending))
        original(self)

    monkeypatch.setattr(pytorch_lightning_recorder.Recording, "flush", counting)
    cairn.pytorch.autolog(log_every_n_step=1, log_models=False)
    _fit(tmp_path, loader)
    assert flushes == [EPOCHS * BATCHES + EPOCHS * 3]  # one write after fit
    monkeypatch.setattr(pytorch_lightning_recorder, "FLUSH_SECONDS", 0.0)
    flushes.clear()
    _fit(tmp_path / "again", loader)
    assert len(flushes) == EPOCHS * BATCHES + EPOCHS + 1  # every check point, then the end


def test_early_stopping_logs_params_and_metrics(tmp_path: Path, loader: Any) -> None:
    from lightning.pytorch.callbacks import EarlyStopping

    cairn.pytorch.autolog(log_models=False)
    # No epoch improves val_loss by 10: it stops after `patience` epochs without improvement.
    stop = EarlyStopping(monitor="val_loss", patience=2, min_delta=10.0)
    _fit(tmp_path, loader, max_epochs=20, callbacks=[stop])
    run = _only_run()
    params = run.data.param_dict
    assert {k: params[k] for k in pytorch_lightning.EARLY_STOP_PARAMS} == {
        "monitor": "val_loss",
        "mode": "min",
        "patience": "2",
        "min_delta": "-10.0",
        "stopped_epoch": "0",
    }
    metrics = run.data.metric_dict
    assert metrics["stopped_epoch"] == 2 and metrics["restored_epoch"] == 0
    assert metrics["wait_count"] == 2
    assert metrics["best_score"] == pytest.approx(float(stop.best_score))
    assert _steps(run.info.run_id, "val_loss") == [0, 1, 2]
    assert _steps(run.info.run_id, "stopped_epoch") == [0]


def test_best_checkpoint_is_the_logged_model(tmp_path: Path, loader: Any) -> None:
    from lightning.pytorch.callbacks import ModelCheckpoint

    cairn.pytorch.autolog()
    # mode="max" on a falling loss: the best checkpoint is the first epoch's, not the last.
    checkpoint = ModelCheckpoint(dirpath=tmp_path / "ckpt", monitor="val_loss", mode="max")
    trainer, module = _fit(tmp_path, loader, callbacks=[checkpoint])
    best = Regressor.load_from_checkpoint(checkpoint.best_model_path)
    assert pytorch_lightning.best_checkpoint(trainer) == checkpoint.best_model_path
    x = torch.randn(5, 3)
    loaded = _logged_model(_only_run())
    assert _predict(loaded, x).tolist() == _predict(best, x).tolist()
    assert _predict(loaded, x).tolist() != _predict(module, x).tolist()


def test_checkpoint_false_logs_the_trained_module(tmp_path: Path, loader: Any) -> None:
    from lightning.pytorch.callbacks import ModelCheckpoint

    cairn.pytorch.autolog(checkpoint=False)
    checkpoint = ModelCheckpoint(dirpath=tmp_path / "ckpt", monitor="val_loss", mode="max")
    _, module = _fit(tmp_path, loader, callbacks=[checkpoint])
    x = torch.randn(5, 3)
    assert _predict(_logged_model(_only_run()), x).tolist() == _predict(module, x).tolist()


def test_inside_a_user_run_it_logs_there_and_cairn_autolog_enables_it(
    tmp_path: Path, loader: Any
) -> None:
    cairn.autolog(log_models=False)
    with cairn.start_run() as run:
        _fit(tmp_path, loader)
    assert _only_run().info.run_id == run.info.run_id
    assert "val_loss" in cairn.get_run(run.info.run_id).data.metric_dict


def test_standalone_pytorch_lightning_trainer_is_patched(tmp_path: Path) -> None:
    pl = pytest.importorskip("pytorch_lightning")

    class Tiny(pl.LightningModule):
        def __init__(self) -> None:
            super().__init__()
            self.layer = torch.nn.Linear(3, 1)

        def training_step(self, batch: Any, index: int) -> Any:
            loss = self.layer(batch[0]).pow(2).mean()
            self.log("loss", loss)
            return loss

        def configure_optimizers(self) -> Any:
            return torch.optim.SGD(self.parameters(), lr=0.1)

    cairn.pytorch.autolog(log_models=False)
    data = DataLoader(TensorDataset(torch.randn(32, 3)), batch_size=8)
    _trainer(tmp_path, pl, max_epochs=2).fit(Tiny(), data)
    run = _only_run()
    assert run.data.param_dict["optimizer_name"] == "SGD"
    assert _steps(run.info.run_id, "loss") == [0, 1]


def test_failing_after_fit_logging_warns_and_fit_still_trained(
    tmp_path: Path, loader: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pytorch_lightning, "_model_summary", _boom)
    cairn.pytorch.autolog()
    torch.manual_seed(0)
    before = Regressor().layer.weight.detach().clone()
    with pytest.warns(AutologgingWarning, match="logging broke"):
        _, module = _fit(tmp_path, loader)
    assert not torch.equal(module.layer.weight, before)
    run = _only_run()
    assert run.info.status == RunStatus.FINISHED and "val_loss" in run.data.metric_dict


def test_failing_recorder_warns_and_fit_goes_on(
    tmp_path: Path, loader: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pytorch_lightning_recorder, "train_params", _boom)
    cairn.pytorch.autolog(log_models=False)
    with pytest.warns(AutologgingWarning, match="logging broke"):
        trainer, _ = _fit(tmp_path, loader)
    assert trainer.current_epoch == EPOCHS
    assert _only_run().info.status == RunStatus.FINISHED


def test_fit_error_fails_the_run_and_disable_restores(tmp_path: Path, loader: Any) -> None:
    original = L.Trainer.fit
    cairn.pytorch.autolog()
    assert L.Trainer.fit is not original

    class Broken(Regressor):
        def training_step(self, batch: Any, index: int) -> Any:
            raise ValueError("user bug")

    with pytest.raises(ValueError, match="user bug"):
        _trainer(tmp_path).fit(Broken(), loader, loader)
    assert _only_run().info.status == RunStatus.FAILED
    cairn.pytorch.autolog(disable=True)
    assert L.Trainer.fit is original and patching.patched_methods("pytorch") == []
    _fit(tmp_path / "again", loader)
    assert len(cairn.search_runs(output_format="list")) == 1


def test_fit_logs_to_a_live_server(tmp_path: Path, loader: Any, live_server: LiveServer) -> None:
    cairn.set_tracking_uri(live_server.url)
    cairn.pytorch.autolog(log_every_n_step=4)
    _, module = _fit(tmp_path, loader)
    run = _only_run()
    assert run.data.param_dict["optimizer_name"] == "Adam"
    assert _steps(run.info.run_id, "val_loss") == list(range(EPOCHS))
    assert _steps(run.info.run_id, "train_loss_step") == [3, 7, 11]
    x = torch.randn(5, 3)
    assert _predict(_logged_model(run), x).tolist() == _predict(module, x).tolist()


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("logging broke")
