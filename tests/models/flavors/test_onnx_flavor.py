"""ONNX models move between cairn and MLflow both ways with identical predictions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from cairn.errors import InvalidParameterValue
from cairn.models import pyfunc
from cairn.models.flavors import onnx as cairn_onnx

pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::FutureWarning", "ignore::UserWarning"
)

CPU_ONLY = ["CPUExecutionProvider"]


def _regressor(x: Any, y: Any) -> Any:
    from skl2onnx import to_onnx
    from sklearn.linear_model import LinearRegression

    return to_onnx(LinearRegression().fit(x, y), x[:1].astype(np.float32))


def _classifier(x: Any, y: Any) -> Any:
    from skl2onnx import to_onnx
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression().fit(x, y)
    return to_onnx(model, x[:1].astype(np.float32), options={"zipmap": False})


def _adder() -> Any:
    """Two named 1-D inputs, so feeds are matched by name."""
    from onnx import TensorProto, helper

    def tensor(name: str) -> Any:
        return helper.make_tensor_value_info(name, TensorProto.FLOAT, [None])

    node = helper.make_node("Add", ["a", "b"], ["sum"])
    graph = helper.make_graph([node], "add", [tensor("a"), tensor("b")], [tensor("sum")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


def _run(proto: Any, feeds: dict[str, Any]) -> dict[str, Any]:
    import onnxruntime

    session = onnxruntime.InferenceSession(proto.SerializeToString(), providers=CPU_ONLY)
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(names, feeds), strict=True))


def _assert_same_outputs(got: dict[str, Any], expected: dict[str, Any]) -> None:
    assert list(got) == list(expected)
    for name, value in expected.items():
        np.testing.assert_array_equal(got[name], value)


def _mlmodel(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((path / "MLmodel").read_text())
    return data


@pytest.mark.parametrize("build", [_regressor, _classifier])
def test_cairn_saved_model_predicts_the_same_in_mlflow(
    tmp_path: Path, xy: tuple[Any, Any], build: Any
) -> None:
    import mlflow.onnx
    import mlflow.pyfunc

    x, y = xy
    x32 = x.astype(np.float32)
    proto = build(x, y)
    path = tmp_path / "m"
    cairn_onnx.save_model(proto, path, input_example=x32[:3])
    expected = _run(proto, {"X": x32})
    _assert_same_outputs(mlflow.pyfunc.load_model(str(path)).predict(x32), expected)
    native = mlflow.onnx.load_model(str(path))
    assert native.graph == proto.graph
    _assert_same_outputs(pyfunc.load_model(path).predict(x32), expected)


@pytest.mark.parametrize("build", [_regressor, _classifier])
def test_mlflow_saved_model_predicts_the_same_in_cairn(
    tmp_path: Path, xy: tuple[Any, Any], build: Any
) -> None:
    import mlflow.onnx
    import onnx
    import onnxruntime

    x, y = xy
    x32 = x.astype(np.float32)
    proto = build(x, y)
    expected = _run(proto, {"X": x32})
    path = tmp_path / "m"
    mlflow.onnx.save_model(proto, str(path), input_example=x32[:3], pip_requirements=[])
    loaded = pyfunc.load_model(path)
    _assert_same_outputs(loaded.predict(x32), expected)
    _assert_same_outputs(loaded.predict(x), expected)  # float64 is cast for float inputs
    assert isinstance(loaded.get_raw_model(), onnxruntime.InferenceSession)
    native = cairn_onnx.load_model(path)
    assert isinstance(native, onnx.ModelProto)
    _assert_same_outputs(_run(native, {"X": x32}), expected)


def test_dataframe_in_gives_dataframe_out_as_in_mlflow(tmp_path: Path) -> None:
    import mlflow.pyfunc
    import pandas as pd

    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [0.5, 0.25, 0.125]})
    cairn_onnx.save_model(_adder(), tmp_path / "m", pip_requirements=[])
    theirs = mlflow.pyfunc.load_model(str(tmp_path / "m")).predict(frame)
    ours = pyfunc.load_model(tmp_path / "m").predict(frame)
    pd.testing.assert_frame_equal(ours, theirs)
    np.testing.assert_array_equal(ours["sum"], np.array([1.5, 2.25, 3.125], dtype=np.float32))
    feeds = {"a": np.ones(2, np.float32), "b": np.ones(2, np.float32)}
    _assert_same_outputs(pyfunc.load_model(tmp_path / "m").predict(feeds), {"sum": feeds["a"] * 2})


def test_array_cannot_feed_a_model_with_several_inputs(tmp_path: Path) -> None:
    cairn_onnx.save_model(_adder(), tmp_path / "m", pip_requirements=[])
    with pytest.raises(InvalidParameterValue, match="2 inputs"):
        pyfunc.load_model(tmp_path / "m").predict(np.ones((2, 2), np.float32))


def test_flavor_config_matches_mlflows(tmp_path: Path, xy: tuple[Any, Any]) -> None:
    import mlflow.onnx

    proto = _regressor(*xy)
    cairn_onnx.save_model(proto, tmp_path / "c", pip_requirements=[])
    mlflow.onnx.save_model(proto, str(tmp_path / "m"), pip_requirements=[])
    ours, theirs = _mlmodel(tmp_path / "c"), _mlmodel(tmp_path / "m")
    assert ours["flavors"] == theirs["flavors"]
    assert set(theirs) ^ set(ours) <= {"signature", "saved_input_example_info"}
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == sorted(
        p.name for p in (tmp_path / "m").iterdir()
    )


def test_providers_and_session_options_match_mlflows(tmp_path: Path, xy: tuple[Any, Any]) -> None:
    import mlflow.onnx
    import mlflow.pyfunc

    x, y = xy
    proto = _regressor(x, y)
    settings: dict[str, Any] = {
        "onnx_execution_providers": CPU_ONLY,
        "onnx_session_options": {"intra_op_num_threads": 1, "execution_mode": "sequential"},
    }
    cairn_onnx.save_model(proto, tmp_path / "c", pip_requirements=[], **settings)
    mlflow.onnx.save_model(proto, str(tmp_path / "m"), pip_requirements=[], **settings)
    assert _mlmodel(tmp_path / "c")["flavors"] == _mlmodel(tmp_path / "m")["flavors"]
    x32 = x.astype(np.float32)
    expected = _run(proto, {"X": x32})
    _assert_same_outputs(mlflow.pyfunc.load_model(str(tmp_path / "c")).predict(x32), expected)
    _assert_same_outputs(pyfunc.load_model(tmp_path / "m").predict(x32), expected)


def test_signature_and_input_example_round_trip(tmp_path: Path, xy: tuple[Any, Any]) -> None:
    import mlflow.models
    import mlflow.onnx
    import mlflow.pyfunc

    from cairn.models.infer import infer_signature

    x, y = xy
    x32 = x.astype(np.float32)
    proto = _regressor(x, y)
    example = x32[:3]
    cairn_onnx.save_model(
        proto, tmp_path / "c", signature=infer_signature(x32), input_example=example
    )
    mlflow.onnx.save_model(
        proto,
        str(tmp_path / "m"),
        signature=mlflow.models.infer_signature(x32),
        input_example=example,
        pip_requirements=[],
    )
    ours, theirs = _mlmodel(tmp_path / "c"), _mlmodel(tmp_path / "m")
    assert ours["signature"] == theirs["signature"]
    assert ours["saved_input_example_info"] == theirs["saved_input_example_info"]
    for name in ("input_example.json", "serving_input_example.json"):
        assert (tmp_path / "c" / name).read_text() == (tmp_path / "m" / name).read_text()
    loaded_example = mlflow.models.Model.load(str(tmp_path / "c")).load_input_example(
        str(tmp_path / "c")
    )
    np.testing.assert_array_equal(loaded_example, example)
    expected = _run(proto, {"X": x32})
    _assert_same_outputs(mlflow.pyfunc.load_model(str(tmp_path / "c")).predict(x32), expected)
    loaded = pyfunc.load_model(tmp_path / "c")
    assert loaded.signature.to_dict() == ours["signature"]
    _assert_same_outputs(loaded.predict(x32), expected)


def _matmul(weights: Any) -> Any:
    """A graph whose weights are an initializer (skl2onnx keeps linear models' coefficients in
    node attributes, which stay inline)."""
    from onnx import TensorProto, helper, numpy_helper

    inputs = [helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, weights.shape[0]])]
    outputs = [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [None, 1])]
    node = helper.make_node("MatMul", ["X", "W"], ["Y"])
    init = [numpy_helper.from_array(weights.astype(np.float32), "W")]
    graph = helper.make_graph([node], "matmul", inputs, outputs, initializer=init)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


def test_large_weights_go_to_external_data_and_callers_proto_is_kept(tmp_path: Path) -> None:
    import mlflow.onnx
    import mlflow.pyfunc
    from onnx import numpy_helper

    rng = np.random.default_rng(1)
    weights = rng.normal(size=(400, 1))  # 1600 bytes: over onnx's 1024-byte threshold
    proto = _matmul(weights)
    cairn_onnx.save_model(proto, tmp_path / "m", pip_requirements=[])
    assert len({p.name for p in (tmp_path / "m").iterdir()} - {"model.onnx"}) == 5  # + env files
    np.testing.assert_array_equal(
        numpy_helper.to_array(proto.graph.initializer[0]), weights.astype(np.float32)
    )
    x32 = rng.normal(size=(10, 400)).astype(np.float32)
    expected = _run(proto, {"X": x32})
    _assert_same_outputs(mlflow.pyfunc.load_model(str(tmp_path / "m")).predict(x32), expected)
    _assert_same_outputs(pyfunc.load_model(tmp_path / "m").predict(x32), expected)
    native = cairn_onnx.load_model(tmp_path / "m")
    _assert_same_outputs(_run(native, {"X": x32}), expected)
    assert mlflow.onnx.load_model(str(tmp_path / "m")).graph.node == proto.graph.node
    cairn_onnx.save_model(proto, tmp_path / "inline", save_as_external_data=False)
    assert len(list((tmp_path / "inline").iterdir())) == 5


def test_bad_arguments_are_user_errors(tmp_path: Path, xy: tuple[Any, Any]) -> None:
    proto = _regressor(*xy)
    with pytest.raises(InvalidParameterValue, match="not an ONNX Runtime session option"):
        cairn_onnx.save_model(proto, tmp_path / "a", onnx_session_options={"turbo": True})
    with pytest.raises(InvalidParameterValue, match="execution_mode"):
        cairn_onnx.save_model(proto, tmp_path / "b", onnx_session_options={"execution_mode": "x"})
    with pytest.raises(InvalidParameterValue, match="ModelProto"):
        cairn_onnx.save_model(b"not a model", tmp_path / "c")
    assert not (tmp_path / "a").exists()


def test_module_example_runs() -> None:
    import doctest

    result = doctest.testmod(cairn_onnx)
    assert result.attempted and not result.failed
