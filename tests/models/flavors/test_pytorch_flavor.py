"""PyTorch models move between cairn and MLflow both ways, in both serialization formats
(pt2, MLflow's default, and pickle), with identical predictions and identical MLmodel files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

import cairn
from cairn.entities import LoggedModelStatus
from cairn.errors import InvalidParameterValue
from cairn.models import pyfunc
from cairn.models.flavors import pytorch as cairn_torch
from cairn.tracking.client import CairnClient

# MLflow's wrapper feeds torch a read-only DataFrame array (UserWarning); torch.jit is
# deprecated (FutureWarning); torch.export and MLflow raise DeprecationWarnings of their own.
pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::FutureWarning", "ignore::UserWarning"
)

FORMATS = ["pt2", "pickle"]


@pytest.fixture
def net() -> Any:
    import torch

    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))


@pytest.fixture
def x() -> Any:
    return np.random.default_rng(0).normal(size=(6, 3)).astype(np.float32)


def _forward(model: Any, x: Any) -> Any:
    import torch

    with torch.no_grad():
        return model(torch.from_numpy(x)).numpy()


def _mlmodel(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((path / "MLmodel").read_text())
    return data


def _files(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*") if p.is_file())


@pytest.mark.parametrize("fmt", FORMATS)
def test_cairn_saved_model_predicts_the_same_in_mlflow(
    tmp_path: Path, net: Any, x: Any, fmt: str
) -> None:
    import mlflow.pyfunc
    import mlflow.pytorch

    path = tmp_path / "m"
    cairn_torch.save_model(net, path, serialization_format=fmt, input_example=x[:2])
    expected = _forward(net, x)
    np.testing.assert_allclose(mlflow.pyfunc.load_model(str(path)).predict(x), expected)
    np.testing.assert_allclose(_forward(mlflow.pytorch.load_model(str(path)), x), expected)
    np.testing.assert_allclose(pyfunc.load_model(path).predict(x), expected)
    np.testing.assert_allclose(_forward(cairn_torch.load_model(path), x), expected)


@pytest.mark.parametrize("fmt", FORMATS)
def test_mlflow_saved_model_predicts_the_same_in_cairn(
    tmp_path: Path, net: Any, x: Any, fmt: str
) -> None:
    import mlflow.pytorch

    path = tmp_path / "m"
    mlflow.pytorch.save_model(
        net, str(path), serialization_format=fmt, input_example=x[:2], pip_requirements=[]
    )
    loaded = pyfunc.load_model(path)
    expected = _forward(net, x)
    np.testing.assert_allclose(loaded.predict(x), expected)
    assert loaded.signature is not None
    native = cairn_torch.load_model(path)
    np.testing.assert_allclose(_forward(native, x), expected)
    if fmt == "pickle":
        assert type(native) is type(net) and not native.training


@pytest.mark.parametrize("fmt", FORMATS)
def test_model_files_match_mlflows(tmp_path: Path, net: Any, x: Any, fmt: str) -> None:
    import mlflow.pytorch

    cairn_torch.save_model(
        net, tmp_path / "c", serialization_format=fmt, input_example=x[:2], pip_requirements=[]
    )
    mlflow.pytorch.save_model(
        net,
        str(tmp_path / "m"),
        serialization_format=fmt,
        input_example=x[:2],
        pip_requirements=[],
    )
    ours, theirs = _mlmodel(tmp_path / "c"), _mlmodel(tmp_path / "m")
    assert ours["flavors"] == theirs["flavors"]
    assert ours["signature"] == theirs["signature"]
    assert ours["saved_input_example_info"] == theirs["saved_input_example_info"]
    assert set(theirs) ^ set(ours) == set()
    assert _files(tmp_path / "c") == _files(tmp_path / "m")
    for name in ("input_example.json", "serving_input_example.json"):
        assert (tmp_path / "c" / name).read_text() == (tmp_path / "m" / name).read_text()
    if fmt == "pickle":
        info = "data/pickle_module_info.txt"
        assert (tmp_path / "c" / info).read_text() == (tmp_path / "m" / info).read_text()


@pytest.mark.parametrize(("fmt", "extra"), [("pt2", []), ("pickle", ["cloudpickle"])])
def test_requirements_pin_torch_and_the_pickler(
    tmp_path: Path, net: Any, x: Any, fmt: str, extra: list[str]
) -> None:
    import importlib.metadata

    cairn_torch.save_model(net, tmp_path / "m", serialization_format=fmt, input_example=x[:2])
    wanted = [f"{n}=={importlib.metadata.version(n)}" for n in ["torch", *extra]]
    assert (tmp_path / "m" / "requirements.txt").read_text().splitlines() == wanted


def test_dataframe_example_gives_mlflows_signature_and_dataframe_output(
    tmp_path: Path, net: Any, x: Any
) -> None:
    import mlflow.pyfunc
    import mlflow.pytorch
    import pandas as pd

    frame = pd.DataFrame(x, columns=["a", "b", "c"], index=range(10, 16))
    kwargs = {"serialization_format": "pickle", "input_example": frame.head(3)}
    cairn_torch.save_model(net, tmp_path / "c", pip_requirements=[], **kwargs)
    mlflow.pytorch.save_model(net, str(tmp_path / "m"), pip_requirements=[], **kwargs)
    ours, theirs = _mlmodel(tmp_path / "c"), _mlmodel(tmp_path / "m")
    assert ours["signature"] == theirs["signature"]
    assert ours["saved_input_example_info"] == theirs["saved_input_example_info"]
    assert (tmp_path / "c" / "input_example.json").read_text() == (
        tmp_path / "m" / "input_example.json"
    ).read_text()
    theirs_out = mlflow.pyfunc.load_model(str(tmp_path / "c")).predict(frame)
    ours_out = pyfunc.load_model(tmp_path / "m").predict(frame)
    assert isinstance(ours_out, pd.DataFrame)
    pd.testing.assert_frame_equal(ours_out, theirs_out)
    assert list(ours_out.index) == list(frame.index)
    np.testing.assert_allclose(ours_out.to_numpy(), _forward(net, x))


def test_tensor_example_is_not_saved_as_in_mlflow(tmp_path: Path, net: Any, x: Any) -> None:
    """MLflow cannot write a tensor example, so it records neither it nor a signature."""
    import mlflow.pytorch
    import torch

    kwargs = {"serialization_format": "pickle", "input_example": torch.from_numpy(x[:2])}
    cairn_torch.save_model(net, tmp_path / "c", pip_requirements=[], **kwargs)
    mlflow.pytorch.save_model(net, str(tmp_path / "m"), pip_requirements=[], **kwargs)
    ours, theirs = _mlmodel(tmp_path / "c"), _mlmodel(tmp_path / "m")
    assert "signature" not in ours and "signature" not in theirs
    assert _files(tmp_path / "c") == _files(tmp_path / "m")


def test_pt2_traced_on_a_tensor_has_no_pyfunc_flavor(tmp_path: Path, net: Any, x: Any) -> None:
    import mlflow.models
    import mlflow.pytorch
    import torch

    from cairn.models.infer import infer_signature

    signature = infer_signature(x, _forward(net, x))
    example = torch.from_numpy(x[:2])
    cairn_torch.save_model(net, tmp_path / "c", signature=signature, input_example=example)
    mlflow.pytorch.save_model(
        net,
        str(tmp_path / "m"),
        input_example=example,
        pip_requirements=[],
        signature=mlflow.models.infer_signature(x, _forward(net, x)),
    )
    ours, theirs = _mlmodel(tmp_path / "c"), _mlmodel(tmp_path / "m")
    assert set(ours["flavors"]) == set(theirs["flavors"]) == {"pytorch"}
    assert ours["signature"] == theirs["signature"] == signature.to_dict()
    np.testing.assert_allclose(
        _forward(mlflow.pytorch.load_model(str(tmp_path / "c")), x), _forward(net, x)
    )


def test_scripted_module_round_trips(tmp_path: Path, net: Any, x: Any) -> None:
    import mlflow.pytorch
    import torch

    scripted = torch.jit.script(net)
    cairn_torch.save_model(scripted, tmp_path / "m", serialization_format="pickle")
    np.testing.assert_allclose(
        _forward(mlflow.pytorch.load_model(str(tmp_path / "m")), x), _forward(net, x)
    )
    np.testing.assert_allclose(pyfunc.load_model(tmp_path / "m").predict(x), _forward(net, x))


def test_state_dict_moves_both_ways(tmp_path: Path, net: Any) -> None:
    import mlflow.pytorch
    import torch

    cairn_torch.save_state_dict(net.state_dict(), tmp_path / "c")
    mlflow.pytorch.save_state_dict(net.state_dict(), str(tmp_path / "m"))
    for loaded in (
        mlflow.pytorch.load_state_dict(str(tmp_path / "c")),
        cairn_torch.load_state_dict(tmp_path / "m"),
    ):
        assert loaded.keys() == net.state_dict().keys()
        assert all(torch.equal(loaded[k], v) for k, v in net.state_dict().items())


def test_logged_model_and_state_dict_load_back_by_uri(tracking_dir: Path, net: Any, x: Any) -> None:
    with cairn.start_run() as run:
        info = cairn.pytorch.log_model(net, "model", input_example=x[:2], pip_requirements=[])
        cairn_torch.log_state_dict(net.state_dict(), "weights")
    assert CairnClient().get_logged_model(info.model_id).status is (
        LoggedModelStatus.LOGGED_MODEL_READY
    )
    assert set(info.flavors) == {"python_function", cairn_torch.FLAVOR}
    np.testing.assert_allclose(pyfunc.load_model(info.model_uri).predict(x), _forward(net, x))
    np.testing.assert_allclose(
        _forward(cairn_torch.load_model(info.model_uri), x), _forward(net, x)
    )
    weights = cairn_torch.load_state_dict(f"runs:/{run.info.run_id}/weights")
    assert weights.keys() == net.state_dict().keys()


def test_bad_arguments_are_user_errors(tmp_path: Path, net: Any, x: Any) -> None:
    import pandas as pd

    bad: list[tuple[Any, dict[str, Any], str]] = [
        (net, {"serialization_format": "onnx"}, "serialization_format"),
        ("not a module", {"serialization_format": "pickle"}, "torch.nn.Module"),
        (net, {}, "input_example"),
        (net, {"input_example": pd.DataFrame(x)}, "input_example"),
        (net, {"input_example": x[:2], "signature": False}, "TensorSpec"),
    ]
    for i, (model, kwargs, match) in enumerate(bad):
        with pytest.raises(InvalidParameterValue, match=match):
            cairn_torch.save_model(model, tmp_path / str(i), **kwargs)
        assert not (tmp_path / str(i)).exists()
    with pytest.raises(InvalidParameterValue, match="must be a dict"):
        cairn_torch.save_state_dict(net, tmp_path / "sd")


def test_predict_refuses_what_mlflow_refuses(net: Any, x: Any) -> None:
    predictor = cairn_torch.TorchPredictor(net, "cpu")
    with pytest.raises(InvalidParameterValue, match="List or Dict"):
        predictor.predict(x.tolist())
    with pytest.raises(InvalidParameterValue, match="device"):
        predictor.predict(x, {"device": "cuda"})
    np.testing.assert_allclose(predictor.predict(x), _forward(net, x))


def test_module_example_runs() -> None:
    import doctest

    result = doctest.testmod(cairn_torch)
    assert result.attempted and not result.failed
