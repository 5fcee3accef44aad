"""``log_model`` of the xgboost, lightgbm and onnx flavors: the logged model loads back by its
``models:/`` URI, generically and as the flavor's own object."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import cairn
from cairn.entities import LoggedModelStatus
from cairn.models import pyfunc
from cairn.models.flavors import lightgbm as cairn_lgb
from cairn.models.flavors import onnx as cairn_onnx
from cairn.models.flavors import xgboost as cairn_xgb
from cairn.tracking.client import CairnClient

pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::FutureWarning", "ignore::UserWarning"
)


def _xgboost(x: Any, y: Any) -> tuple[Any, Any, Any]:
    import xgboost as xgb

    model = xgb.XGBClassifier(n_estimators=2, max_depth=2).fit(x, y)
    return cairn_xgb, model, model.predict(x)


def _lightgbm(x: Any, y: Any) -> tuple[Any, Any, Any]:
    import lightgbm as lgb

    model = lgb.LGBMRegressor(n_estimators=2, min_child_samples=2, verbose=-1).fit(x, y)
    return cairn_lgb, model, model.predict(x)


def _onnx(x: Any, y: Any) -> tuple[Any, Any, Any]:
    import onnxruntime
    from skl2onnx import to_onnx
    from sklearn.linear_model import LinearRegression

    proto = to_onnx(LinearRegression().fit(x, y), x[:1].astype(np.float32))
    session = onnxruntime.InferenceSession(
        proto.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    return cairn_onnx, proto, {"variable": session.run(None, {"X": x.astype(np.float32)})[0]}


@pytest.mark.parametrize("build", [_xgboost, _lightgbm, _onnx])
def test_logged_model_loads_back_by_uri(
    tracking_dir: Path, xy: tuple[Any, Any], build: Any
) -> None:
    x, y = xy
    flavor, model, expected = build(x, y)
    data = x.astype(np.float32) if flavor is cairn_onnx else x
    with cairn.start_run():
        info = flavor.log_model(model, "model", input_example=data[:2], pip_requirements=[])
    logged = CairnClient().get_logged_model(info.model_id)
    assert logged.status is LoggedModelStatus.LOGGED_MODEL_READY
    assert set(info.flavors) == {"python_function", flavor.FLAVOR}
    predicted = pyfunc.load_model(info.model_uri).predict(data)
    if isinstance(expected, dict):
        np.testing.assert_array_equal(predicted["variable"], expected["variable"])
    else:
        np.testing.assert_array_equal(predicted, expected)
    assert type(flavor.load_model(info.model_uri)) is type(model)
