"""Transformers models: saved with ``save_pretrained`` in MLflow's layout, loaded back offline
with the same logits, by path and by URI, natively and as a pyfunc."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

import cairn
from cairn.errors import InvalidParameterValue
from cairn.models import pyfunc
from cairn.models.flavors import transformers as cairn_transformers

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture
def model() -> Any:
    torch.manual_seed(0)
    config = transformers.BertConfig(
        vocab_size=50,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
    )
    return transformers.BertForSequenceClassification(config).eval()


@pytest.fixture
def ids() -> Any:
    return np.random.default_rng(0).integers(0, 50, size=(4, 7))


def _logits(model: Any, ids: Any) -> Any:
    with torch.no_grad():
        return model(input_ids=torch.from_numpy(ids)).logits.numpy()


def _mlmodel(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((path / "MLmodel").read_text())
    return data


def test_saved_model_loads_back_with_the_same_logits(tmp_path: Path, model: Any, ids: Any) -> None:
    cairn_transformers.save_model(model, tmp_path / "m", pip_requirements=[])
    loaded = cairn_transformers.load_model(tmp_path / "m")
    assert type(loaded) is transformers.BertForSequenceClassification and not loaded.training
    np.testing.assert_allclose(_logits(loaded, ids), _logits(model, ids), rtol=1e-6)
    predicted = pyfunc.load_model(tmp_path / "m").predict(ids)
    np.testing.assert_allclose(predicted, _logits(model, ids), rtol=1e-6)


def test_mlmodel_has_mlflows_transformers_keys(tmp_path: Path, model: Any) -> None:
    cairn_transformers.save_model(model, tmp_path / "m", task="text-classification")
    flavors = _mlmodel(tmp_path / "m")["flavors"]
    assert flavors["transformers"] == {
        "transformers_version": transformers.__version__,
        "code": None,
        "task": "text-classification",
        "instance_type": "BertForSequenceClassification",
        "pipeline_model_type": "BertForSequenceClassification",
        "source_model_name": "",
        "model_binary": "model",
        "framework": "pt",
        "torch_dtype": "torch.float32",
        "components": [],
    }
    assert flavors["python_function"]["loader_module"] == "cairn.models.flavors.transformers"
    config = json.loads((tmp_path / "m" / "model" / "config.json").read_text())
    assert config["architectures"] == ["BertForSequenceClassification"]
    requirements = (tmp_path / "m" / "requirements.txt").read_text().split()
    assert f"transformers=={transformers.__version__}" in requirements
    assert any(line.startswith("torch==") for line in requirements)


def test_input_example_gives_a_logits_signature(tmp_path: Path, model: Any, ids: Any) -> None:
    cairn_transformers.save_model(model, tmp_path / "m", input_example=ids[:2])
    loaded = pyfunc.load_model(tmp_path / "m")
    signature = loaded.signature.to_dict()
    assert json.loads(signature["inputs"])[0]["tensor-spec"]["shape"] == [-1, 7]
    assert json.loads(signature["outputs"])[0]["tensor-spec"]["shape"] == [-1, 2]
    np.testing.assert_allclose(loaded.predict(ids), _logits(model, ids), rtol=1e-6)


def test_logged_model_loads_back_by_uri(tracking_dir: Path, model: Any, ids: Any) -> None:
    with cairn.start_run() as run:
        info = cairn.transformers.log_model(model, "bert", pip_requirements=[])
    assert info.run_id == run.info.run_id
    for uri in (info.model_uri, f"runs:/{run.info.run_id}/bert"):
        loaded = cairn.transformers.load_model(uri)
        np.testing.assert_allclose(_logits(loaded, ids), _logits(model, ids), rtol=1e-6)


def test_save_refuses_what_is_not_a_pretrained_model(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameterValue, match="PreTrainedModel"):
        cairn_transformers.save_model(torch.nn.Linear(2, 2), tmp_path / "m")
    assert not (tmp_path / "m").exists()


def test_load_builds_only_transformers_model_classes(tmp_path: Path, model: Any) -> None:
    cairn_transformers.save_model(model, tmp_path / "m", pip_requirements=[])
    config_file = tmp_path / "m" / "model" / "config.json"
    config = json.loads(config_file.read_text())
    config_file.write_text(json.dumps({**config, "architectures": ["AutoConfig"]}))
    with pytest.raises(InvalidParameterValue, match="not a transformers PreTrainedModel"):
        cairn_transformers.load_model(tmp_path / "m")


def test_pyfunc_refuses_input_that_is_not_token_ids(tmp_path: Path, model: Any) -> None:
    cairn_transformers.save_model(model, tmp_path / "m", pip_requirements=[])
    loaded = pyfunc.load_model(tmp_path / "m")
    with pytest.raises(InvalidParameterValue, match="2-D array of integers"):
        loaded.predict(np.zeros((2, 3), dtype=np.float32))


def test_module_example_runs() -> None:
    import doctest

    result = doctest.testmod(cairn_transformers)
    assert result.attempted and not result.failed


# MLflow's own import of its pyfunc type hints warns about ``Any``.
@pytest.mark.filterwarnings("ignore:.*Any type hint is inferred as AnyType:UserWarning")
def test_mlflow_saved_pipeline_model_loads_in_cairn(
    tmp_path: Path, model: Any, ids: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MLflow saves a pipeline (model + tokenizer); cairn reads its ``model`` folder."""
    import mlflow.transformers

    monkeypatch.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [f"w{i}" for i in range(45)]
    (tmp_path / "vocab.txt").write_text("\n".join(vocab))
    tokenizer = transformers.BertTokenizer(vocab_file=str(tmp_path / "vocab.txt"))
    mlflow.transformers.save_model(
        {"model": model, "tokenizer": tokenizer},
        str(tmp_path / "m"),
        task="text-classification",
        pip_requirements=[],
    )
    loaded = cairn_transformers.load_model(tmp_path / "m")
    np.testing.assert_allclose(_logits(loaded, ids), _logits(model, ids), rtol=1e-6)
