"""Custom PythonModels: artifacts, context, params, and interop with MLflow both ways."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cairn.errors import InvalidParameterValue
from cairn.models import pyfunc

pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::FutureWarning", "ignore::UserWarning"
)


class Scaled(pyfunc.PythonModel):
    """Multiplies by a factor read from an artifact file when the model loads."""

    def load_context(self, context: pyfunc.PythonModelContext) -> None:
        self.factor = float(Path(context.artifacts["factor"]).read_text())

    def predict(self, context: Any, model_input: Any, params: dict[str, Any] | None = None) -> Any:
        offset = (params or {}).get("offset", 0)
        return [x * self.factor + offset for x in model_input]


class NoContext(pyfunc.PythonModel):
    def predict(self, model_input: Any) -> Any:  # type: ignore[override]
        return [str(x) for x in model_input]


@pytest.fixture
def scaled_model(tmp_path: Path) -> Path:
    factor = tmp_path / "factor.txt"
    factor.write_text("3")
    path = tmp_path / "model"
    pyfunc.save_model(path, python_model=Scaled(), artifacts={"factor": str(factor)})
    return path


def test_artifacts_and_params_reach_the_model(scaled_model: Path) -> None:
    model = pyfunc.load_model(scaled_model)
    assert model.predict([1, 2]) == [3.0, 6.0]
    assert model.predict([1], params={"offset": 1}) == [4.0]
    assert isinstance(model.unwrap_python_model(), Scaled)


def test_predict_without_context_is_called_without_it(tmp_path: Path) -> None:
    pyfunc.save_model(tmp_path / "m", python_model=NoContext(), pip_requirements=[])
    assert pyfunc.load_model(tmp_path / "m").predict([1, 2]) == ["1", "2"]


def test_cairn_custom_model_loads_in_mlflow(scaled_model: Path) -> None:
    import mlflow.pyfunc

    assert mlflow.pyfunc.load_model(str(scaled_model)).predict([1, 2]) == [3.0, 6.0]


def test_mlflow_custom_model_loads_in_cairn(tmp_path: Path) -> None:
    import mlflow.pyfunc

    class Plus(mlflow.pyfunc.PythonModel):
        def predict(self, context: Any, model_input: Any, params: Any = None) -> Any:
            return [x + 1 for x in model_input]

    mlflow.pyfunc.save_model(str(tmp_path / "m"), python_model=Plus())
    assert pyfunc.load_model(tmp_path / "m").predict([1, 2]) == [2, 3]


def test_requirements_are_inferred_from_what_the_model_imports(tmp_path: Path) -> None:
    import yaml as pyyaml

    class UsesYaml(pyfunc.PythonModel):
        def predict(self, context: Any, model_input: Any, params: Any = None) -> Any:
            return pyyaml.safe_dump(model_input)

    pyfunc.save_model(tmp_path / "m", python_model=UsesYaml())
    requirements = (tmp_path / "m" / "requirements.txt").read_text().split()
    assert any(r.startswith("cloudpickle==") for r in requirements)
    assert any(r.lower().startswith("pyyaml==") for r in requirements)
    assert not any(r.startswith(("cairn", "mlflow")) for r in requirements)


def test_a_model_without_predict_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameterValue, match="predict"):
        pyfunc.save_model(tmp_path / "m", python_model=object())


def test_signature_from_an_example_has_the_outputs_mlflow_infers(tmp_path: Path) -> None:
    """The example is run through the saved model (artifacts loaded) for the output schema,
    as MLflow's save does; the caller's own object is left as it was."""
    import mlflow.pyfunc
    import numpy as np

    class MlflowScaled(mlflow.pyfunc.PythonModel):
        def load_context(self, context: Any) -> None:
            self.factor = float(Path(context.artifacts["factor"]).read_text())

        def predict(self, context: Any, model_input: np.ndarray, params: Any = None) -> Any:
            return np.asarray(model_input) * self.factor

    class CairnScaled(pyfunc.PythonModel):
        load_context = MlflowScaled.load_context
        predict = MlflowScaled.predict

    factor = tmp_path / "factor.txt"
    factor.write_text("3")
    kwargs: dict[str, Any] = {
        "artifacts": {"factor": str(factor)},
        "input_example": np.array([[1.0, 2.0]]),
        "pip_requirements": [],
    }
    model = CairnScaled()
    saved = pyfunc.save_model(tmp_path / "cairn", python_model=model, **kwargs)
    mlflow.pyfunc.save_model(str(tmp_path / "mlflow"), python_model=MlflowScaled(), **kwargs)

    expected = mlflow.pyfunc.load_model(str(tmp_path / "mlflow")).metadata.signature.to_dict()
    assert saved.signature == expected
    assert saved.signature is not None and saved.signature["outputs"] is not None
    assert not hasattr(model, "factor")
