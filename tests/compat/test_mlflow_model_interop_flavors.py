"""Models of every flavor cross between the clients through one ``cairn server``'s artifact
proxy: MLflow logs, cairn loads by ``models:/`` and ``runs:/``; cairn logs, MLflow loads as
pyfunc and as the flavor's own object; predictions are identical to the original model's."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import lightgbm as lgb
import mlflow
import mlflow.lightgbm
import mlflow.onnx
import mlflow.pyfunc
import mlflow.xgboost
import numpy as np
import onnxruntime
import pandas as pd
import pytest
import xgboost as xgb
import yaml
from compat_server import CompatServer
from mlflow import MlflowClient
from skl2onnx import to_onnx
from sklearn.linear_model import LinearRegression

import cairn
from cairn.models import pyfunc as cairn_pyfunc
from cairn.models.flavors import lightgbm as cairn_lgb
from cairn.models.flavors import onnx as cairn_onnx
from cairn.models.flavors import xgboost as cairn_xgb

pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::FutureWarning", "ignore::UserWarning"
)

_PROXY = "mlflow-artifacts:/"
WEIGHTS = np.array([1.0, -2.0, 0.5])
OFFSET = 3.0


class CairnAffine(cairn_pyfunc.PythonModel):
    """A custom model written against cairn's base class (module level: pickled by name); its
    weights come from an artifact file, so the model's ``artifacts/`` crosses the proxy too."""

    def __init__(self) -> None:
        self.offset = OFFSET

    def load_context(self, context: Any) -> None:
        self.weights = np.loadtxt(context.artifacts["weights"])

    def predict(self, context: Any, model_input: Any, params: dict[str, Any] | None = None) -> Any:
        return np.asarray(model_input) @ self.weights + self.offset


class MlflowAffine(mlflow.pyfunc.PythonModel):
    """The same model against MLflow's base class; ``np.ndarray`` hints make MLflow take the
    signature from the input example, as for any other flavor."""

    def __init__(self) -> None:
        self.offset = OFFSET

    def load_context(self, context: Any) -> None:
        self.weights = np.loadtxt(context.artifacts["weights"])

    def predict(
        self, context: Any, model_input: np.ndarray, params: dict[str, Any] | None = None
    ) -> np.ndarray:
        return np.asarray(model_input) @ self.weights + self.offset


def _data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    x = rng.normal(size=(40, 3))
    return x, (x[:, 0] - x[:, 1] > 0).astype(np.int64), x @ np.array([2.0, -1.0, 0.5])


def _xgb_booster() -> tuple[Any, np.ndarray]:
    x, labels, _ = _data()
    params = {"objective": "binary:logistic", "max_depth": 2}
    return xgb.train(params, xgb.DMatrix(x, labels), num_boost_round=3), x


def _xgb_classifier() -> tuple[Any, np.ndarray]:
    x, labels, _ = _data()
    return xgb.XGBClassifier(n_estimators=3, max_depth=2).fit(x, labels), x


def _lgb_booster() -> tuple[Any, np.ndarray]:
    x, _, target = _data()
    params = {"objective": "regression", "min_data_in_leaf": 2, "verbose": -1}
    return lgb.train(params, lgb.Dataset(x, target), num_boost_round=3), x


def _lgb_regressor() -> tuple[Any, np.ndarray]:
    x, _, target = _data()
    return lgb.LGBMRegressor(n_estimators=3, min_child_samples=2, verbose=-1).fit(x, target), x


def _onnx_proto() -> tuple[Any, np.ndarray]:
    x, _, target = _data()
    data = x.astype(np.float32)
    return to_onnx(LinearRegression().fit(x, target), data[:1]), data


def _booster_predict(model: Any, x: np.ndarray) -> Any:
    return model.predict(xgb.DMatrix(x))


def _onnx_predict(proto: Any, x: np.ndarray) -> dict[str, np.ndarray]:
    session = onnxruntime.InferenceSession(
        proto.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(names, {"X": x}), strict=True))


def _custom_predict(model: Any, x: np.ndarray) -> Any:
    """A loaded custom model (``load_context`` has read its weights)."""
    return model.predict(None, x)


def _affine(model: Any, x: np.ndarray) -> Any:
    """What the custom models compute; the original object has no weights until loaded."""
    return x @ WEIGHTS + OFFSET


def _native(model: Any, x: np.ndarray) -> Any:
    return model.predict(x)


