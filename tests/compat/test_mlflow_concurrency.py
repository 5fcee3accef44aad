"""Many client threads against ``cairn server --workers 4`` on SQLite: no write is lost."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from compat_server import CompatServer
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag

THREADS = 8
RUNS_PER_THREAD = 3
STEPS = 20


def test_parallel_clients_lose_no_writes(
    multi_worker_server: CompatServer, unique_name: Callable[[str], str]
) -> None:
    url = multi_worker_server.url
    experiment_id = MlflowClient(url).create_experiment(unique_name("threads"))

    def work(thread: int) -> list[str]:
        client = MlflowClient(url)
        run_ids = []
        for r in range(RUNS_PER_THREAD):
            run_id = client.create_run(experiment_id, run_name=f"t{thread}-r{r}").info.run_id
            client.log_param(run_id, "thread", str(thread))
            for step in range(STEPS):
                client.log_metric(run_id, "loss", float(thread * 1000 + step), step=step)
            client.set_tag(run_id, "done", "yes")
            client.set_terminated(run_id)
            run_ids.append(run_id)
        return run_ids

    started = time.monotonic()
    with ThreadPoolExecutor(THREADS) as pool:
        per_thread = list(pool.map(work, range(THREADS)))
    elapsed = time.monotonic() - started

    reader = MlflowClient(url)
    runs = reader.search_runs([experiment_id], max_results=1000)
    assert len(runs) == THREADS * RUNS_PER_THREAD
    assert {r.info.run_id for r in runs} == {i for ids in per_thread for i in ids}
    for run in runs:
        thread = int(run.data.params["thread"])
        history = reader.get_metric_history(run.info.run_id, "loss")
        assert sorted((m.step, m.value) for m in history) == [
            (s, float(thread * 1000 + s)) for s in range(STEPS)
        ]
        assert run.data.metrics == {"loss": float(thread * 1000 + STEPS - 1)}
        assert run.data.tags["done"] == "yes"
        assert run.info.status == "FINISHED"
        assert run.info.run_name.startswith(f"t{thread}-")
    assert elapsed < 60


def test_parallel_writes_to_one_run(
    multi_worker_server: CompatServer, unique_name: Callable[[str], str]
) -> None:
    """Threads racing on the same run: identical params, one tag key, disjoint metric keys."""
    url = multi_worker_server.url
    setup = MlflowClient(url)
    run_id = setup.create_run(setup.create_experiment(unique_name("race"))).info.run_id

    def work(thread: int) -> None:
        client = MlflowClient(url)
        for i in range(5):
            client.log_batch(
                run_id,
                metrics=[Metric(f"m{thread}", float(i), 0, i)],
                params=[Param("shared", "same"), Param(f"p{thread}", str(thread))],
                tags=[RunTag("last", str(thread))],
            )
            client.log_param(run_id, "shared", "same")
            client.set_tag(run_id, "last", str(thread))

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(work, range(THREADS)))

    data = setup.get_run(run_id).data
    assert data.params == {"shared": "same", **{f"p{t}": str(t) for t in range(THREADS)}}
    assert data.metrics == {f"m{t}": 4.0 for t in range(THREADS)}
    assert data.tags["last"] in {str(t) for t in range(THREADS)}
    for t in range(THREADS):
        assert len(setup.get_metric_history(run_id, f"m{t}")) == 5
