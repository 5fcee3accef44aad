"""Model URIs -> local directories: paths, ``runs:/``, ``models:/`` and what is refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import cairn
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.models.flavors import sklearn as cairn_sklearn
from cairn.models.mlmodel import MLMODEL_FILE
from cairn.models.uri import local_model_dir, opened_model_dir
from cairn.store.artifacts import local_path_to_uri
from cairn.tracking import fluent
from cairn.tracking.client import CairnClient, close_stores

pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::FutureWarning", "ignore::UserWarning"
)


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CairnClient]:
    for name in ("CAIRN_TRACKING_URI", "MLFLOW_TRACKING_URI", "MLFLOW_RUN_ID", "CAIRN_RUN_ID"):
        monkeypatch.delenv(name, raising=False)
    fluent._reset_for_tests()
    cairn.set_tracking_uri(str(tmp_path / "tracking"))
    yield CairnClient()
    while cairn.active_run():
        cairn.end_run()
    fluent._reset_for_tests()
    close_stores()


@pytest.fixture
def logged_run(client: CairnClient, xy: tuple[Any, Any]) -> tuple[str, str]:
    """(run id, model id) of a run that logged a model named ``clf``."""
    from sklearn.linear_model import LogisticRegression

    with cairn.start_run() as run:
        info = cairn_sklearn.log_model(LogisticRegression().fit(*xy), "clf", pip_requirements=[])
    return run.info.run_id, info.model_id


def test_local_paths_and_file_uris_are_used_in_place(tmp_path: Path) -> None:
    assert local_model_dir(str(tmp_path)) == str(tmp_path)
    assert local_model_dir(local_path_to_uri(tmp_path)) == str(tmp_path)


def test_models_uri_and_runs_uri_name_the_logged_model_files(
    client: CairnClient, logged_run: tuple[str, str]
) -> None:
    run_id, model_id = logged_run

    by_id = Path(local_model_dir(f"models:/{model_id}", client=client))
    by_run = Path(local_model_dir(f"runs:/{run_id}/clf", client=client))
    inside = Path(local_model_dir(f"runs:/{run_id}/clf/MLmodel", client=client))

    assert by_id == by_run and (by_id / MLMODEL_FILE).is_file()
    assert inside == by_id / MLMODEL_FILE
    assert model_id in by_id.parts


def test_runs_uri_falls_back_to_plain_run_artifacts(client: CairnClient, tmp_path: Path) -> None:
    source = tmp_path / "old-style"
    source.mkdir()
    (source / MLMODEL_FILE).write_text("flavors: {}\n")
    with cairn.start_run() as run:
        cairn.log_artifacts(str(source), "legacy_model")

    found = Path(local_model_dir(f"runs:/{run.info.run_id}/legacy_model", client=client))

    assert (found / MLMODEL_FILE).read_text() == "flavors: {}\n"
    assert found.parts[-1] == "legacy_model"


def test_a_copy_goes_to_dst_path_when_asked(
    client: CairnClient, logged_run: tuple[str, str], tmp_path: Path
) -> None:
    _, model_id = logged_run

    copied = Path(local_model_dir(f"models:/{model_id}", str(tmp_path / "dst"), client=client))

    assert copied == tmp_path / "dst" and (copied / MLMODEL_FILE).is_file()


def test_opened_model_dir_yields_the_files(
    client: CairnClient, logged_run: tuple[str, str]
) -> None:
    with opened_model_dir(f"models:/{logged_run[1]}", client) as root:
        assert (root / MLMODEL_FILE).is_file()


@pytest.mark.parametrize(
    "path", ["../../secrets", "clf/../../x", "%2e%2e/x", "..%252fx", "/etc/passwd", "a\\..\\b"]
)
def test_runs_uri_path_traversal_is_refused(
    client: CairnClient, logged_run: tuple[str, str], path: str
) -> None:
    with pytest.raises(InvalidParameterValue):
        local_model_dir(f"runs:/{logged_run[0]}/{path}", client=client)


@pytest.mark.parametrize("uri", ["models:/RM/1", "models:/RM@champion", "models:/RM/latest"])
def test_registry_uris_of_an_unknown_model_fail_clearly(client: CairnClient, uri: str) -> None:
    with pytest.raises(ResourceDoesNotExist, match="RM"):
        local_model_dir(uri, client=client)


@pytest.mark.parametrize(
    "uri",
    ["models:/", "models:/..", "runs:/../x", "runs://host/r/m", "models:/RM/1/x", "models:/@a"],
)
def test_malformed_uris_are_refused(client: CairnClient, uri: str) -> None:
    with pytest.raises(InvalidParameterValue):
        local_model_dir(uri, client=client)


def test_unknown_ids_and_schemes_fail_clearly(client: CairnClient) -> None:
    with pytest.raises(ResourceDoesNotExist):
        local_model_dir("models:/m-00000000000000000000000000000000", client=client)
    with pytest.raises(ResourceDoesNotExist):
        local_model_dir("runs:/0123456789abcdef0123456789abcdef/model", client=client)
    with pytest.raises(InvalidParameterValue, match="not supported"):
        local_model_dir("s3://bucket/model", client=client)


def test_missing_run_artifact_is_reported(client: CairnClient, logged_run: tuple[str, str]) -> None:
    with pytest.raises(ResourceDoesNotExist, match="No model files"):
        local_model_dir(f"runs:/{logged_run[0]}/not-there", client=client)
