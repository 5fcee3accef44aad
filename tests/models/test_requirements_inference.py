"""Requirement inference: a model is loaded in a real subprocess and its imports recorded.

The loaders are tiny modules written into ``tmp_path`` (put on ``sys.path``, which the
subprocess inherits), so each test states exactly what the "model" imports.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import sys
import textwrap
from pathlib import Path

import pytest

from cairn.models.requirements import infer_pip_requirements, pinned

LOGGER = "cairn.models.requirements"


@pytest.fixture
def loader_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "loaders"
    path.mkdir()
    monkeypatch.syspath_prepend(str(path))
    return path


def _loader(loader_dir: Path, name: str, body: str) -> str:
    (loader_dir / f"{name}.py").write_text(textwrap.dedent(body))
    return f"{name}:load_model"


def _model_dir(tmp_path: Path, example: object | None = None) -> Path:
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    mlmodel = "flavors: {}\n"
    if example is not None:
        (model_dir / "input_example.json").write_text(json.dumps(example))
        mlmodel += "saved_input_example_info:\n  artifact_path: input_example.json\n"
        mlmodel += "  type: json_object\n"
    (model_dir / "MLmodel").write_text(mlmodel)
    return model_dir


def _pin(distribution: str, name: str) -> str:
    return f"{name}=={importlib.metadata.version(distribution)}"


def test_third_party_imports_are_found_and_pinned(tmp_path: Path, loader_dir: Path) -> None:
    loader = _loader(
        loader_dir,
        "cairn_test_loader_yaml",
        """
        def load_model(path):
            import json, logging, os.path   # standard library: not requirements
            import cairn.errors             # the loading platform: not a requirement
            import yaml
            import sklearn.linear_model
            return object()
        """,
    )
    got = infer_pip_requirements(_model_dir(tmp_path), ["cloudpickle==3.0.0"], loader=loader)

    # exactly these: not numpy, scipy, pandas... which sklearn imports while initialising
    assert got == sorted(
        ["cloudpickle==3.0.0", _pin("PyYAML", "pyyaml"), _pin("scikit-learn", "scikit-learn")]
    )


def test_imports_a_deserializer_makes_for_the_model_count(tmp_path: Path, loader_dir: Path) -> None:
    """cloudpickle re-imports the modules a by-value function uses: the model needs them,
    although a third-party package asks for them."""
    import cloudpickle

    namespace = {"__name__": "__main__"}  # pickled by value, like a notebook's function
    exec("import yaml\ndef dump(x):\n    return yaml.safe_dump(x)\n", namespace)
    model_dir = _model_dir(tmp_path)
    (model_dir / "f.pkl").write_bytes(cloudpickle.dumps(namespace["dump"]))
    loader = _loader(
        loader_dir,
        "cairn_test_loader_pickle",
        """
        def load_model(path):
            import pathlib
            import cloudpickle
            return cloudpickle.loads(pathlib.Path(path, "f.pkl").read_bytes())
        """,
    )
    got = infer_pip_requirements(model_dir, [], loader=loader)
    assert got == sorted([pinned("cloudpickle"), pinned("pyyaml")])


def test_mlflow_and_build_tools_are_excluded(tmp_path: Path, loader_dir: Path) -> None:
    loader = _loader(
        loader_dir,
        "cairn_test_loader_mlflow",
        """
        def load_model(path):
            import mlflow.version, setuptools, pip, yaml
            return object()
        """,
    )
    got = infer_pip_requirements(_model_dir(tmp_path), [], loader=loader)
    assert got == [_pin("PyYAML", "pyyaml")]


def test_packages_required_by_another_captured_package_are_pruned(
    tmp_path: Path, loader_dir: Path
) -> None:
    loader = _loader(
        loader_dir,
        "cairn_test_loader_prune",
        """
        def load_model(path):
            import sklearn, joblib, threadpoolctl, numpy
            return object()
        """,
    )
    got = infer_pip_requirements(_model_dir(tmp_path), [], loader=loader)
    # joblib and threadpoolctl come with scikit-learn; numpy stays pinned because the
    # loading platform (mlflow) installs it unpinned, exactly as MLflow decides.
    assert got == sorted([_pin("scikit-learn", "scikit-learn"), _pin("numpy", "numpy")])


def test_imports_made_while_predicting_on_the_input_example_count(
    tmp_path: Path, loader_dir: Path
) -> None:
    loader = _loader(
        loader_dir,
        "cairn_test_loader_predict",
        """
        class Model:
            def predict(self, data, params=None):
                assert data == {"x": [1, 2]}
                import yaml

        def load_model(path):
            return Model()
        """,
    )
    model_dir = _model_dir(tmp_path, example={"x": [1, 2]})
    assert infer_pip_requirements(model_dir, [], loader=loader) == [pinned("pyyaml")]


def test_failed_predict_keeps_load_imports_and_logs(
    tmp_path: Path, loader_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    loader = _loader(
        loader_dir,
        "cairn_test_loader_badpredict",
        """
        class Model:
            def predict(self, data, params=None):
                raise ValueError("no good")

        def load_model(path):
            import yaml
            return Model()
        """,
    )
    model_dir = _model_dir(tmp_path, example={"x": 1})
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        assert infer_pip_requirements(model_dir, [], loader=loader) == [pinned("pyyaml")]
    assert "Failed to run predict on input_example" in caplog.text
    assert "no good" in caplog.text


def test_a_failing_load_falls_back_to_the_flavor_requirements(
    tmp_path: Path, loader_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    loader = _loader(
        loader_dir,
        "cairn_test_loader_broken",
        """
        def load_model(path):
            import yaml
            raise RuntimeError("cannot load this model")
        """,
    )
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        got = infer_pip_requirements(_model_dir(tmp_path), ["b==1", "a==2", "b==1"], loader=loader)

    assert got == ["a==2", "b==1"]
    (record,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert record.name == LOGGER
    assert "Falling back to ['b==1', 'a==2', 'b==1']" in record.getMessage()
    assert "cannot load this model" in record.getMessage()


def test_a_hanging_load_times_out_and_falls_back(
    tmp_path: Path, loader_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    loader = _loader(
        loader_dir,
        "cairn_test_loader_hang",
        """
        def load_model(path):
            import time
            time.sleep(60)
        """,
    )
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        got = infer_pip_requirements(_model_dir(tmp_path), ["a==1"], loader=loader, timeout=3)
    assert got == ["a==1"]
    assert "timed out in 3 seconds" in caplog.text


def test_raise_on_error_surfaces_the_failure(tmp_path: Path, loader_dir: Path) -> None:
    loader = _loader(loader_dir, "cairn_test_loader_missing", "X = 1\n")
    with pytest.raises(RuntimeError, match="exit status"):
        infer_pip_requirements(_model_dir(tmp_path), [], loader=loader, raise_on_error=True)


def test_default_loader_infers_a_cairn_python_model(tmp_path: Path, loader_dir: Path) -> None:
    """The real path: ``cairn.models.pyfunc.load_model`` in the subprocess, then ``predict``
    on the saved example (the model's class must be importable there, as in MLflow)."""
    from cairn.models import pyfunc

    (loader_dir / "cairn_test_yaml_model.py").write_text(
        textwrap.dedent(
            """
            from cairn.models.pyfunc import PythonModel

            class YamlModel(PythonModel):
                def predict(self, context, model_input, params=None):
                    import yaml
                    return [yaml.safe_dump(x) for x in model_input]
            """
        )
    )
    from cairn_test_yaml_model import YamlModel

    path = tmp_path / "pm"
    try:
        pyfunc.save_model(path, python_model=YamlModel(), input_example=["a"], pip_requirements=[])
    finally:
        sys.modules.pop("cairn_test_yaml_model")

    got = infer_pip_requirements(path, ["cloudpickle==1.0"])
    assert pinned("pyyaml") in got
    assert "cloudpickle==1.0" in got
    assert not any(r.startswith(("cairn", "mlflow")) for r in got)


@pytest.mark.filterwarnings("ignore:.*Any type hint is inferred as AnyType:UserWarning")
def test_agrees_with_mlflow_on_an_mlflow_sklearn_model(tmp_path: Path) -> None:
    """Loading MLflow's own sklearn model through ``mlflow.pyfunc.load_model``: what we find,
    MLflow finds too. MLflow may find more, because it also records what mlflow's own modules
    import when first loaded (pandas, psutil, rich...), which the model does not need."""
    import mlflow.sklearn
    import numpy as np
    from mlflow.utils.environment import infer_pip_requirements as mlflow_infer
    from sklearn.linear_model import LinearRegression

    model = LinearRegression().fit(np.array([[1.0], [2.0]]), np.array([1.0, 2.0]))
    path = str(tmp_path / "m")
    mlflow.sklearn.save_model(
        model,
        path,
        serialization_format="cloudpickle",
        input_example=np.array([[1.0]]),
        pip_requirements=[],
    )

    theirs = mlflow_infer(path, "sklearn")
    ours = infer_pip_requirements(path, [], loader="mlflow.pyfunc:load_model")
    assert {_pin("scikit-learn", "scikit-learn"), _pin("numpy", "numpy")} <= set(ours)
    # cloudpickle unpickles this model, so finding it is right; whether MLflow lists it
    # depends on whether one of its own modules imported cloudpickle before the model did.
    assert set(ours) - {_pin("cloudpickle", "cloudpickle")} <= set(theirs)
