"""MLflow 3.x logged models: ``mlflow.sklearn.log_model``, loading back, and sklearn autolog."""

from __future__ import annotations

from collections.abc import Iterator

import mlflow
import mlflow.pyfunc
import mlflow.sklearn
import numpy as np
import pytest
from mlflow import MlflowClient
from mlflow.entities import LoggedModelStatus
from sklearn.linear_model import LogisticRegression


def _data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(60, 3))
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(np.int64)
    return x, y


@pytest.mark.backends
def test_log_model_and_load_it_back(fluent: str, client: MlflowClient) -> None:
    x, y = _data()
    model = LogisticRegression().fit(x, y)

    with mlflow.start_run() as run:
        mlflow.log_param("C", 1.0)
        mlflow.log_metric("acc", 0.95)  # re-logged against the model by log_model
        # Explicit requirements skip the client's requirement inference (a subprocess that
        # takes seconds and never talks to the server); autolog below exercises that path.
        info = mlflow.sklearn.log_model(
            model, name="model", input_example=x[:2], pip_requirements=["scikit-learn"]
        )
        mlflow.log_metric("after", 1.0)  # linked to the run's active model
    run_id = run.info.run_id

    by_run = mlflow.pyfunc.load_model(f"runs:/{run_id}/model")
    by_id = mlflow.pyfunc.load_model(f"models:/{info.model_id}")
    logged = mlflow.get_logged_model(info.model_id)
    outputs = client.get_run(run_id).outputs.model_outputs

    expected = model.predict(x)
    np.testing.assert_array_equal(by_run.predict(x), expected)
    np.testing.assert_array_equal(by_id.predict(x), expected)
    assert info.model_id.startswith("m-")
    assert logged.status == LoggedModelStatus.READY
    assert logged.name == "model"
    assert logged.source_run_id == run_id
    assert logged.experiment_id == fluent
    assert logged.params == {"C": "1.0"}
    assert sorted((m.key, m.value, m.run_id) for m in logged.metrics or []) == [
        ("acc", 0.95, run_id),
        ("after", 1.0, run_id),
    ]
    assert (
        logged.artifact_location == f"mlflow-artifacts:/{fluent}/models/{info.model_id}/artifacts"
    )
    assert [(o.model_id, o.step) for o in outputs] == [(info.model_id, 0)]
    assert info.signature is not None
    assert by_run.metadata.get_input_schema() == info.signature.inputs
    found = mlflow.search_logged_models(
        experiment_ids=[fluent], filter_string="name = 'model'", output_format="list"
    )
    assert [m.model_id for m in found] == [info.model_id]


@pytest.fixture
def autolog() -> Iterator[None]:
    mlflow.sklearn.autolog(silent=True)
    yield
    mlflow.sklearn.autolog(disable=True)


def test_sklearn_autolog(fluent: str, client: MlflowClient, autolog: None) -> None:
    x, y = _data()

    with mlflow.start_run() as run:
        LogisticRegression(C=0.5, max_iter=200).fit(x, y)

    data = client.get_run(run.info.run_id).data
    models = mlflow.search_logged_models(
        experiment_ids=[fluent],
        filter_string=f"source_run_id = '{run.info.run_id}'",
        output_format="list",
    )
    assert data.params["C"] == "0.5"
    assert data.params["max_iter"] == "200"
    assert 0.0 <= data.metrics["training_accuracy_score"] <= 1.0
    assert "training_f1_score" in data.metrics
    assert data.tags["estimator_name"] == "LogisticRegression"
    assert len(models) == 1
    assert models[0].status == LoggedModelStatus.READY
    assert models[0].params["C"] == "0.5"
    assert {m.key: m.value for m in models[0].metrics or []} == {
        k: v for k, v in data.metrics.items() if k.startswith("training_")
    }
    assert {m.dataset_name for m in models[0].metrics or []} == {"dataset"}
    run = client.get_run(run.info.run_id)
    assert [o.model_id for o in run.outputs.model_outputs] == [models[0].model_id]
    (train,) = run.inputs.dataset_inputs
    assert {t.key: t.value for t in train.tags} == {"mlflow.data.context": "train"}
    assert train.dataset.digest == next(iter(models[0].metrics or [])).dataset_digest
    loaded = mlflow.pyfunc.load_model(f"models:/{models[0].model_id}")
    assert loaded.predict(x).shape == (60,)
