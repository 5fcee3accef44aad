"""XGBoost autologging: ``xgb.train`` and the scikit-learn API, on data made in the test."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

import cairn
from cairn.autologging import patching, xgboost_logging
from cairn.autologging.patching import AutologgingWarning
from cairn.data import DIGEST_ROWS
from cairn.entities import RunStatus
from cairn.tracking import fluent

xgb = pytest.importorskip("xgboost")

ROUNDS = 8
PARAMS = {"objective": "binary:logistic", "max_depth": 2, "eta": 0.3, "seed": 1}


@pytest.fixture
def data() -> tuple[Any, Any]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(120, 3)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.float32)
    return x, y


def _only_run() -> Any:
    runs = cairn.search_runs(output_format="list")
    assert len(runs) == 1
    return runs[0]


def _steps(run_id: str, key: str) -> list[int]:
    return [m.step for m in fluent.client().get_metric_history(run_id, key)]


def _train(x: Any, y: Any, **kwargs: Any) -> Any:
    train, valid = xgb.DMatrix(x[:90], label=y[:90]), xgb.DMatrix(x[90:], label=y[90:])
    params = {**PARAMS, "eval_metric": ["logloss", "error"]}
    evals = [(train, "train"), (valid, "valid")]
    return xgb.train(params, train, ROUNDS, evals=evals, verbose_eval=False, **kwargs)


def test_train_logs_params_metrics_importance_dataset_and_model(data: Any) -> None:
    x, y = data
    cairn.xgboost.autolog()
    booster = _train(x, y)
    assert isinstance(booster, xgb.Booster) and cairn.active_run() is None
    run = _only_run()
    params = run.data.param_dict
    assert {k: params[k] for k in PARAMS} == {k: str(v) for k, v in PARAMS.items()}
    assert params["num_boost_round"] == str(ROUNDS)
    assert params["early_stopping_rounds"] == "None" and params["maximize"] == "None"
    assert not {"dtrain", "evals", "callbacks", "params", "obj"} & set(params)
    keys = {f"{d}-{m}" for d in ("train", "valid") for m in ("logloss", "error")}
    assert set(run.data.metric_dict) == keys
    for key in keys:
        assert _steps(run.info.run_id, key) == list(range(ROUNDS))
    run_id = run.info.run_id
    names = {f.path for f in fluent.client().list_artifacts(run_id)}
    assert {"feature_importance_weight.json", "feature_importance_weight.svg"} <= names
    importance = fluent.client().load_dict(run_id, "feature_importance_weight.json")
    assert importance == booster.get_score(importance_type="weight")
    dtrain = xgb.DMatrix(x[:90], label=y[:90])
    expected = cairn.data.from_numpy(dtrain.get_data().toarray(), targets=dtrain.get_label())
    assert [d.dataset.digest for d in run.inputs.dataset_inputs] == [expected.digest]
    models = list(fluent.client().search_logged_models([run.info.experiment_id]))
    assert len(models) == 1 and models[0].source_run_id == run_id
    loaded = cairn.xgboost.load_model(f"models:/{models[0].model_id}")
    np.testing.assert_array_equal(loaded.predict(xgb.DMatrix(x)), booster.predict(xgb.DMatrix(x)))
    pyfunc = cairn.pyfunc.load_model(f"models:/{models[0].model_id}")
    np.testing.assert_array_equal(pyfunc.predict(x), booster.predict(xgb.DMatrix(x)))


def test_a_large_dmatrix_is_digested_whole_without_densifying_it_all() -> None:
    rows = DIGEST_ROWS + 25
    rng = np.random.default_rng(3)
    x = rng.normal(size=(rows, 3)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.float32)
    cairn.xgboost.autolog(log_models=False)
    xgb.train(PARAMS, xgb.DMatrix(x, label=y), 2)
    (dataset_input,) = _only_run().inputs.dataset_inputs
    assert dataset_input.dataset.digest == cairn.data.from_numpy(x, targets=y).digest
    assert json.loads(dataset_input.dataset.profile or "{}")["features_shape"] == [rows, 3]


def test_early_stopping_logs_best_and_stopped_iteration(data: Any) -> None:
    x, y = data
    y = np.random.default_rng(1).integers(0, 2, size=len(y)).astype(np.float32)  # noise
    cairn.xgboost.autolog(log_models=False, log_datasets=False)
    train, valid = xgb.DMatrix(x[:90], label=y[:90]), xgb.DMatrix(x[90:], label=y[90:])
    booster = xgb.train(
        {**PARAMS, "eval_metric": "logloss"},
        train,
        200,
        evals=[(train, "train"), (valid, "valid")],
        early_stopping_rounds=3,
        verbose_eval=False,
    )
    run = _only_run()
    done = booster.num_boosted_rounds()
    assert done < 200
    metrics = run.data.metric_dict
    assert metrics["stopped_iteration"] == done - 1
    assert metrics["best_iteration"] == booster.best_iteration
    assert _steps(run.info.run_id, "valid-logloss") == [*range(done), done]
    history = fluent.client().get_metric_history(run.info.run_id, "valid-logloss")
    assert history[-1].value == pytest.approx(booster.best_score)
    assert history[-1].value == history[booster.best_iteration].value


def test_sklearn_api_logs_one_run_with_eval_metrics(data: Any) -> None:
    x, y = data
    cairn.autolog()  # every integration: the classifier still logs exactly once
    model = xgb.XGBClassifier(n_estimators=ROUNDS, max_depth=2, early_stopping_rounds=50)
    assert model.fit(x, y, eval_set=[(x[:90], y[:90]), (x[90:], y[90:])], verbose=False) is model
    run = _only_run()
    assert run.data.tag_dict["estimator_name"] == "XGBClassifier"
    assert run.data.param_dict["n_estimators"] == str(ROUNDS)
    assert run.data.param_dict["max_depth"] == "2"
    keys = {"validation_0-logloss", "validation_1-logloss"}
    assert set(run.data.metric_dict) == keys | {"stopped_iteration", "best_iteration"}
    assert _steps(run.info.run_id, "validation_1-logloss") == [*range(ROUNDS), ROUNDS]
    expected = cairn.data.from_numpy(x, targets=y).digest
    assert [d.dataset.digest for d in run.inputs.dataset_inputs] == [expected]
    models = list(fluent.client().search_logged_models([run.info.experiment_id]))
    loaded = cairn.xgboost.load_model(f"models:/{models[0].model_id}")
    assert isinstance(loaded, xgb.XGBClassifier)
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))


def test_inside_a_user_run_it_logs_there(data: Any) -> None:
    cairn.xgboost.autolog(log_models=False)
    with cairn.start_run() as run:
        _train(*data)
    assert _only_run().info.run_id == run.info.run_id
    assert "valid-error" in cairn.get_run(run.info.run_id).data.metric_dict


def test_failing_hook_warns_and_training_is_unchanged(
    data: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    x, y = data
    expected = _train(x, y).predict(xgb.DMatrix(x))  # before autolog
    monkeypatch.setattr(xgboost_logging, "log_feature_importance", _boom)
    cairn.xgboost.autolog()
    with pytest.warns(AutologgingWarning, match="logging broke"):
        booster = _train(x, y)
    np.testing.assert_array_equal(booster.predict(xgb.DMatrix(x)), expected)
    assert _only_run().info.status == RunStatus.FINISHED


def test_failing_collector_warns_and_training_goes_on(
    data: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cairn.autologging.xgboost._last", _boom)
    cairn.xgboost.autolog(log_models=False)
    with pytest.warns(AutologgingWarning, match="logging broke"):
        booster = _train(*data)
    assert booster.num_boosted_rounds() == ROUNDS


def test_user_exception_passes_through_and_disable_restores(data: Any) -> None:
    original = xgb.train
    cairn.xgboost.autolog()
    assert xgb.train is not original
    with pytest.raises(xgb.core.XGBoostError):
        xgb.train({"objective": "no-such-objective"}, xgb.DMatrix(data[0], label=data[1]), 2)
    assert _only_run().info.status == RunStatus.FAILED
    cairn.xgboost.autolog(disable=True)
    assert xgb.train is original and patching.patched_methods("xgboost") == []


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("logging broke")
