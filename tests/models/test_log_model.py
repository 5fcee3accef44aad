"""``log_model`` against the embedded store: a READY logged model linked to its run, files at
its artifact location, loadable by ``models:/`` and ``runs:/`` alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import cairn
from cairn.entities import LoggedModelStatus, Metric
from cairn.errors import InvalidParameterValue
from cairn.models import logged, pyfunc
from cairn.models.flavors import sklearn as cairn_sklearn
from cairn.models.mlmodel import read_model
from cairn.store.artifacts import uri_to_local_path
from cairn.tracking.client import CairnClient

pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::FutureWarning", "ignore::UserWarning"
)


@pytest.fixture
def classifier(xy: tuple[Any, Any]) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression().fit(*xy)


def test_log_model_in_a_run_creates_a_ready_model_loadable_both_ways(
    tracking_dir: Path, classifier: Any, xy: tuple[Any, Any]
) -> None:
    x, _ = xy
    with cairn.start_run() as run:
        cairn.log_param("C", 1.0)
        cairn.log_metric("acc", 0.9)
        info = cairn_sklearn.log_model(
            classifier, "clf", input_example=x[:2], pip_requirements=[], params={"extra": 1}
        )
    run_id = run.info.run_id
    client = CairnClient()
    model = client.get_logged_model(info.model_id)
    files = uri_to_local_path(model.artifact_location)
    mlmodel = read_model(files)

    by_id = pyfunc.load_model(info.model_uri)
    by_run = pyfunc.load_model(f"runs:/{run_id}/clf")

    expected = classifier.predict(x)
    np.testing.assert_array_equal(by_id.predict(x), expected)
    np.testing.assert_array_equal(by_run.predict(x), expected)
    assert info.model_uri == f"models:/{info.model_id}" and info.model_id.startswith("m-")
    assert model.status is LoggedModelStatus.LOGGED_MODEL_READY
    assert (model.name, model.source_run_id) == ("clf", run_id)
    assert model.param_dict == {"C": "1.0", "extra": "1"}
    assert "mlflow.user" in model.tag_dict
    assert [(m.key, m.value, m.run_id) for m in model.metrics] == [("acc", 0.9, run_id)]
    assert [o.model_id for o in client.get_run(run_id).outputs.model_outputs] == [info.model_id]
    assert {"MLmodel", "model.pkl", "input_example.json"} <= {p.name for p in files.iterdir()}
    assert (mlmodel.run_id, mlmodel.model_id, mlmodel.model_uuid) == (
        run_id,
        info.model_id,
        info.model_id,
    )
    assert mlmodel.artifact_path == model.artifact_location == info.artifact_path
    assert info.flavors.keys() == {"python_function", "sklearn"}
    assert info.saved_input_example_info is not None


def test_log_model_without_a_run_logs_to_the_active_experiment_like_mlflow_3(
    tracking_dir: Path, classifier: Any
) -> None:
    experiment = cairn.set_experiment("no-run")

    info = cairn_sklearn.log_model(classifier, "solo", pip_requirements=[])

    model = CairnClient().get_logged_model(info.model_id)
    assert cairn.active_run() is None
    assert (info.run_id, model.source_run_id) == (None, None)
    assert model.experiment_id == experiment.experiment_id
    assert read_model(uri_to_local_path(model.artifact_location)).run_id is None


def test_log_model_to_an_explicit_run_records_the_output_at_its_step(
    tracking_dir: Path, classifier: Any
) -> None:
    client = CairnClient()
    run_id = client.create_run("0").info.run_id
    client.log_batch(
        run_id, metrics=[Metric(k, s / 10, 100 + s, s) for k in "ab" for s in range(8)]
    )

    info = cairn_sklearn.log_model(classifier, "late", run_id=run_id, step=5, pip_requirements=[])

    outputs = client.get_run(run_id).outputs.model_outputs
    assert [(o.model_id, o.step) for o in outputs] == [(info.model_id, 5)]
    assert info.run_id == run_id
    # MLflow 3 attaches the run's metrics at the model's step to the model.
    model_metrics = client.get_logged_model(info.model_id).metrics
    assert sorted((m.key, m.value, m.step) for m in model_metrics) == [("a", 0.5, 5), ("b", 0.5, 5)]


def test_a_failing_save_marks_the_model_failed_and_reraises(tracking_dir: Path) -> None:
    def broken_save(model: Any, path: Path, **kwargs: Any) -> Any:
        path.mkdir()
        (path / "half-written").write_text("x")
        raise RuntimeError("disk full")

    with cairn.start_run() as run, pytest.raises(RuntimeError, match="disk full"):
        logged.log_model(broken_save, object(), "broken")

    client = CairnClient()
    (model,) = client.search_logged_models([run.info.experiment_id])
    assert model.status is LoggedModelStatus.LOGGED_MODEL_UPLOAD_FAILED
    assert model.name == "broken"


def test_pyfunc_log_model_logs_a_custom_python_model(tracking_dir: Path) -> None:
    class Double(pyfunc.PythonModel):
        def predict(self, context: Any, model_input: Any, params: Any = None) -> Any:
            return [2 * v for v in model_input]

    with cairn.start_run() as run:
        info = pyfunc.log_model("double", python_model=Double(), pip_requirements=[])

    assert pyfunc.load_model(f"runs:/{run.info.run_id}/double").predict([1, 2]) == [2, 4]
    assert pyfunc.load_model(info.model_uri).predict([3]) == [6]
    with pytest.raises(InvalidParameterValue, match="python_model"):
        pyfunc.log_model("nothing")


def test_lazy_public_modules_log_and_load(tracking_dir: Path, classifier: Any) -> None:
    from cairn import sklearn

    with cairn.start_run():
        info = sklearn.log_model(classifier, "lazy", pip_requirements=[])

    assert cairn.pyfunc.load_model(info.model_uri).metadata.model_id == info.model_id
    assert type(sklearn.load_model(info.model_uri)) is type(classifier)


def test_package_docstring_examples_run() -> None:
    import doctest

    assert doctest.testmod(cairn).failed == 0