@dataclass(frozen=True)
class Case:
    """One kind of model: how to build it, log it with either client and predict natively."""

    build: Callable[[], tuple[Any, np.ndarray]]
    mlflow_flavor: ModuleType
    cairn_flavor: ModuleType
    flavor: str
    pip: str
    #: The flavor object's own prediction (the one MLflow's ``load_model`` returns).
    predict: Callable[[Any, np.ndarray], Any] = _native
    #: The original model's prediction, when ``predict`` cannot run on it.
    expected: Callable[[Any, np.ndarray], Any] | None = None
    #: Whether log_model types the input example into a signature (MLflow's onnx: it does not).
    infers_signature: bool = True

    @property
    def custom(self) -> bool:
        return self.cairn_flavor is cairn_pyfunc

    def save_kwargs(self, x: np.ndarray, tmp_path: Path) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"input_example": x[:2], "pip_requirements": [self.pip]}
        if self.custom:
            weights = tmp_path / "weights.txt"
            np.savetxt(weights, WEIGHTS)
            kwargs["artifacts"] = {"weights": str(weights)}
        return kwargs

    def mlflow_log(self, model: Any, x: np.ndarray, tmp_path: Path) -> Any:
        kwargs = self.save_kwargs(x, tmp_path)
        if self.custom:
            return mlflow.pyfunc.log_model(name="m", python_model=model, **kwargs)
        return self.mlflow_flavor.log_model(model, name="m", **kwargs)

    def cairn_log(self, model: Any, x: np.ndarray, tmp_path: Path) -> Any:
        kwargs = self.save_kwargs(x, tmp_path)
        if self.custom:
            return cairn_pyfunc.log_model("m", python_model=model, **kwargs)
        return self.cairn_flavor.log_model(model, "m", **kwargs)

    def mlflow_native(self, model_uri: str) -> Any:
        """The flavor's own object as MLflow loads it (a custom model: the PythonModel)."""
        if self.custom:
            return mlflow.pyfunc.load_model(model_uri).unwrap_python_model()
        return self.mlflow_flavor.load_model(model_uri)

    def expect(self, model: Any, x: np.ndarray) -> Any:
        return (self.expected or self.predict)(model, x)


CASES = {
    "xgboost-booster": Case(
        _xgb_booster, mlflow.xgboost, cairn_xgb, "xgboost", "xgboost", _booster_predict
    ),
    "xgboost-classifier": Case(_xgb_classifier, mlflow.xgboost, cairn_xgb, "xgboost", "xgboost"),
    "lightgbm-booster": Case(_lgb_booster, mlflow.lightgbm, cairn_lgb, "lightgbm", "lightgbm"),
    "lightgbm-regressor": Case(_lgb_regressor, mlflow.lightgbm, cairn_lgb, "lightgbm", "lightgbm"),
    "onnx": Case(
        _onnx_proto,
        mlflow.onnx,
        cairn_onnx,
        "onnx",
        "onnxruntime",
        _onnx_predict,
        infers_signature=False,
    ),
    "pyfunc-mlflow-class": Case(
        lambda: (MlflowAffine(), _data()[0]),
        mlflow.pyfunc,
        cairn_pyfunc,
        "python_function",
        "numpy",
        _custom_predict,
        _affine,
    ),
}
#: MLflow's log_model takes only its own PythonModel subclasses; cairn's takes both.
CAIRN_ONLY = {
    "pyfunc-cairn-class": Case(
        lambda: (CairnAffine(), _data()[0]),
        mlflow.pyfunc,
        cairn_pyfunc,
        "python_function",
        "numpy",
        _custom_predict,
        _affine,
    ),
}


def _assert_same(actual: Any, expected: Any) -> None:
    """Identical predictions, whatever shape the flavor gives them (ONNX: name -> tensor)."""
    if isinstance(expected, Mapping):
        assert isinstance(actual, Mapping)
        assert actual.keys() == expected.keys()
        for name, value in expected.items():
            np.testing.assert_array_equal(actual[name], value)
    else:
        if isinstance(actual, (pd.DataFrame, pd.Series)):
            actual = actual.to_numpy()
        np.testing.assert_array_equal(np.asarray(actual), np.asarray(expected))


