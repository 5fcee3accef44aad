"""The MLmodel file: MLflow's keys in and out, unknown keys kept, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.models.mlmodel import Model, read_model, write_model


def test_unknown_keys_survive_a_round_trip(tmp_path: Path) -> None:
    data = {
        "flavors": {"python_function": {"loader_module": "mlflow.sklearn"}},
        "model_uuid": "abc",
        "utc_time_created": "2026-11-22 10:00:00.000000",
        "databricks_runtime": "15.4",
        "resources": {"x": 1},
    }
    (tmp_path / "MLmodel").write_text(yaml.safe_dump(data))
    model = read_model(tmp_path)
    assert model.extra == {"databricks_runtime": "15.4", "resources": {"x": 1}}
    out = model.to_dict()
    assert out["databricks_runtime"] == "15.4" and out["model_uuid"] == "abc"


def test_written_size_counts_every_file_but_mlmodel(tmp_path: Path) -> None:
    (tmp_path / "model.pkl").write_bytes(b"x" * 100)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_bytes(b"y" * 20)
    written = write_model(Model(flavors={"python_function": {}}), tmp_path)
    assert written.model_size_bytes == 120
    again = write_model(written, tmp_path)  # rewriting does not count MLmodel itself
    assert again.model_size_bytes == 120
    assert read_model(tmp_path).model_size_bytes == 120


def test_missing_mlmodel_says_what_to_check(tmp_path: Path) -> None:
    with pytest.raises(ResourceDoesNotExist, match="No MLmodel file"):
        read_model(tmp_path)


@pytest.mark.parametrize("text", ["flavors: [unclosed", "just a string", "flavors: {}"])
def test_malformed_mlmodel_is_a_user_error(tmp_path: Path, text: str) -> None:
    (tmp_path / "MLmodel").write_text(text)
    with pytest.raises(InvalidParameterValue):
        read_model(tmp_path)


def test_a_model_without_pyfunc_names_its_flavors() -> None:
    with pytest.raises(InvalidParameterValue, match="keras"):
        _ = Model(flavors={"keras": {}}).pyfunc_conf
