"""Model Registry latency through the real ``mlflow`` client: ``mlflow server`` vs ``cairn server``.

Each server (SQLite, a fresh temporary directory, ``--workers`` workers) is filled through
``MlflowClient`` with ``--models`` registered models of ``--versions`` versions each (two
tags per version, an alias on the newest, the second-newest in Production), timing every
create call. Then ``--repeats`` calls of each read a registry UI or a deployment job makes:

* ``search_registered_models`` (a page of 100, and a ``name LIKE`` filter),
* ``search_model_versions`` of one model and by tag across models,
* ``get_model_version_by_alias`` and ``get_latest_versions`` (what ``models:/name@alias`` and
  ``models:/name/Production`` resolve through).

Printed: p50 per call for both servers and the speed-up (mlflow / cairn; > 1 means cairn is
faster). Examples::

    .venv/bin/python benchmarks/registry.py
    .venv/bin/python benchmarks/registry.py --models 500 --versions 20 --only cairn
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from _common import console, new_table
from _servers import SERVERS, Server, prologue, run_main, scratch_dir

if TYPE_CHECKING:
    from mlflow import MlflowClient


def _timed(fn: Callable[[], Any], repeats: int) -> float:
    """Median seconds of ``repeats`` calls."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def fill(client: MlflowClient, models: int, versions: int) -> float:
    """Create the registry content; returns the median seconds per create call."""
    samples: list[float] = []

    def timed(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        started = time.perf_counter()
        fn(*args, **kwargs)
        samples.append(time.perf_counter() - started)

    for m in range(models):
        name = f"model-{m:04d}"
        timed(client.create_registered_model, name, tags={"team": f"t{m % 5}"})
        for v in range(versions):
            tags = {"dataset": f"d{v % 3}", "owner": f"u{m % 7}"}
            timed(client.create_model_version, name, f"s3://bucket/{name}/{v}", tags=tags)
        timed(client.set_registered_model_alias, name, "champion", str(versions))
        if versions > 1:
            timed(client.transition_model_version_stage, name, str(versions - 1), "Production")
    return statistics.median(samples)


def reads(client: MlflowClient, models: int) -> dict[str, Callable[[], Any]]:
    middle = f"model-{models // 2:04d}"
    return {
        "search_registered_models (100)": lambda: client.search_registered_models(max_results=100),
        "search_registered_models LIKE": lambda: client.search_registered_models(
            "name LIKE 'model-00%'", max_results=100
        ),
        "search_model_versions of one model": lambda: client.search_model_versions(
            f"name = '{middle}'"
        ),
        "search_model_versions by tag (100)": lambda: client.search_model_versions(
            "tag.dataset = 'd1'", max_results=100
        ),
        "get_model_version_by_alias": lambda: client.get_model_version_by_alias(middle, "champion"),
        "get_latest_versions(Production)": lambda: client.get_latest_versions(
            middle, stages=["Production"]
        ),
    }


def measure(server: Server, args: argparse.Namespace) -> dict[str, float]:
    from mlflow import MlflowClient

    server.start()
    try:
        client = MlflowClient(tracking_uri=server.url)
        figures = {"create calls": fill(client, args.models, args.versions)}
        for label, call in reads(client, args.models).items():
            figures[label] = _timed(call, args.repeats)
        return figures
    finally:
        server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=200)
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--only", choices=SERVERS)
    parser.add_argument("--keep", action="store_true", help="keep the servers' data")
    args = parser.parse_args()
    prologue(args.workers, suffix=f"; {args.models} models x {args.versions} versions")
    warnings.filterwarnings("ignore", category=FutureWarning)  # stages are deprecated
    logging.getLogger("mlflow").setLevel(logging.WARNING)  # one "waiting for" line per version
    results: dict[str, dict[str, float]] = {}
    with scratch_dir("bench-registry-", args.keep) as base:
        for name in [args.only] if args.only else SERVERS:
            root = base / name
            root.mkdir()
            results[name] = measure(Server(name, root, args.workers), args)
            console.print(f"{name}: done")
    table = new_table("p50 latency per call (ms)", "call", *results, "speed-up")
    for label in next(iter(results.values())):
        row = [results[s][label] * 1000 for s in results]
        speedup = f"{row[0] / row[1]:.1f}x" if len(row) == 2 else ""
        table.add_row(label, *(f"{ms:.2f}" for ms in row), speedup)
    console.print(table)
    return 0


if __name__ == "__main__":
    run_main(main)
