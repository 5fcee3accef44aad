"""scikit-learn models move between cairn and MLflow both ways with identical predictions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from sklearn.base import BaseEstimator

from cairn.errors import InvalidParameterValue, ResourceAlreadyExists
from cairn.models import pyfunc
from cairn.models.flavors import sklearn as cairn_sklearn

pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::FutureWarning", "ignore::UserWarning"
)


@pytest.fixture
def classifier(xy: tuple[Any, Any]) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression().fit(*xy)


@pytest.mark.parametrize("fmt", ["cloudpickle", "pickle", "skops"])
def test_cairn_saved_model_predicts_the_same_in_mlflow(
    tmp_path: Path, classifier: Any, xy: tuple[Any, Any], fmt: str
) -> None:
    import mlflow.pyfunc
    import mlflow.sklearn

    x, _ = xy
    path = tmp_path / "m"
    cairn_sklearn.save_model(classifier, path, serialization_format=fmt, input_example=x[:3])
    expected = classifier.predict(x)
    np.testing.assert_array_equal(mlflow.pyfunc.load_model(str(path)).predict(x), expected)
    np.testing.assert_array_equal(mlflow.sklearn.load_model(str(path)).predict(x), expected)
    np.testing.assert_array_equal(pyfunc.load_model(path).predict(x), expected)


@pytest.mark.parametrize("fmt", ["cloudpickle", "skops"])
def test_mlflow_saved_model_predicts_the_same_in_cairn(
    tmp_path: Path, classifier: Any, xy: tuple[Any, Any], fmt: str
) -> None:
    import mlflow.sklearn

    x, _ = xy
    path = tmp_path / "m"
    mlflow.sklearn.save_model(classifier, str(path), serialization_format=fmt, input_example=x[:3])
    loaded = pyfunc.load_model(path)
    np.testing.assert_array_equal(loaded.predict(x), classifier.predict(x))
    native = cairn_sklearn.load_model(path)
    np.testing.assert_array_equal(native.coef_, classifier.coef_)
    assert loaded.signature is not None


def test_flavor_config_matches_mlflows(tmp_path: Path, classifier: Any) -> None:
    import mlflow.sklearn

    cairn_sklearn.save_model(classifier, tmp_path / "c", pip_requirements=[])
    mlflow.sklearn.save_model(classifier, str(tmp_path / "m"), serialization_format="cloudpickle")
    ours = yaml.safe_load((tmp_path / "c" / "MLmodel").read_text())
    theirs = yaml.safe_load((tmp_path / "m" / "MLmodel").read_text())
    assert ours["flavors"] == theirs["flavors"]
    assert set(theirs) - set(ours) <= {"signature", "saved_input_example_info"}
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == sorted(
        p.name for p in (tmp_path / "m").iterdir()
    )


def test_predict_fn_picks_the_method(tmp_path: Path, classifier: Any, xy: tuple[Any, Any]) -> None:
    x, _ = xy
    cairn_sklearn.save_model(
        classifier, tmp_path / "m", pyfunc_predict_fn="predict_proba", pip_requirements=[]
    )
    np.testing.assert_allclose(
        pyfunc.load_model(tmp_path / "m").predict(x), classifier.predict_proba(x)
    )


class Halver(BaseEstimator):  # type: ignore[misc]
    """A user-defined estimator: skops cannot know it is safe to rebuild."""

    def fit(self, x: Any, y: Any = None) -> Halver:
        return self

    def predict(self, x: Any) -> Any:
        return np.asarray(x) / 2


def test_skops_refuses_types_nobody_trusted(tmp_path: Path, xy: tuple[Any, Any]) -> None:
    cairn_sklearn.save_model(
        Halver().fit(xy[0]), tmp_path / "m", serialization_format="skops", pip_requirements=[]
    )
    with pytest.raises(InvalidParameterValue, match="Halver"):
        cairn_sklearn.load_model(tmp_path / "m")
    trusted = f"{Halver.__module__}.Halver"
    cairn_sklearn.save_model(
        Halver(),
        tmp_path / "t",
        serialization_format="skops",
        skops_trusted_types=[trusted],
        pip_requirements=[],
    )
    np.testing.assert_array_equal(pyfunc.load_model(tmp_path / "t").predict(xy[0]), xy[0] / 2)


def test_bad_arguments_are_user_errors(tmp_path: Path, classifier: Any) -> None:
    with pytest.raises(InvalidParameterValue, match="serialization_format"):
        cairn_sklearn.save_model(classifier, tmp_path / "a", serialization_format="joblib")
    with pytest.raises(InvalidParameterValue, match="no method"):
        cairn_sklearn.save_model(classifier, tmp_path / "b", pyfunc_predict_fn="explain")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("taken")
    with pytest.raises(ResourceAlreadyExists):
        cairn_sklearn.save_model(classifier, tmp_path / "full")


def test_signature_inferred_from_the_example_matches_mlflows(
    tmp_path: Path, classifier: Any, xy: tuple[Any, Any]
) -> None:
    import mlflow.sklearn
    import pandas as pd

    frame = pd.DataFrame(xy[0][:5], columns=["a", "b", "c"])
    model = type(classifier)().fit(pd.DataFrame(xy[0], columns=["a", "b", "c"]), xy[1])
    cairn_sklearn.save_model(model, tmp_path / "c", input_example=frame, pip_requirements=[])
    mlflow.sklearn.save_model(
        model, str(tmp_path / "m"), input_example=frame, serialization_format="cloudpickle"
    )
    ours = yaml.safe_load((tmp_path / "c" / "MLmodel").read_text())
    theirs = yaml.safe_load((tmp_path / "m" / "MLmodel").read_text())
    assert ours["signature"] == theirs["signature"]
    assert ours["saved_input_example_info"] == theirs["saved_input_example_info"]
    for name in ("input_example.json", "serving_input_example.json"):
        assert (tmp_path / "c" / name).read_text() == (tmp_path / "m" / name).read_text()
