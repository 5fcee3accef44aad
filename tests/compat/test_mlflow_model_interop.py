"""Models cross between the clients through one ``cairn server``: MLflow logs, cairn loads;
cairn logs, MLflow loads; predictions are identical both ways."""

from __future__ import annotations

from typing import Any

import mlflow
import mlflow.pyfunc
import mlflow.sklearn
import numpy as np
import pytest
from mlflow import MlflowClient
from mlflow.entities import LoggedModelStatus
from sklearn.linear_model import LogisticRegression

import cairn
from cairn.models import pyfunc as cairn_pyfunc

pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::FutureWarning", "ignore::UserWarning"
)


def _fitted() -> tuple[Any, np.ndarray]:
    rng = np.random.default_rng(11)
    x = rng.normal(size=(50, 3))
    y = (x[:, 0] - x[:, 2] > 0).astype(np.int64)
    return LogisticRegression().fit(x, y), x


def test_mlflow_logged_model_loads_in_cairn(fluent: str, cairn_client_on: str) -> None:
    model, x = _fitted()
    with mlflow.start_run() as run:
        info = mlflow.sklearn.log_model(
            model, name="m", input_example=x[:2], pip_requirements=["scikit-learn"]
        )

    by_id = cairn_pyfunc.load_model(f"models:/{info.model_id}")
    by_run = cairn_pyfunc.load_model(f"runs:/{run.info.run_id}/m")

    expected = mlflow.pyfunc.load_model(info.model_uri).predict(x)
    np.testing.assert_array_equal(by_id.predict(x), expected)
    np.testing.assert_array_equal(by_run.predict(x), expected)
    np.testing.assert_array_equal(expected, model.predict(x))
    assert by_id.metadata.model_id == info.model_id
    assert by_id.metadata.run_id == run.info.run_id


def test_cairn_logged_model_loads_in_mlflow(
    fluent: str, cairn_client_on: str, client: MlflowClient
) -> None:
    model, x = _fitted()
    with cairn.start_run() as run:
        cairn.log_param("C", 1.0)
        cairn.log_metric("acc", 0.75)
        info = cairn.sklearn.log_model(
            model, "m", input_example=x[:2], pip_requirements=["scikit-learn"]
        )
    run_id = run.info.run_id

    by_id = mlflow.pyfunc.load_model(info.model_uri)
    by_run = mlflow.pyfunc.load_model(f"runs:/{run_id}/m")
    logged = client.get_logged_model(info.model_id)
    outputs = client.get_run(run_id).outputs.model_outputs

    expected = cairn_pyfunc.load_model(info.model_uri).predict(x)
    np.testing.assert_array_equal(by_id.predict(x), expected)
    np.testing.assert_array_equal(by_run.predict(x), expected)
    np.testing.assert_array_equal(expected, model.predict(x))
    assert logged.status == LoggedModelStatus.READY
    assert (logged.name, logged.source_run_id, logged.experiment_id) == ("m", run_id, fluent)
    assert logged.params == {"C": "1.0"}
    assert [(m.key, m.value) for m in logged.metrics or []] == [("acc", 0.75)]
    assert logged.artifact_location == info.artifact_path
    assert info.artifact_path == f"mlflow-artifacts:/{fluent}/models/{info.model_id}/artifacts"
    assert [(o.model_id, o.step) for o in outputs] == [(info.model_id, 0)]
    assert by_id.metadata.model_id == info.model_id
    assert by_id.metadata.run_id == run_id
    assert by_id.metadata.get_input_schema() is not None
