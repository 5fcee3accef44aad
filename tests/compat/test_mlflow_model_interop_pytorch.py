"""PyTorch models cross between the clients through one ``cairn server``'s artifact proxy:
MLflow logs, cairn loads by ``models:/`` and ``runs:/``; cairn logs (pt2 and pickle), MLflow
loads as pyfunc and as a ``torch.nn.Module``; predictions match the original network's."""

from __future__ import annotations

from typing import Any

import mlflow
import mlflow.pyfunc
import mlflow.pytorch
import numpy as np
import pandas as pd
import pytest
import torch
import yaml
from compat_server import CompatServer
from mlflow import MlflowClient

import cairn
from cairn.models import pyfunc as cairn_pyfunc
from cairn.models.flavors import pytorch as cairn_torch

# MLflow's wrapper feeds torch a read-only DataFrame array (UserWarning); torch.jit is
# deprecated (FutureWarning); torch.export and MLflow raise DeprecationWarnings of their own.
pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::FutureWarning", "ignore::UserWarning"
)

_PROXY = "mlflow-artifacts:/"
#: The file each serialization format writes under ``data/``.
_DATA_FILES = {"pt2": "model.pt2", "pickle": "model.pth"}
#: Given requirements, as the other flavors' tests do: MLflow's inference spends seconds.
_PIP = {"pip_requirements": ["torch"]}


def _net() -> torch.nn.Module:
    """A tiny deterministic network on the CPU."""
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))


def _x() -> np.ndarray:
    return np.random.default_rng(0).normal(size=(6, 3)).astype(np.float32)


def _forward(model: Any, x: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return np.asarray(model(torch.from_numpy(x)).numpy())


def _assert_close(actual: Any, expected: np.ndarray) -> None:
    if isinstance(actual, (pd.DataFrame, pd.Series)):
        actual = actual.to_numpy()
    np.testing.assert_allclose(np.asarray(actual), expected, rtol=1e-6)


def _assert_proxied(server: CompatServer, artifact_location: str, fmt: str) -> None:
    """The model's files lie under the server's ``--artifacts-destination``: the client sent
    them through the proxy, never straight to a path of its own."""
    assert artifact_location.startswith(_PROXY), artifact_location
    root = server.artifacts / artifact_location.removeprefix(_PROXY)
    mlmodel = yaml.safe_load((root / "MLmodel").read_text())
    data = mlmodel["flavors"]["pytorch"]["model_data"]
    assert mlmodel["flavors"]["python_function"]["data"] == data
    assert (root / data / _DATA_FILES[fmt]).is_file()
    assert (root / "requirements.txt").is_file()


def test_mlflow_logged_pytorch_loads_in_cairn(
    fluent: str, cairn_client_on: str, client: MlflowClient, server: CompatServer
) -> None:
    model, x = _net(), _x()
    with mlflow.start_run() as run:
        info = mlflow.pytorch.log_model(model, name="m", input_example=x[:2], **_PIP)

    by_id = cairn_pyfunc.load_model(f"models:/{info.model_id}")
    by_run = cairn_pyfunc.load_model(f"runs:/{run.info.run_id}/m")

    expected = _forward(model, x)
    _assert_close(by_id.predict(x), expected)
    _assert_close(by_run.predict(x), expected)
    assert by_id.metadata.model_id == info.model_id
    assert by_run.metadata.run_id == run.info.run_id
    assert by_id.signature is not None
    _assert_proxied(server, client.get_logged_model(info.model_id).artifact_location, "pt2")


@pytest.mark.parametrize("fmt", [None, "pickle"], ids=["pt2", "pickle"])
def test_cairn_logged_pytorch_loads_in_mlflow(
    fluent: str,
    cairn_client_on: str,
    client: MlflowClient,
    server: CompatServer,
    fmt: str | None,
) -> None:
    model, x = _net(), _x()
    kwargs: dict[str, Any] = {"serialization_format": fmt, **_PIP} if fmt else dict(_PIP)
    with cairn.start_run() as run:
        info = cairn_torch.log_model(model, name="m", input_example=x[:2], **kwargs)

    as_pyfunc = mlflow.pyfunc.load_model(info.model_uri)
    by_run = mlflow.pyfunc.load_model(f"runs:/{run.info.run_id}/m")
    native = mlflow.pytorch.load_model(info.model_uri)

    expected = _forward(model, x)
    _assert_close(as_pyfunc.predict(x), expected)
    _assert_close(by_run.predict(x), expected)
    _assert_close(_forward(native, x), expected)
    assert isinstance(native, torch.nn.Module)
    if fmt == "pickle":  # the module itself; pt2 loads as the exported graph's module
        assert type(native) is type(model)
    assert as_pyfunc.metadata.model_id == info.model_id
    signature = as_pyfunc.metadata.signature  # outputs too: the example ran through the model
    assert signature is not None and signature.outputs is not None
    assert info.artifact_path == f"{_PROXY}{fluent}/models/{info.model_id}/artifacts"
    assert client.get_logged_model(info.model_id).artifact_location == info.artifact_path
    _assert_proxied(server, info.artifact_path, fmt or "pt2")