def _assert_proxied(server: CompatServer, artifact_location: str, flavor: str) -> None:
    """The model's files lie under the server's ``--artifacts-destination``: the client sent
    them through the proxy, never straight to a path of its own."""
    assert artifact_location.startswith(_PROXY), artifact_location
    root = server.artifacts / artifact_location.removeprefix(_PROXY)
    mlmodel = yaml.safe_load((root / "MLmodel").read_text())
    assert flavor in mlmodel["flavors"]
    pyfunc_conf = mlmodel["flavors"]["python_function"]
    files = [pyfunc_conf.get("data") or pyfunc_conf["python_model"]]
    files += [spec["path"] for spec in (pyfunc_conf.get("artifacts") or {}).values()]
    for name in files:
        assert (root / name).is_file(), name
    assert (root / "requirements.txt").is_file()


def _cairn_logged(case: Case, tmp_path: Path) -> tuple[Any, str, Any, np.ndarray]:
    """Log a fresh model of ``case`` with cairn; (info, run id, the model, its data)."""
    model, x = case.build()
    with cairn.start_run() as run:
        info = case.cairn_log(model, x, tmp_path)
    return info, run.info.run_id, model, x


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_mlflow_logged_flavor_loads_in_cairn(
    fluent: str,
    cairn_client_on: str,
    client: MlflowClient,
    server: CompatServer,
    tmp_path: Path,
    case: Case,
) -> None:
    model, x = case.build()
    with mlflow.start_run() as run:
        info = case.mlflow_log(model, x, tmp_path)

    by_id = cairn_pyfunc.load_model(f"models:/{info.model_id}")
    by_run = cairn_pyfunc.load_model(f"runs:/{run.info.run_id}/m")

    expected = case.expect(model, x)
    _assert_same(by_id.predict(x), expected)
    _assert_same(by_run.predict(x), expected)
    assert by_id.metadata.model_id == info.model_id
    assert by_run.metadata.run_id == run.info.run_id
    assert (by_id.signature is not None) is case.infers_signature
    _assert_proxied(server, client.get_logged_model(info.model_id).artifact_location, case.flavor)


@pytest.mark.parametrize("case", [*CASES.values(), *CAIRN_ONLY.values()], ids=[*CASES, *CAIRN_ONLY])
def test_cairn_logged_flavor_loads_in_mlflow(
    fluent: str,
    cairn_client_on: str,
    client: MlflowClient,
    server: CompatServer,
    tmp_path: Path,
    case: Case,
) -> None:
    info, run_id, model, x = _cairn_logged(case, tmp_path)

    as_pyfunc = mlflow.pyfunc.load_model(info.model_uri)
    by_run = mlflow.pyfunc.load_model(f"runs:/{run_id}/m")
    native = case.mlflow_native(info.model_uri)

    expected = case.expect(model, x)
    _assert_same(as_pyfunc.predict(x), expected)
    _assert_same(by_run.predict(x), expected)
    _assert_same(case.predict(native, x), expected)
    assert type(native) is type(model)
    assert as_pyfunc.metadata.model_id == info.model_id
    signature = as_pyfunc.metadata.signature  # outputs too: the example ran through the model
    assert (signature is not None and signature.outputs is not None) is case.infers_signature
    assert info.artifact_path == f"{_PROXY}{fluent}/models/{info.model_id}/artifacts"
    assert client.get_logged_model(info.model_id).artifact_location == info.artifact_path
    _assert_proxied(server, info.artifact_path, case.flavor)


def test_proxied_files_are_the_ones_cairn_saved(
    cairn_client_on: str, server: CompatServer, tmp_path: Path
) -> None:
    """What the server stored is byte for byte what cairn's save wrote (no re-encoding on
    the way through the proxy); ``MLmodel`` differs only by the stamp log_model adds."""
    case = CASES["xgboost-classifier"]
    info, _, model, x = _cairn_logged(case, tmp_path)
    local = tmp_path / "saved"
    cairn_xgb.save_model(model, local, input_example=x[:2], pip_requirements=[case.pip])

    stored = server.artifacts / info.artifact_path.removeprefix(_PROXY)
    names = sorted(p.relative_to(stored).as_posix() for p in stored.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(local).as_posix() for p in local.rglob("*"))
    for name in names:
        if name != "MLmodel":
            assert (stored / name).read_bytes() == (local / name).read_bytes(), name
    stamp = {"model_id", "model_uuid", "run_id", "artifact_path", "utc_time_created"}
    stored_mlmodel = yaml.safe_load((stored / "MLmodel").read_text())
    local_mlmodel = yaml.safe_load((local / "MLmodel").read_text())
    assert {k: v for k, v in stored_mlmodel.items() if k not in stamp} == {
        k: v for k, v in local_mlmodel.items() if k not in stamp
    }
    assert stored_mlmodel["model_id"] == info.model_id
