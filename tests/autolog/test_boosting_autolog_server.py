"""XGBoost and LightGBM autologging against a live cairn server: the same params, metric
histories, dataset digest and model as with a local store, sent over HTTP."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import cairn
from cairn.tracking import fluent
from live_server import LiveServer

xgb = pytest.importorskip("xgboost")
lgb = pytest.importorskip("lightgbm")

ROUNDS = 6


@pytest.fixture
def data() -> tuple[Any, Any]:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(160, 4)).astype(np.float32)
    y = (x[:, 0] - x[:, 3] > 0).astype(np.float32)
    return x, y


def _only_run() -> Any:
    (run,) = cairn.search_runs(output_format="list")
    return run


def _steps(run_id: str, key: str) -> list[int]:
    return [m.step for m in fluent.client().get_metric_history(run_id, key)]


def _model_uri(run: Any) -> str:
    (model,) = list(fluent.client().search_logged_models([run.info.experiment_id]))
    assert model.source_run_id == run.info.run_id
    return f"models:/{model.model_id}"


def test_xgboost_train_logs_to_a_live_server(data: Any, live_server: LiveServer) -> None:
    cairn.set_tracking_uri(live_server.url)
    x, y = data
    cairn.xgboost.autolog()
    params = {"objective": "binary:logistic", "max_depth": 2, "eta": 0.3, "seed": 1}
    train, valid = xgb.DMatrix(x[:120], label=y[:120]), xgb.DMatrix(x[120:], label=y[120:])
    booster = xgb.train(
        {**params, "eval_metric": ["logloss", "error"]},
        train,
        ROUNDS,
        evals=[(train, "train"), (valid, "valid")],
        verbose_eval=False,
    )
    assert cairn.active_run() is None
    run = _only_run()
    logged = run.data.param_dict
    assert {k: logged[k] for k in params} == {k: str(v) for k, v in params.items()}
    assert logged["num_boost_round"] == str(ROUNDS)
    keys = {f"{d}-{m}" for d in ("train", "valid") for m in ("logloss", "error")}
    assert set(run.data.metric_dict) == keys
    for key in keys:
        assert _steps(run.info.run_id, key) == list(range(ROUNDS))
    final = booster.eval(valid, "valid", ROUNDS - 1)  # "[i]\tvalid-logloss:v\tvalid-error:v"
    last = dict(item.split(":") for item in final.split("\t")[1:])
    assert run.data.metric_dict["valid-error"] == pytest.approx(float(last["valid-error"]))
    dtrain = xgb.DMatrix(x[:120], label=y[:120])
    expected = cairn.data.from_numpy(dtrain.get_data().toarray(), targets=dtrain.get_label())
    assert [d.dataset.digest for d in run.inputs.dataset_inputs] == [expected.digest]
    uri = _model_uri(run)
    loaded = cairn.xgboost.load_model(uri)
    np.testing.assert_array_equal(loaded.predict(xgb.DMatrix(x)), booster.predict(xgb.DMatrix(x)))
    np.testing.assert_array_equal(
        cairn.pyfunc.load_model(uri).predict(x), booster.predict(xgb.DMatrix(x))
    )


def test_lightgbm_train_logs_to_a_live_server(data: Any, live_server: LiveServer) -> None:
    cairn.set_tracking_uri(live_server.url)
    x, y = data
    cairn.lightgbm.autolog()
    params = {"objective": "binary", "metric": ["binary_logloss", "auc"], "verbose": -1}
    train, valid = lgb.Dataset(x[:120], y[:120]), lgb.Dataset(x[120:], y[120:])
    booster = lgb.train(
        params,
        train,
        num_boost_round=ROUNDS,
        valid_sets=[train, valid],
        valid_names=["train", "valid"],
    )
    assert cairn.active_run() is None
    run = _only_run()
    assert run.data.param_dict == {
        "objective": "binary",
        "metric": "['binary_logloss', 'auc']",
        "verbose": "-1",
        "num_boost_round": str(ROUNDS),
        "keep_training_booster": "False",
    }
    keys = {f"{s}-{m}" for s in ("train", "valid") for m in ("binary_logloss", "auc")}
    assert set(run.data.metric_dict) == keys
    for key in keys:
        assert _steps(run.info.run_id, key) == list(range(ROUNDS))
    best = booster.best_score["valid"]["auc"]  # the last round's score without early stopping
    assert run.data.metric_dict["valid-auc"] == pytest.approx(best)
    expected = cairn.data.from_numpy(x[:120], targets=y[:120]).digest
    assert [d.dataset.digest for d in run.inputs.dataset_inputs] == [expected]
    uri = _model_uri(run)
    np.testing.assert_array_equal(cairn.lightgbm.load_model(uri).predict(x), booster.predict(x))
    np.testing.assert_array_equal(cairn.pyfunc.load_model(uri).predict(x), booster.predict(x))
