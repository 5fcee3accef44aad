"""The 3.x logged-model API through ``MlflowClient``: create, params, tags, metrics, search."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlflow import MlflowClient
from mlflow.entities import LoggedModelStatus
from mlflow.exceptions import MlflowException


@pytest.mark.backends
def test_logged_model_lifecycle(client: MlflowClient, experiment_id: str) -> None:
    run_id = client.create_run(experiment_id).info.run_id
    created = client.create_logged_model(
        experiment_id,
        name="clf",
        source_run_id=run_id,
        params={"alpha": "0.1"},
        tags={"team": "a", "tmp": "x"},
        model_type="classifier",
    )
    model_id = created.model_id

    client.log_model_params(model_id, {"beta": "2"})
    client.set_logged_model_tags(model_id, {"stage": "dev"})
    client.delete_logged_model_tag(model_id, "tmp")
    client.log_metric(run_id, "acc", 0.8, step=3, model_id=model_id)
    finalized = client.finalize_logged_model(model_id, LoggedModelStatus.READY)
    got = client.get_logged_model(model_id)

    assert created.status == LoggedModelStatus.PENDING
    assert model_id.startswith("m-") and len(model_id) == 34
    assert finalized.status == LoggedModelStatus.READY
    assert got.name == "clf"
    assert got.model_type == "classifier"
    assert got.source_run_id == run_id
    assert got.experiment_id == experiment_id
    assert got.params == {"alpha": "0.1", "beta": "2"}
    assert {k: v for k, v in got.tags.items() if not k.startswith("mlflow.")} == {
        "team": "a",
        "stage": "dev",
    }
    assert [(m.key, m.value, m.step, m.run_id) for m in got.metrics or []] == [
        ("acc", 0.8, 3, run_id)
    ]
    assert got.artifact_location == f"mlflow-artifacts:/{experiment_id}/models/{model_id}/artifacts"
    assert got.creation_timestamp <= got.last_updated_timestamp

    client.delete_logged_model(model_id)
    with pytest.raises(MlflowException) as excinfo:
        client.get_logged_model(model_id)
    assert excinfo.value.error_code == "RESOURCE_DOES_NOT_EXIST"


@pytest.mark.backends
def test_search_logged_models_filters_and_orders(client: MlflowClient, experiment_id: str) -> None:
    run_id = client.create_run(experiment_id).info.run_id
    ids = {}
    for name, acc in (("low", 0.2), ("high", 0.9), ("mid", 0.5)):
        model = client.create_logged_model(experiment_id, name=name, source_run_id=run_id)
        client.log_metric(run_id, "acc", acc, model_id=model.model_id)
        ids[name] = model.model_id
    client.finalize_logged_model(ids["high"], LoggedModelStatus.READY)

    by_acc = client.search_logged_models(
        [experiment_id], order_by=[{"field_name": "metrics.acc", "ascending": False}]
    )
    good = client.search_logged_models([experiment_id], filter_string="metrics.acc > 0.4")
    named = client.search_logged_models([experiment_id], filter_string="name = 'mid'")
    from_run = client.search_logged_models(
        [experiment_id], filter_string=f"source_run_id = '{run_id}' AND name LIKE '%i%'"
    )
    first = client.search_logged_models([experiment_id], max_results=2)
    rest = client.search_logged_models([experiment_id], max_results=2, page_token=first.token)

    assert [m.name for m in by_acc] == ["high", "mid", "low"]
    assert {m.name for m in good} == {"high", "mid"}
    assert [m.model_id for m in named] == [ids["mid"]]
    assert {m.name for m in from_run} == {"high", "mid"}
    assert client.get_logged_model(ids["high"]).status == LoggedModelStatus.READY
    assert len(first) == 2 and first.token
    assert {m.model_id for m in [*first, *rest]} == set(ids.values())


def test_logged_model_artifacts(client: MlflowClient, experiment_id: str, tmp_path: Path) -> None:
    model_id = client.create_logged_model(experiment_id, name="files").model_id
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "MLmodel").write_text("flavors: {}\n")
    (src / "sub" / "w.bin").write_bytes(b"\x00" * 10)

    client.log_model_artifacts(model_id, str(src))

    top = client.list_logged_model_artifacts(model_id)
    sub = client.list_logged_model_artifacts(model_id, "sub")
    assert [(f.path, f.is_dir) for f in top] == [("MLmodel", False), ("sub", True)]
    assert [(f.path, f.file_size) for f in sub] == [("sub/w.bin", 10)]
