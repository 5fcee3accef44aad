"""XGBoost models move between cairn and MLflow both ways with identical predictions."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from cairn.errors import InvalidParameterValue
from cairn.models import pyfunc
from cairn.models.flavors import xgboost as cairn_xgb

pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::FutureWarning", "ignore::UserWarning"
)

KINDS = ["booster", "classifier", "regressor"]


def _fit(kind: str, x: Any, y: Any) -> Any:
    import xgboost as xgb

    if kind == "booster":
        return xgb.train({"max_depth": 2}, xgb.DMatrix(x, label=y), num_boost_round=3)
    if kind == "classifier":
        return xgb.XGBClassifier(n_estimators=3, max_depth=2).fit(x, y)
    return xgb.XGBRegressor(n_estimators=3, max_depth=2).fit(x, y.astype(float))


def _predict(model: Any, x: Any) -> Any:
    import xgboost as xgb

    return model.predict(xgb.DMatrix(x)) if isinstance(model, xgb.Booster) else model.predict(x)


def _mlmodel(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((path / "MLmodel").read_text())
    return data


@pytest.mark.parametrize("fmt", ["ubj", "json"])
@pytest.mark.parametrize("kind", KINDS)
def test_cairn_saved_model_predicts_the_same_in_mlflow(
    tmp_path: Path, xy: tuple[Any, Any], kind: str, fmt: str
) -> None:
    import mlflow.pyfunc
    import mlflow.xgboost

    x, y = xy
    model = _fit(kind, x, y)
    path = tmp_path / "m"
    cairn_xgb.save_model(model, path, model_format=fmt, input_example=x[:3])
    expected = _predict(model, x)
    assert (path / f"model.{fmt}").is_file()
    np.testing.assert_array_equal(mlflow.pyfunc.load_model(str(path)).predict(x), expected)
    native = mlflow.xgboost.load_model(str(path))
    assert type(native) is type(model)
    np.testing.assert_array_equal(_predict(native, x), expected)
    np.testing.assert_array_equal(pyfunc.load_model(path).predict(x), expected)


@pytest.mark.parametrize("fmt", ["ubj", "json"])
@pytest.mark.parametrize("kind", KINDS)
def test_mlflow_saved_model_predicts_the_same_in_cairn(
    tmp_path: Path, xy: tuple[Any, Any], kind: str, fmt: str
) -> None:
    import mlflow.xgboost

    x, y = xy
    model = _fit(kind, x, y)
    path = tmp_path / "m"
    mlflow.xgboost.save_model(
        model, str(path), model_format=fmt, input_example=x[:3], pip_requirements=[]
    )
    loaded = pyfunc.load_model(path)
    expected = _predict(model, x)
    np.testing.assert_array_equal(loaded.predict(x), expected)
    assert type(loaded.get_raw_model()) is type(model)
    native = cairn_xgb.load_model(path)
    assert type(native) is type(model)
    np.testing.assert_array_equal(_predict(native, x), expected)
    assert loaded.signature is not None


@pytest.mark.parametrize("kind", ["booster", "classifier"])
def test_flavor_config_matches_mlflows(tmp_path: Path, xy: tuple[Any, Any], kind: str) -> None:
    import mlflow.xgboost

    model = _fit(kind, *xy)
    cairn_xgb.save_model(model, tmp_path / "c", model_format="json", pip_requirements=[])
    mlflow.xgboost.save_model(model, str(tmp_path / "m"), model_format="json", pip_requirements=[])
    ours, theirs = _mlmodel(tmp_path / "c"), _mlmodel(tmp_path / "m")
    assert ours["flavors"] == theirs["flavors"]
    assert set(theirs) ^ set(ours) <= {"signature", "saved_input_example_info"}
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == sorted(
        p.name for p in (tmp_path / "m").iterdir()
    )


def test_signature_and_input_example_round_trip(tmp_path: Path, xy: tuple[Any, Any]) -> None:
    import mlflow.models
    import mlflow.pyfunc
    import mlflow.xgboost
    import pandas as pd

    frame = pd.DataFrame(xy[0], columns=["a", "b", "c"])
    model = _fit("classifier", frame, xy[1])
    example = frame.head(3)
    cairn_xgb.save_model(model, tmp_path / "c", input_example=example, pip_requirements=[])
    mlflow.xgboost.save_model(
        model, str(tmp_path / "m"), input_example=example, pip_requirements=[]
    )
    ours, theirs = _mlmodel(tmp_path / "c"), _mlmodel(tmp_path / "m")
    assert ours["signature"] == theirs["signature"]
    assert ours["saved_input_example_info"] == theirs["saved_input_example_info"]
    for name in ("input_example.json", "serving_input_example.json"):
        assert (tmp_path / "c" / name).read_text() == (tmp_path / "m" / name).read_text()
    pd.testing.assert_frame_equal(
        mlflow.models.Model.load(str(tmp_path / "c")).load_input_example(str(tmp_path / "c")),
        example,
    )
    from_mlflow = mlflow.pyfunc.load_model(str(tmp_path / "c"))
    assert from_mlflow.metadata.signature.to_dict() == theirs["signature"]
    np.testing.assert_array_equal(from_mlflow.predict(frame), model.predict(frame))
    loaded = pyfunc.load_model(tmp_path / "c")
    assert loaded.signature.to_dict() == ours["signature"]
    np.testing.assert_array_equal(loaded.predict(frame), model.predict(frame))


def test_explicit_signature_is_written(tmp_path: Path, xy: tuple[Any, Any]) -> None:
    from cairn.models.infer import infer_signature

    x, y = xy
    model = _fit("regressor", x, y)
    signature = infer_signature(x, model.predict(x))
    cairn_xgb.save_model(model, tmp_path / "m", signature=signature, pip_requirements=[])
    assert _mlmodel(tmp_path / "m")["signature"] == signature.to_dict()


def test_predict_passes_params_the_model_takes(xy: tuple[Any, Any]) -> None:
    import xgboost as xgb

    x, y = xy
    booster = _fit("booster", x, y)
    predictor = cairn_xgb.XGBoostPredictor(booster)
    margin = predictor.predict(x, {"output_margin": True, "not_a_param": 1})
    np.testing.assert_array_equal(margin, booster.predict(xgb.DMatrix(x), output_margin=True))


def test_requirement_pins_the_installed_distribution(tmp_path: Path, xy: tuple[Any, Any]) -> None:
    """``xgboost-cpu`` installs the ``xgboost`` module; the pin must name what is installed."""
    cairn_xgb.save_model(_fit("booster", *xy), tmp_path / "m")
    (dist,) = importlib.metadata.packages_distributions()["xgboost"]
    wanted = f"{dist}=={importlib.metadata.version(dist)}"
    assert wanted in (tmp_path / "m" / "requirements.txt").read_text().splitlines()


def test_bad_arguments_are_user_errors(tmp_path: Path, xy: tuple[Any, Any]) -> None:
    from sklearn.linear_model import LinearRegression

    model = _fit("booster", *xy)
    with pytest.raises(InvalidParameterValue, match="model_format"):
        cairn_xgb.save_model(model, tmp_path / "a", model_format="xgb")
    with pytest.raises(InvalidParameterValue, match="Booster"):
        cairn_xgb.save_model(LinearRegression(), tmp_path / "b")
    assert not (tmp_path / "a").exists()


def test_model_class_outside_xgboost_is_refused(tmp_path: Path, xy: tuple[Any, Any]) -> None:
    cairn_xgb.save_model(_fit("booster", *xy), tmp_path / "m", pip_requirements=[])
    mlmodel = _mlmodel(tmp_path / "m")
    mlmodel["flavors"]["xgboost"]["model_class"] = "collections.OrderedDict"
    (tmp_path / "m" / "MLmodel").write_text(yaml.safe_dump(mlmodel))
    with pytest.raises(InvalidParameterValue, match="not an XGBoost"):
        cairn_xgb.load_model(tmp_path / "m")


def test_module_example_runs() -> None:
    import doctest

    result = doctest.testmod(cairn_xgb)
    assert result.attempted and not result.failed
