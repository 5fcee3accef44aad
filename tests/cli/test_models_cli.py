"""``cairn models info`` and ``cairn models validate`` on saved and logged models."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import Result

from cairn.models import logged, pyfunc
from cairn.models.flavors import sklearn as cairn_sklearn
from cairn.tracking.client import CairnClient

Invoke = Callable[..., Result]

pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::FutureWarning", "ignore::UserWarning"
)


def _data() -> tuple[Any, Any]:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(30, 2))
    return x, (x[:, 0] > 0).astype(int)


@pytest.fixture
def saved_model(tmp_path: Path) -> Path:
    from sklearn.linear_model import LogisticRegression

    x, y = _data()
    path = tmp_path / "model"
    cairn_sklearn.save_model(
        LogisticRegression().fit(x, y), path, input_example=x[:2], pip_requirements=[]
    )
    return path


class _Failing(pyfunc.PythonModel):
    def predict(self, context: Any, model_input: Any, params: Any = None) -> Any:
        raise ValueError("cannot score this")


def test_info_prints_the_mlmodel_summary(invoke: Invoke, saved_model: Path) -> None:
    result = invoke("models", "info", str(saved_model))

    assert result.exit_code == 0, result.output
    for text in ("python_function, sklearn", "mlflow.sklearn", "ndarray", "Inputs", "tensor"):
        assert text in result.output


def test_info_json_has_every_key(invoke: Invoke, saved_model: Path) -> None:
    result = invoke("models", "info", str(saved_model), "--json")

    data = json.loads(result.output)
    assert result.exit_code == 0
    assert data["loader_module"] == "mlflow.sklearn"
    assert set(data["flavors"]) == {"python_function", "sklearn"}
    assert data["signature"]["inputs"][0]["type"] == "tensor"
    assert data["input_example"]["type"] == "ndarray"
    assert data["model_size_bytes"] > 0
    assert data["run_id"] is None and data["model_id"] is None


def test_info_of_a_logged_model_names_its_run_and_id(
    invoke: Invoke, client: CairnClient, tmp_path: Path
) -> None:
    from sklearn.linear_model import LogisticRegression

    run_id = client.create_run("0").info.run_id
    info = logged.log_model(
        cairn_sklearn.save_model,
        LogisticRegression().fit(*_data()),
        "clf",
        run_id=run_id,
        client=client,
        pip_requirements=[],
    )

    by_id = json.loads(invoke("models", "info", info.model_uri, "--json").output)
    by_run = invoke("models", "info", f"runs:/{run_id}/clf")

    assert (by_id["model_id"], by_id["run_id"]) == (info.model_id, run_id)
    assert by_run.exit_code == 0 and info.model_id in by_run.output


def test_validate_predicts_on_the_saved_example(invoke: Invoke, saved_model: Path) -> None:
    result = invoke("models", "validate", str(saved_model))

    assert result.exit_code == 0, result.output
    assert "OK" in result.output and "numpy.ndarray of shape (2,)" in result.output


def test_validate_without_an_input_example_exits_1(invoke: Invoke, tmp_path: Path) -> None:
    from sklearn.linear_model import LogisticRegression

    path = tmp_path / "bare"
    cairn_sklearn.save_model(LogisticRegression().fit(*_data()), path, pip_requirements=[])

    result = invoke("models", "validate", str(path))

    assert result.exit_code == 1
    assert "no saved input example" in result.output


def test_validate_reports_a_failing_prediction(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "failing"
    pyfunc.save_model(path, python_model=_Failing(), input_example=[1, 2], pip_requirements=[])

    result = invoke("models", "validate", str(path))

    assert result.exit_code == 1
    assert "Predicting on the saved input example failed" in result.output
    assert "cannot score this" in result.output


def test_unknown_uri_is_a_clean_error(invoke: Invoke) -> None:
    result = invoke("models", "info", "models:/m-00000000000000000000000000000000")

    assert result.exit_code == 1
    assert "Traceback" not in result.output
