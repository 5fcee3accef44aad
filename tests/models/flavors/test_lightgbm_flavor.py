"""LightGBM models move between cairn and MLflow both ways with identical predictions."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from cairn.errors import InvalidParameterValue
from cairn.models import pyfunc
from cairn.models.flavors import lightgbm as cairn_lgb

pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::FutureWarning", "ignore::UserWarning"
)

# (model kind, serialization format); a Booster is always its own text file.
CASES = [
    ("booster", "cloudpickle"),
    ("classifier", "cloudpickle"),
    ("classifier", "pickle"),
    ("classifier", "skops"),
    ("regressor", "skops"),
]


def _fit(kind: str, x: Any, y: Any) -> Any:
    import lightgbm as lgb

    params: dict[str, Any] = {"n_estimators": 3, "min_child_samples": 2, "verbose": -1}
    if kind == "booster":
        train = lgb.Dataset(x, label=y)
        return lgb.train({"min_data_in_leaf": 2, "verbose": -1}, train, num_boost_round=3)
    if kind == "classifier":
        return lgb.LGBMClassifier(**params).fit(x, y)
    return lgb.LGBMRegressor(**params).fit(x, y.astype(float))


def _mlmodel(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((path / "MLmodel").read_text())
    return data


@pytest.mark.parametrize(("kind", "fmt"), CASES)
def test_cairn_saved_model_predicts_the_same_in_mlflow(
    tmp_path: Path, xy: tuple[Any, Any], kind: str, fmt: str
) -> None:
    import mlflow.lightgbm
    import mlflow.pyfunc

    x, y = xy
    model = _fit(kind, x, y)
    path = tmp_path / "m"
    cairn_lgb.save_model(model, path, serialization_format=fmt, input_example=x[:3])
    expected = model.predict(x)
    np.testing.assert_array_equal(mlflow.pyfunc.load_model(str(path)).predict(x), expected)
    native = mlflow.lightgbm.load_model(str(path))
    assert type(native) is type(model)
    np.testing.assert_array_equal(native.predict(x), expected)
    np.testing.assert_array_equal(pyfunc.load_model(path).predict(x), expected)


@pytest.mark.parametrize(("kind", "fmt"), CASES)
def test_mlflow_saved_model_predicts_the_same_in_cairn(
    tmp_path: Path, xy: tuple[Any, Any], kind: str, fmt: str
) -> None:
    import mlflow.lightgbm

    x, y = xy
    model = _fit(kind, x, y)
    path = tmp_path / "m"
    mlflow.lightgbm.save_model(
        model, str(path), serialization_format=fmt, input_example=x[:3], pip_requirements=[]
    )
    loaded = pyfunc.load_model(path)
    expected = model.predict(x)
    np.testing.assert_array_equal(loaded.predict(x), expected)
    assert type(loaded.get_raw_model()) is type(model)
    native = cairn_lgb.load_model(path)
    assert type(native) is type(model)
    np.testing.assert_array_equal(native.predict(x), expected)
    assert loaded.signature is not None


def _same_flavors(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    """MLflow's ``skops_trusted_types`` comes from a set, so only its members are compared."""
    trusted = [m["flavors"]["lightgbm"].pop("skops_trusted_types") or [] for m in (ours, theirs)]
    assert sorted(trusted[0]) == sorted(trusted[1])
    assert ours["flavors"] == theirs["flavors"]


@pytest.mark.parametrize(("kind", "fmt"), CASES)
def test_flavor_config_matches_mlflows(
    tmp_path: Path, xy: tuple[Any, Any], kind: str, fmt: str
) -> None:
    import mlflow.lightgbm

    model = _fit(kind, *xy)
    cairn_lgb.save_model(model, tmp_path / "c", serialization_format=fmt, pip_requirements=[])
    mlflow.lightgbm.save_model(
        model, str(tmp_path / "m"), serialization_format=fmt, pip_requirements=[]
    )
    ours, theirs = _mlmodel(tmp_path / "c"), _mlmodel(tmp_path / "m")
    _same_flavors(ours, theirs)
    assert set(theirs) ^ set(ours) <= {"signature", "saved_input_example_info"}
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == sorted(
        p.name for p in (tmp_path / "m").iterdir()
    )


def test_booster_flavor_config_matches_mlflows_default(tmp_path: Path, xy: tuple[Any, Any]) -> None:
    """MLflow records its default format (skops) even for a Booster, which ignores it."""
    import mlflow.lightgbm

    model = _fit("booster", *xy)
    cairn_lgb.save_model(model, tmp_path / "c", serialization_format="skops", pip_requirements=[])
    mlflow.lightgbm.save_model(model, str(tmp_path / "m"), pip_requirements=[])
    _same_flavors(_mlmodel(tmp_path / "c"), _mlmodel(tmp_path / "m"))


def test_signature_and_input_example_round_trip(tmp_path: Path, xy: tuple[Any, Any]) -> None:
    import mlflow.lightgbm
    import mlflow.models
    import mlflow.pyfunc
    import pandas as pd

    frame = pd.DataFrame(xy[0], columns=["a", "b", "c"])
    model = _fit("classifier", frame, xy[1])
    example = frame.head(3)
    cairn_lgb.save_model(model, tmp_path / "c", input_example=example, pip_requirements=[])
    mlflow.lightgbm.save_model(
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
    np.testing.assert_array_equal(from_mlflow.predict(frame), model.predict(frame))
    loaded = pyfunc.load_model(tmp_path / "c")
    assert loaded.signature.to_dict() == ours["signature"]
    np.testing.assert_array_equal(loaded.predict(frame), model.predict(frame))


def test_requirements_follow_the_format(tmp_path: Path, xy: tuple[Any, Any]) -> None:
    model = _fit("classifier", *xy)
    cairn_lgb.save_model(model, tmp_path / "s", serialization_format="skops")
    cairn_lgb.save_model(_fit("booster", *xy), tmp_path / "b", serialization_format="skops")
    skops_reqs = (tmp_path / "s" / "requirements.txt").read_text().splitlines()
    booster_reqs = (tmp_path / "b" / "requirements.txt").read_text().splitlines()
    assert f"lightgbm=={version('lightgbm')}" in skops_reqs
    assert f"skops=={version('skops')}" in skops_reqs
    assert not any(r.startswith("skops") for r in booster_reqs)


def test_bad_arguments_are_user_errors(tmp_path: Path, xy: tuple[Any, Any]) -> None:
    from sklearn.linear_model import LinearRegression

    with pytest.raises(InvalidParameterValue, match="serialization_format"):
        cairn_lgb.save_model(_fit("classifier", *xy), tmp_path / "a", serialization_format="joblib")
    with pytest.raises(InvalidParameterValue, match="Booster"):
        cairn_lgb.save_model(LinearRegression(), tmp_path / "b")
    assert not (tmp_path / "a").exists()


def test_module_example_runs() -> None:
    import doctest

    result = doctest.testmod(cairn_lgb)
    assert result.attempted and not result.failed
