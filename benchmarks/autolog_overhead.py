"""Wall-time overhead of autologging (issue 8's goal: under 5%), against the embedded store.

XGBoost: ``xgb.train`` for ``--rounds`` rounds on small synthetic data with 2 eval sets
(train, valid), plain and with ``cairn.xgboost.autolog()`` (params, per-iteration metrics,
feature importance JSON and chart, dataset, model), and with ``log_models=False`` to show what
the model costs. Two figures per mode: the training call itself (what the user waits for; the
model is logged after it returns) and until that deferred work is done too. Modes are
interleaved per repeat so machine drift hits all of them alike; the
first call of each mode (imports, matplotlib) is a warm-up, not timed. Example::

    .venv/bin/python benchmarks/autolog_overhead.py --repeats 7
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from _common import console, data_dir, fmt_duration, machine_line, new_table

import cairn


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time training with and without cairn autologging.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--dir", help="tracking directory (default: a fresh temporary one)")
    parser.add_argument("--rounds", type=int, default=500, help="XGBoost boosting rounds")
    parser.add_argument("--rows", type=int, default=2000, help="training rows")
    parser.add_argument("--features", type=int, default=20, help="feature columns")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per mode")
    return parser.parse_args()


def xgboost_trainer(args: argparse.Namespace) -> Callable[[], Any]:
    """One ``xgb.train`` call: binary task, 2 eval sets, 2 metrics each, fixed seed."""
    import numpy as np
    import xgboost as xgb

    rng = np.random.default_rng(0)
    x = rng.normal(size=(args.rows, args.features)).astype(np.float32)
    y = (x[:, 0] + 0.5 * x[:, 1] + rng.normal(scale=0.5, size=args.rows) > 0).astype(np.float32)
    split = int(args.rows * 0.8)
    train = xgb.DMatrix(x[:split], label=y[:split])
    valid = xgb.DMatrix(x[split:], label=y[split:])
    params = {"objective": "binary:logistic", "max_depth": 4, "eval_metric": ["logloss", "auc"]}

    def run() -> Any:
        evals = [(train, "train"), (valid, "valid")]
        return xgb.train(params, train, args.rounds, evals=evals, verbose_eval=False)

    return run


#: mode -> the autolog call that sets it up (None: autologging off).
MODES: dict[str, dict[str, Any] | None] = {
    "plain": None,
    "autolog": {},
    "autolog, no model": {"log_models": False},
}


def timed(train: Callable[[], Any], options: dict[str, Any] | None) -> tuple[float, float]:
    """Seconds for one training call (the autolog run's start included), and until its
    deferred model logging is done too (``cairn.flush``); no earlier work overlaps."""
    cairn.xgboost.autolog(**(options if options is not None else {"disable": True}))
    cairn.flush()
    start = time.perf_counter()
    train()
    call = time.perf_counter() - start
    cairn.flush()
    return call, time.perf_counter() - start


def main() -> None:
    args = parse_args()
    directory = data_dir(args.dir, "cairn-bench-autolog-")
    cairn.set_tracking_uri(str(directory))
    console.print(machine_line())
    train = xgboost_trainer(args)
    calls: dict[str, list[float]] = {mode: [] for mode in MODES}
    totals: dict[str, list[float]] = {mode: [] for mode in MODES}
    for options in MODES.values():
        timed(train, options)  # warm-up
    for _ in range(args.repeats):
        for mode, options in MODES.items():
            call, total = timed(train, options)
            calls[mode].append(call)
            totals[mode].append(total)
    cairn.xgboost.autolog(disable=True)
    table = new_table(
        f"XGBoost {args.rounds} rounds, {args.rows}x{args.features}, 2 eval sets "
        f"(median of {args.repeats})",
        "mode",
        "call median",
        "call min",
        "call overhead",
        "with deferred work",
        "overhead",
    )
    base, base_total = statistics.median(calls["plain"]), statistics.median(totals["plain"])
    for mode in MODES:
        call, total = statistics.median(calls[mode]), statistics.median(totals[mode])
        plain = mode == "plain"
        table.add_row(
            mode,
            fmt_duration(call),
            fmt_duration(min(calls[mode])),
            "" if plain else f"{(call - base) / base * 100:+.1f}%",
            fmt_duration(total),
            "" if plain else f"{(total - base_total) / base_total * 100:+.1f}%",
        )
    console.print(table)


if __name__ == "__main__":
    main()
