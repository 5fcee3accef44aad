"""LightGBM autologging: ``lgb.train`` and the sklearn API, on small data made here."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import lightgbm as lgb
import numpy as np
import pytest

import cairn
from cairn.autologging import lightgbm as lgb_autolog
from cairn.autologging.lightgbm_logging import EvalRecorder
from cairn.autologging.patching import AutologgingWarning
from cairn.tracking import fluent

PARAMS = {"objective": "binary", "metric": ["binary_logloss", "auc"], "verbose": -1, "seed": 1}
ROUNDS = 7


@pytest.fixture
def data() -> tuple[Any, Any]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 4))
    y = (x[:, 0] + x[:, 1] > 0).astype(int)
    return x, y


def _only_run() -> Any:
    runs = cairn.search_runs(output_format="list")
    assert len(runs) == 1
    return runs[0]


def _history(run: Any, key: str) -> list[tuple[int, float]]:
    points = fluent.client().get_metric_history(run.info.run_id, key)
    return [(m.step, m.value) for m in points]


def _train(x: Any, y: Any, **kwargs: Any) -> Any:
    train, valid = lgb.Dataset(x[:150], y[:150]), lgb.Dataset(x[150:], y[150:])
    return lgb.train(
        PARAMS,
        train,
        num_boost_round=ROUNDS,
        valid_sets=[train, valid],
        valid_names=["train", "valid"],
        **kwargs,
    )


def _model_uri(run: Any) -> str:
    models = list(fluent.client().search_logged_models([run.info.experiment_id]))
    assert len(models) == 1
    return f"models:/{models[0].model_id}"


def test_train_logs_params_metrics_per_valid_set_and_dataset(data: Any) -> None:
    x, y = data
    cairn.lightgbm.autolog()
    booster = _train(x, y)
    assert isinstance(booster, lgb.Booster)
    assert cairn.active_run() is None
    run = _only_run()
    assert run.data.param_dict == {
        "objective": "binary",
        "metric": "['binary_logloss', 'auc']",
        "verbose": "-1",
        "seed": "1",
        "num_boost_round": str(ROUNDS),
        "keep_training_booster": "False",
    }
    names = {f"{s}-{m}" for s in ("train", "valid") for m in ("binary_logloss", "auc")}
    assert set(run.data.metric_dict) == names  # no early stopping: no best_* metrics
    for key in names:
        assert [step for step, _ in _history(run, key)] == list(range(ROUNDS))
    expected = cairn.data.from_numpy(x[:150], targets=y[:150]).digest
    assert [d.dataset.digest for d in run.inputs.dataset_inputs] == [expected]


def test_logged_model_loads_back_and_predicts_identically(data: Any) -> None:
    x, y = data
    cairn.lightgbm.autolog()
    booster = _train(x, y)
    uri = _model_uri(_only_run())
    loaded = cairn.lightgbm.load_model(uri)
    np.testing.assert_array_equal(loaded.predict(x), booster.predict(x))
    np.testing.assert_array_equal(cairn.pyfunc.load_model(uri).predict(x), booster.predict(x))
    assert cairn.pyfunc.load_model(uri).metadata.signature is not None


def test_early_stopping_logs_stopped_and_best_iteration_and_best_scores(data: Any) -> None:
    x, y = data
    y = y.copy()
    y[150:] = np.random.default_rng(1).integers(0, 2, size=50)  # noise: valid stops improving
    cairn.lightgbm.autolog()
    train, valid = lgb.Dataset(x[:150], y[:150]), lgb.Dataset(x[150:], y[150:])
    params = {"objective": "binary", "metric": "binary_logloss", "verbose": -1}
    stop = lgb.early_stopping(2, verbose=False)
    booster = lgb.train(params, train, 100, valid_sets=[valid], callbacks=[stop])
    stopped = booster.best_iteration + 2  # the patience: rounds run past the best one
    assert stopped < 100
    run = _only_run()
    assert run.data.metric_dict["stopped_iteration"] == stopped
    assert run.data.metric_dict["best_iteration"] == booster.best_iteration
    history = _history(run, "valid_0-binary_logloss")
    assert [step for step, _ in history] == [*range(stopped), stopped]
    assert history[-1][1] == history[booster.best_iteration - 1][1]
    assert history[-1][1] == pytest.approx(booster.best_score["valid_0"]["binary_logloss"])


def test_feature_importance_json_artifacts(data: Any, tracking_dir: Path) -> None:
    x, y = data
    cairn.lightgbm.autolog(log_models=False)
    booster = _train(x, y)
    run = _only_run()
    paths = {a.path for a in fluent.client().list_artifacts(run.info.run_id)}
    assert {
        f"feature_importance_{k}.{e}" for k in ("split", "gain") for e in ("json", "svg")
    } <= paths
    for kind in ("split", "gain"):
        local = fluent.client().download_artifacts(
            run.info.run_id, f"feature_importance_{kind}.json", str(tracking_dir / kind)
        )
        logged = json.loads(Path(local).read_text())
        values = booster.feature_importance(importance_type=kind).tolist()
        assert logged == dict(zip(booster.feature_name(), values, strict=True))


def test_sklearn_api_fit_is_one_run_logged_by_lightgbm(data: Any) -> None:
    x, y = data
    cairn.autolog()  # sklearn autologging is on too
    model = lgb.LGBMClassifier(n_estimators=4, num_leaves=7, verbose=-1)
    assert model.fit(x, y, eval_X=(x[150:],), eval_y=(y[150:],)) is model
    run = _only_run()
    assert run.data.tag_dict["estimator_name"] == "LGBMClassifier"
    assert run.data.param_dict == {k: str(v) for k, v in model.get_params().items()}
    assert [step for step, _ in _history(run, "valid_0-binary_logloss")] == [0, 1, 2, 3]
    loaded = cairn.lightgbm.load_model(_model_uri(run))
    assert isinstance(loaded, lgb.LGBMClassifier)
    np.testing.assert_array_equal(loaded.predict_proba(x), model.predict_proba(x))


def test_user_callbacks_are_kept_and_not_mutated(data: Any) -> None:
    x, y = data
    cairn.lightgbm.autolog(log_models=False)
    seen: dict[str, Any] = {}
    callbacks = [lgb.record_evaluation(seen)]
    _train(x, y, callbacks=callbacks)
    assert len(callbacks) == 1
    assert len(seen["valid"]["auc"]) == ROUNDS


def test_failing_hook_does_not_break_training(data: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    x, y = data
    expected = _train(x, y).predict(x)

    def broken(*args: Any) -> None:
        raise RuntimeError("store down")

    monkeypatch.setattr(lgb_autolog, "log_feature_importance", broken)
    cairn.lightgbm.autolog()
    with pytest.warns(AutologgingWarning, match="store down"):
        booster = _train(x, y)
    np.testing.assert_array_equal(booster.predict(x), expected)


def test_user_exception_is_unchanged_and_disable_unpatches(data: Any) -> None:
    x, y = data
    original = lgb.train
    cairn.lightgbm.autolog()
    assert lgb.train is not original
    with pytest.raises(lgb.basic.LightGBMError):
        lgb.train({"objective": "no-such-objective", "verbose": -1}, lgb.Dataset(x, y), 2)
    assert cairn.active_run() is None
    cairn.lightgbm.autolog(disable=True)
    assert lgb.train is original


def test_a_failing_recorder_warns_once_and_stops_recording() -> None:
    recorder = EvalRecorder()
    bad_env = SimpleNamespace(iteration=0, evaluation_result_list=[("valid", "l2")])  # no value

    with pytest.warns(AutologgingWarning, match="lightgbm"):
        recorder(bad_env)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        recorder(SimpleNamespace(iteration=1, evaluation_result_list=[("valid", "l2", 0.5)]))

    assert recorder.broken and recorder.steps == []
