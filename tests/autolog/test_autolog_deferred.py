"""Model logging after training returns: copies, run status, and who waits for it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import cairn
from cairn.autologging import deferred
from cairn.entities import RunStatus
from cairn.tracking import fluent

xgb = pytest.importorskip("xgboost")

PARAMS = {"objective": "binary:logistic", "max_depth": 2, "seed": 1}


@pytest.fixture
def dtrain() -> Any:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(80, 3)).astype(np.float32)
    return xgb.DMatrix(x, label=(x[:, 0] > 0).astype(np.float32))


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What the hooks defer, kept here instead of running, so the test decides when."""
    jobs: list[Any] = []
    monkeypatch.setattr(deferred, "submit", lambda uri, job: jobs.append(job))
    return jobs


def _stored_runs() -> list[Any]:
    """The runs as the store has them right now."""
    return list(fluent.client().store.search_runs(["0"]))


def test_the_run_finishes_with_the_model_as_trained_even_if_training_goes_on(
    dtrain: Any, captured: list[Any]
) -> None:
    cairn.xgboost.autolog()
    booster = xgb.train(PARAMS, dtrain, 3)
    assert cairn.active_run() is None
    (pending,) = _stored_runs()
    assert pending.info.status == RunStatus.RUNNING  # the model is still to be logged
    booster.update(dtrain, 3)  # the user goes on training the same booster

    (job,) = captured
    job()
    (run,) = _stored_runs()
    assert run.info.status == RunStatus.FINISHED
    (model,) = fluent.client().search_logged_models([run.info.experiment_id])
    assert model.source_run_id == run.info.run_id
    loaded = cairn.xgboost.load_model(f"models:/{model.model_id}")
    assert loaded.num_boosted_rounds() == 3 != booster.num_boosted_rounds()


def test_reads_and_the_end_of_the_users_run_wait_for_the_model(
    dtrain: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    gate = threading.Event()
    submit = deferred.submit

    def gated(uri: str | None, job: Any) -> None:
        submit(uri, lambda: (gate.wait(30), job(), events.append("model logged")))

    monkeypatch.setattr(deferred, "submit", gated)
    cairn.xgboost.autolog()
    with cairn.start_run() as run:
        xgb.train(PARAMS, dtrain, 2)
        assert not list(fluent.client().store.search_logged_models([run.info.experiment_id]))
        gate.set()
    events.append("run ended")
    assert events == ["model logged", "run ended"]
    (stored,) = _stored_runs()
    assert stored.info.status == RunStatus.FINISHED
    assert len(list(fluent.client().store.search_logged_models([run.info.experiment_id]))) == 1


def test_interpreter_exit_waits_for_the_model(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import numpy as np, xgboost as xgb, cairn
        cairn.set_tracking_uri({str(tmp_path / "store")!r})
        cairn.xgboost.autolog()
        x = np.random.default_rng(0).normal(size=(40, 2)).astype(np.float32)
        xgb.train({{"max_depth": 2}}, xgb.DMatrix(x, label=x[:, 0]), 2)
        """
    )
    subprocess.run([sys.executable, "-W", "ignore", "-c", script], check=True, timeout=120)
    cairn.set_tracking_uri(str(tmp_path / "store"))
    (run,) = cairn.search_runs(output_format="list")
    assert run.info.status == RunStatus.FINISHED
    assert len(list(fluent.client().search_logged_models([run.info.experiment_id]))) == 1


def test_the_worker_thread_ends_when_idle() -> None:
    """A worker kept alive after an XGBoost prediction keeps its OpenMP thread team, which
    slows the user's next training several times over on a small machine."""
    deferred.submit(fluent.client().tracking_uri, lambda: None)
    assert deferred.wait(timeout=30)
    for thread in [t for t in threading.enumerate() if t.name == "cairn-autolog"]:
        thread.join(timeout=30)
        assert not thread.is_alive()
