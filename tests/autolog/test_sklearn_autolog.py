"""scikit-learn autologging: params, metrics, tags, dataset and model of one ``fit``."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.cluster import KMeans
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import cairn
from cairn.tracking import fluent

CLASSIFIER_METRICS = {
    "training_accuracy_score",
    "training_precision_score",
    "training_recall_score",
    "training_f1_score",
    "training_log_loss",
    "training_roc_auc",
    "training_score",
}
REGRESSOR_METRICS = {
    "training_mean_squared_error",
    "training_root_mean_squared_error",
    "training_mean_absolute_error",
    "training_r2_score",
    "training_score",
}


def _only_run() -> Any:
    runs = cairn.search_runs(output_format="list")
    assert len(runs) == 1
    return runs[0]


def test_classifier_fit_logs_params_metrics_tags_dataset_and_model(xy: Any) -> None:
    x, y = xy
    cairn.autolog()
    model = LogisticRegression(C=0.5, max_iter=200)
    assert model.fit(x, y) is model
    assert cairn.active_run() is None  # the autolog run was ended
    run = _only_run()
    assert run.data.param_dict == {k: str(v) for k, v in model.get_params(deep=True).items()}
    assert set(run.data.metric_dict) == CLASSIFIER_METRICS
    assert run.data.metric_dict["training_accuracy_score"] == model.score(x, y)
    for key in CLASSIFIER_METRICS:
        history = fluent.client().get_metric_history(run.info.run_id, key)
        assert [m.step for m in history] == [0]
    assert run.data.tag_dict["estimator_name"] == "LogisticRegression"
    assert (
        run.data.tag_dict["estimator_class"] == "sklearn.linear_model._logistic.LogisticRegression"
    )
    expected = cairn.data.from_numpy(x, targets=y).digest
    assert [d.dataset.digest for d in run.inputs.dataset_inputs] == [expected]
    models = list(fluent.client().search_logged_models([run.info.experiment_id]))
    assert len(models) == 1
    uri = f"models:/{models[0].model_id}"
    np.testing.assert_array_equal(cairn.sklearn.load_model(uri).predict(x), model.predict(x))
    np.testing.assert_array_equal(cairn.pyfunc.load_model(uri).predict(x), model.predict(x))


def test_regressor_fit_logs_regression_metrics(xy: Any) -> None:
    x, _ = xy
    y = x @ np.array([1.0, -2.0, 0.5]) + 0.1
    cairn.sklearn.autolog(log_models=False, log_datasets=False)
    LinearRegression().fit(x, y)
    run = _only_run()
    assert set(run.data.metric_dict) == REGRESSOR_METRICS
    assert run.data.metric_dict["training_r2_score"] == run.data.metric_dict["training_score"]
    assert (
        abs(
            run.data.metric_dict["training_root_mean_squared_error"] ** 2
            - run.data.metric_dict["training_mean_squared_error"]
        )
        < 1e-12
    )
    assert run.inputs.dataset_inputs == ()


def test_pipeline_logs_once_with_deep_params(xy: Any) -> None:
    x, y = xy
    cairn.autolog(log_models=False)
    pipe = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression())])
    pipe.fit(x, y)
    run = _only_run()  # the steps' own fits did not start runs
    assert run.data.param_dict["clf__C"] == "1.0"
    assert run.data.param_dict["scale__with_mean"] == "True"
    assert run.data.tag_dict["estimator_name"] == "Pipeline"
    assert "training_accuracy_score" in run.data.metric_dict


def test_fit_transform_is_one_run_with_no_eval_dataset(xy: Any) -> None:
    x, _ = xy
    cairn.autolog(log_models=False)
    scaled = StandardScaler().fit_transform(x)
    np.testing.assert_allclose(scaled.mean(axis=0), 0.0, atol=1e-12)
    run = _only_run()
    assert run.data.tag_dict["estimator_name"] == "StandardScaler"
    assert run.data.param_dict["with_mean"] == "True"
    # The transform inside fit_transform is training, not inference on evaluation data.
    assert [d.tags[0].value for d in run.inputs.dataset_inputs] == ["train"]


def test_fit_predict_is_one_run(xy: Any) -> None:
    x, _ = xy
    cairn.autolog(log_models=False)
    labels = KMeans(n_clusters=2, n_init=2, random_state=0).fit_predict(x)
    assert sorted(set(labels.tolist())) == [0, 1]
    run = _only_run()
    assert run.data.tag_dict["estimator_name"] == "KMeans"
    assert run.data.param_dict["n_clusters"] == "2"


def test_fit_inside_user_run_logs_to_that_run(xy: Any) -> None:
    x, y = xy
    cairn.autolog(log_models=False, extra_tags={"team": "ml"})
    with cairn.start_run() as run:
        LogisticRegression().fit(x, y)
        assert cairn.active_run() is not None
    logged = _only_run()
    assert logged.info.run_id == run.info.run_id
    assert logged.data.tag_dict["team"] == "ml"
    assert "training_f1_score" in logged.data.metric_dict


def test_input_example_and_signature_are_logged(xy: Any) -> None:
    x, y = xy
    cairn.sklearn.autolog(log_input_examples=True, registered_model_name="autolog-clf")
    LogisticRegression().fit(x, y)
    run = _only_run()
    model = next(iter(fluent.client().search_logged_models([run.info.experiment_id])))
    loaded = cairn.pyfunc.load_model(f"models:/{model.model_id}")
    assert loaded.metadata.signature is not None
    assert loaded.metadata.saved_input_example_info is not None
    version = cairn.pyfunc.load_model("models:/autolog-clf/1")
    np.testing.assert_array_equal(version.predict(x), loaded.predict(x))
