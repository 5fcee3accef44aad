"""Wall-time overhead of PyTorch Lightning autologging (issue 8's goal: under 5%), on the CPU.

A tiny ``LightningModule`` (a 2-layer MLP on synthetic regression data) is trained for
``--steps`` optimizer steps, plain and with ``cairn.pytorch.autolog()`` (params, per-epoch
metrics, model summary, pickled model), with ``log_every_n_step=1`` (the most step metrics
MLflow can log), and with ``log_models=False`` to show what the model costs. Modes are
interleaved per repeat so machine drift hits all of them alike; the first call of each mode
(imports, Lightning's set-up) is a warm-up, not timed. Example::

    .venv/bin/python benchmarks/autolog_lightning.py --repeats 5
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from typing import Any

from _common import console, data_dir, fmt_duration, machine_line, new_table

import cairn


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time Lightning training with and without cairn autologging.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--dir", help="tracking directory (default: a fresh temporary one)")
    parser.add_argument("--steps", type=int, default=2000, help="optimizer steps per training")
    parser.add_argument("--batches", type=int, default=100, help="batches per epoch")
    parser.add_argument("--batch-size", type=int, default=32, help="rows per batch")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per mode")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    return parser.parse_args()


def lightning_trainer(args: argparse.Namespace) -> Callable[[], Any]:
    """One ``Trainer.fit`` of ``--steps`` steps; a fresh module and trainer each call."""
    import lightning as L
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    class Mlp(L.LightningModule):
        def __init__(self, lr: float = 0.01, hidden: int = 32) -> None:
            super().__init__()
            self.save_hyperparameters()
            self.net = torch.nn.Sequential(
                torch.nn.Linear(16, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 1)
            )

        def forward(self, x: Any) -> Any:
            return self.net(x)

        def training_step(self, batch: Any, index: int) -> Any:
            x, y = batch
            loss = torch.nn.functional.mse_loss(self(x), y)
            self.log("train_loss", loss, on_step=True, on_epoch=True)
            return loss

        def configure_optimizers(self) -> Any:
            return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)

    torch.set_num_threads(args.threads)
    quiet_lightning()  # after the import: Lightning sets its loggers to INFO when imported
    generator = torch.Generator().manual_seed(0)
    rows = args.batches * args.batch_size
    x = torch.randn(rows, 16, generator=generator)
    y = x[:, :1] - 0.5 * x[:, 1:2] + 0.1 * torch.randn(rows, 1, generator=generator)
    loader = DataLoader(TensorDataset(x, y), batch_size=args.batch_size)
    root = tempfile.mkdtemp(prefix="cairn-bench-lightning-")

    def run() -> Any:
        torch.manual_seed(0)
        trainer = L.Trainer(
            max_steps=args.steps,
            accelerator="cpu",
            devices=1,
            logger=False,
            enable_checkpointing=False,
            enable_progress_bar=False,
            enable_model_summary=False,
            default_root_dir=root,
        )
        trainer.fit(Mlp(), loader)
        return trainer

    return run


#: mode -> the autolog call that sets it up (None: autologging off).
MODES: dict[str, dict[str, Any] | None] = {
    "plain": None,
    "autolog": {},
    "autolog, every step": {"log_every_n_step": 1},
    "autolog, no model": {"log_models": False},
}


def timed(train: Callable[[], Any], options: dict[str, Any] | None) -> tuple[float, float]:
    """(wall, CPU) seconds for one training, the autolog run's start and end included. CPU
    time is shown too: on a shared machine it drifts far less than wall time."""
    cairn.pytorch.autolog(**(options if options is not None else {"disable": True}))
    start, cpu = time.perf_counter(), time.process_time()
    train()
    return time.perf_counter() - start, time.process_time() - cpu


def quiet_lightning() -> None:
    """Lightning's start-up banners and advice are not what is measured."""
    import logging

    for package in ("lightning.pytorch", "lightning.fabric", "pytorch_lightning"):
        # the child too: a package import sets its own logger back to INFO
        for name in (package, f"{package}.utilities.rank_zero"):
            logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="lightning")
    warnings.filterwarnings("ignore", message=r".*LeafSpec.*")


def main() -> None:
    args = parse_args()
    directory = data_dir(args.dir, "cairn-bench-autolog-lightning-")
    cairn.set_tracking_uri(str(directory))
    console.print(machine_line())
    train = lightning_trainer(args)
    samples: dict[str, list[tuple[float, float]]] = {mode: [] for mode in MODES}
    for options in MODES.values():
        timed(train, options)  # warm-up
    for _ in range(args.repeats):
        for mode, options in MODES.items():
            samples[mode].append(timed(train, options))
    cairn.pytorch.autolog(disable=True)
    console.print(result_table(args, samples))


def result_table(args: argparse.Namespace, samples: dict[str, list[tuple[float, float]]]) -> Any:
    """Median and min wall time, median CPU time, and each one's overhead against plain."""
    base_wall = statistics.median(wall for wall, _ in samples["plain"])
    base_cpu = statistics.median(cpu for _, cpu in samples["plain"])
    table = new_table(
        f"Lightning {args.steps} steps, {args.batches} batches/epoch of {args.batch_size}, "
        f"CPU, {args.threads} thread(s) (median of {args.repeats})",
        "mode",
        "wall median",
        "wall min",
        "wall overhead",
        "CPU median",
        "CPU overhead",
    )
    for mode, values in samples.items():
        wall = statistics.median(w for w, _ in values)
        cpu = statistics.median(c for _, c in values)
        plain = mode == "plain"
        table.add_row(
            mode,
            fmt_duration(wall),
            fmt_duration(min(w for w, _ in values)),
            "" if plain else f"{(wall - base_wall) / base_wall * 100:+.1f}%",
            fmt_duration(cpu),
            "" if plain else f"{(cpu - base_cpu) / base_cpu * 100:+.1f}%",
        )
    return table


if __name__ == "__main__":
    main()
