"""Post-training metrics: ``sklearn.metrics`` calls and ``score`` on an autologged model's
predictions land in the run that trained it, under MLflow 3's keys."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sklearn.metrics
import sklearn.model_selection
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import cairn
from cairn.autologging import sklearn_post_training
from cairn.autologging.patching import AutologgingWarning
from cairn.entities import RunStatus
from cairn.tracking import fluent
from live_server import LiveServer


@pytest.fixture
def data() -> tuple[Any, Any, Any, Any]:
    rng = np.random.default_rng(42)
    x = rng.normal(size=(80, 3))
    y = (x[:, 0] - x[:, 2] > 0).astype(int)
    return x[:60], y[:60], x[60:], y[60:]


def _post_training(run_id: str) -> dict[str, float]:
    metrics = cairn.get_run(run_id).data.metric_dict
    return {k: v for k, v in metrics.items() if not k.startswith("training_")}


def _metric_info(run_id: str) -> dict[str, str]:
    path = fluent.client().download_artifacts(run_id, sklearn_post_training.METRIC_INFO_FILE)
    return json.loads(Path(path).read_text())  # type: ignore[no-any-return]


def _only_run_id() -> str:
    (run,) = cairn.search_runs(output_format="list")
    return run.info.run_id  # type: ignore[no-any-return]


def test_metric_on_predictions_logs_to_the_ended_training_run(data: Any) -> None:
    x, y, x_test, y_test = data
    cairn.sklearn.autolog(log_models=False)
    model = LogisticRegression().fit(x, y)
    run_id = _only_run_id()
    assert cairn.get_run(run_id).info.status == RunStatus.FINISHED
    y_pred = model.predict(x_test)
    accuracy = sklearn.metrics.accuracy_score(y_test, y_pred)
    again = sklearn.metrics.accuracy_score(y_test, y_pred, normalize=False)
    f1 = sklearn.metrics.f1_score(y_true=y_test, y_pred=y_pred)
    assert accuracy == sklearn.metrics.accuracy_score.__wrapped__(y_test, y_pred)
    assert _post_training(run_id) == {
        "accuracy_score_x_test": accuracy,
        "accuracy_score-2_x_test": again,
        "f1_score_x_test": f1,
    }
    assert _metric_info(run_id) == {
        "accuracy_score_x_test": "accuracy_score(y_true=y_test, y_pred=y_pred)",
        "accuracy_score-2_x_test": "accuracy_score(y_true=y_test, y_pred=y_pred, normalize=False)",
        "f1_score_x_test": "f1_score(y_true=y_test, y_pred=y_pred)",
    }
    assert len(cairn.search_runs(output_format="list")) == 1  # no run was started for them


def test_score_and_regression_metrics(data: Any) -> None:
    x, _, x_test, _ = data
    weights = np.array([1.0, -2.0, 0.5])
    y, y_test = x @ weights, x_test @ weights + 0.1
    cairn.sklearn.autolog(log_models=False)
    model = LinearRegression().fit(x, y)
    score = model.score(x_test, y_test)
    predictions = model.predict(x_test)
    mse = sklearn.metrics.mean_squared_error(y_test, predictions)
    r2 = sklearn.metrics.r2_score(y_test, predictions)
    run_id = _only_run_id()
    assert _post_training(run_id) == {
        "LinearRegression_score_x_test": score,
        "mean_squared_error_x_test": mse,
        "r2_score_x_test": r2,
    }
    assert r2 == score
    info = _metric_info(run_id)
    assert info["LinearRegression_score_x_test"] == "LinearRegression.score(X=x_test, y=y_test)"


def test_a_second_dataset_under_the_same_name_gets_a_suffix(data: Any) -> None:
    x, y, x_test, y_test = data
    cairn.sklearn.autolog(log_models=False)
    model = LogisticRegression().fit(x, y)
    first = sklearn.metrics.accuracy_score(y_test, model.predict(x_test))
    x_test = x_test[::-1].copy()
    second = sklearn.metrics.accuracy_score(y_test[::-1], model.predict(x_test))
    loss = sklearn.metrics.log_loss(y_test[::-1], model.predict_proba(x_test))
    assert _post_training(_only_run_id()) == {
        "accuracy_score_x_test": first,
        "accuracy_score-2_x_test-2": second,
        "log_loss_x_test-2": loss,
    }


def test_pipeline_predictions_and_delegated_methods(data: Any) -> None:
    x, y, x_test, y_test = data
    cairn.sklearn.autolog(log_models=False)
    pipe = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression())]).fit(x, y)
    proba = pipe.predict_proba(x_test)
    loss = sklearn.metrics.log_loss(y_test, proba)
    sklearn.metrics.roc_auc_score(y_test, proba[:, 1])  # a slice is a new array: not tracked
    score = pipe.score(x_test, y_test)
    assert _post_training(_only_run_id()) == {
        "log_loss_x_test": loss,
        "Pipeline_score_x_test": score,
    }
    regression = Pipeline([("clf", LinearRegression())])
    assert not hasattr(regression, "predict_proba")  # available_if still decides


def test_predictions_log_the_eval_dataset(data: Any) -> None:
    x, y, x_test, _ = data
    cairn.sklearn.autolog(log_models=False)
    model = LogisticRegression().fit(x, y)
    model.predict(x_test)
    model.predict_proba(x_test)
    run = cairn.get_run(_only_run_id())
    contexts = {
        d.dataset.digest: [t.value for t in d.tags if t.key == "mlflow.data.context"]
        for d in run.inputs.dataset_inputs
    }
    assert contexts[cairn.data.from_numpy(x_test).digest] == ["eval"]


def test_fit_inside_a_user_run_logs_there_after_it_ended(data: Any) -> None:
    x, y, x_test, y_test = data
    cairn.sklearn.autolog(log_models=False)
    with cairn.start_run() as run:
        model = LogisticRegression().fit(x, y)
    with cairn.start_run() as other:
        value = sklearn.metrics.precision_score(y_test, model.predict(x_test))
    assert _post_training(run.info.run_id) == {"precision_score_x_test": value}
    assert _post_training(other.info.run_id) == {}


def test_switched_off_logs_nothing_and_leaves_metrics_unpatched(data: Any) -> None:
    x, y, x_test, y_test = data
    original = sklearn.metrics.accuracy_score
    cairn.sklearn.autolog(log_models=False, log_post_training_metrics=False)
    assert sklearn.metrics.accuracy_score is original
    model = LogisticRegression().fit(x, y)
    model.score(x_test, y_test)
    sklearn.metrics.accuracy_score(y_test, model.predict(x_test))
    run_id = _only_run_id()
    assert _post_training(run_id) == {}
    assert fluent.client().list_artifacts(run_id) == []


def test_models_not_autologged_log_nothing(data: Any) -> None:
    x, y, x_test, y_test = data
    before = LogisticRegression().fit(x, y)  # trained before autolog was on
    cairn.sklearn.autolog(log_models=False)
    assert sklearn.metrics.accuracy_score(y_test, before.predict(x_test)) > 0.5
    before.score(x_test, y_test)
    with cairn.start_run():
        sklearn.metrics.accuracy_score(y_test, y_test)  # no prediction among the arguments
    (run,) = cairn.search_runs(output_format="list")
    assert run.data.metric_dict == {}


def test_disable_puts_inference_and_metrics_back(data: Any) -> None:
    originals = (
        sklearn.metrics.accuracy_score,
        LogisticRegression.predict,
        Pipeline.__dict__["predict"].fn,
        sklearn.model_selection.cross_val_score,
    )
    cairn.sklearn.autolog()
    assert sklearn.metrics.accuracy_score is not originals[0]
    assert Pipeline.__dict__["predict"].fn is not originals[2]
    cairn.sklearn.autolog(disable=True)
    assert (
        sklearn.metrics.accuracy_score,
        LogisticRegression.predict,
        Pipeline.__dict__["predict"].fn,
        sklearn.model_selection.cross_val_score,
    ) == originals


def test_metrics_inside_a_fit_are_not_post_training_metrics(data: Any) -> None:
    x, y, x_test, y_test = data
    cairn.sklearn.autolog(log_models=False)
    scorer = sklearn.metrics.make_scorer(sklearn.metrics.accuracy_score)  # the patched one

    def f1(estimator: Any, features: Any, target: Any) -> float:
        return float(sklearn.metrics.f1_score(target, estimator.predict(features)))

    GridSearchCV(LogisticRegression(), {"C": [1.0]}, cv=2, scoring=f1).fit(x, y)
    with cairn.start_run() as run:
        search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=2, scoring=scorer)
        search.fit(x, y)
    for logged in cairn.search_runs(output_format="list"):
        keys = _post_training(logged.info.run_id)
        assert not [k for k in keys if k.startswith(("accuracy_score", "f1_score"))]
    accuracy = sklearn.metrics.accuracy_score(y_test, search.predict(x_test))
    assert _post_training(run.info.run_id)["accuracy_score_x_test"] == accuracy


def test_cross_validation_helpers_log_nothing(data: Any) -> None:
    x, y, _, _ = data
    cairn.sklearn.autolog(log_models=False)
    scores = sklearn.model_selection.cross_val_score(LogisticRegression(), x, y, cv=3)
    assert len(scores) == 3
    assert cairn.search_runs(output_format="list") == []


def test_failing_hook_warns_and_returns_the_metric(
    data: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    x, y, x_test, y_test = data
    cairn.sklearn.autolog(log_models=False)
    model = LogisticRegression().fit(x, y)
    y_pred = model.predict(x_test)
    expected = sklearn.metrics.accuracy_score.__wrapped__(y_test, y_pred)

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("metric logging broke")

    monkeypatch.setattr(sklearn_post_training, "_log_metric", boom)
    with pytest.warns(AutologgingWarning, match="metric logging broke"):
        assert sklearn.metrics.accuracy_score(y_test, y_pred) == expected
    with pytest.warns(AutologgingWarning, match="metric logging broke"):
        assert model.score(x_test, y_test) == expected
    monkeypatch.setattr(sklearn_post_training.TRACKER, "dataset_name", boom)
    with pytest.warns(AutologgingWarning, match="metric logging broke"):
        np.testing.assert_array_equal(model.predict(x_test), y_pred)


def test_tracking_keeps_no_model_or_prediction_alive(data: Any) -> None:
    x, y, x_test, _ = data
    cairn.sklearn.autolog(log_models=False, log_datasets=False)
    tracker = sklearn_post_training.TRACKER
    model = LogisticRegression().fit(x, y)
    y_pred = model.predict(x_test)
    key = id(y_pred)
    assert key in tracker._predictions
    assert tracker.run_of(model) == _only_run_id()
    models = len(tracker._models)
    del y_pred, model
    # Naming the dataset read this frame's ``f_locals``: before Python 3.13 that snapshot holds
    # the locals of a living frame until it is refreshed (as in MLflow). Refresh it, so what
    # is checked is that the tracker itself holds nothing.
    locals()
    gc.collect()
    assert key not in tracker._predictions
    assert len(tracker._models) == models - 1


def test_post_training_metrics_on_a_live_server(data: Any, live_server: LiveServer) -> None:
    cairn.set_tracking_uri(live_server.url)
    x, y, x_test, y_test = data
    cairn.sklearn.autolog(log_models=False)
    model = LogisticRegression().fit(x, y)
    recall = sklearn.metrics.recall_score(y_test, model.predict(x_test))
    score = model.score(x_test, y_test)
    run_id = _only_run_id()
    assert _post_training(run_id) == {
        "recall_score_x_test": recall,
        "LogisticRegression_score_x_test": score,
    }
    # an unnamed argument shows as its type, as in MLflow
    assert (
        _metric_info(run_id)["recall_score_x_test"]
        == "recall_score(y_true=y_test, y_pred=<ndarray>)"
    )
