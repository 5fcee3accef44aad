"""Model-version sources: only locations the server can vouch for (security rule 2).

The live test server keeps run artifacts in a local directory, so local-path sources are
checked against the real file system here (symlinks included); the compat suite covers the
proxied (``mlflow-artifacts:``) layout.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from cairn.store.artifacts import uri_to_local_path
from cairn.store.db import tables as t
from cairn.store.registry.sql.store import SqlRegistryStore
from live_server import LiveServer

_API = "/api/2.0/mlflow"


def _run(api: httpx.Client) -> dict[str, Any]:
    response = api.post(f"{_API}/runs/create", json={"experiment_id": "0"})
    return dict(response.json()["run"]["info"])


def _create(api: httpx.Client, name: str, source: str, **extra: Any) -> httpx.Response:
    return api.post(f"{_API}/model-versions/create", json={"name": name, "source": source, **extra})


@pytest.fixture
def model(api: httpx.Client) -> str:
    api.post(f"{_API}/registered-models/create", json={"name": "m"})
    return "m"


def test_local_sources_must_lie_inside_the_runs_artifact_directory(
    api: httpx.Client, model: str
) -> None:
    run = _run(api)
    root = uri_to_local_path(run["artifact_uri"])
    inside = _create(api, model, str(root / "model"), run_id=run["run_id"])
    as_file_uri = _create(api, model, f"{run['artifact_uri']}/model", run_id=run["run_id"])
    sibling = _create(api, model, f"{root}-evil/model", run_id=run["run_id"])
    relative = _create(api, model, "model", run_id=run["run_id"])

    assert inside.status_code == 200, inside.text
    assert as_file_uri.status_code == 200, as_file_uri.text
    assert sibling.status_code == 400
    assert relative.status_code == 400


def test_a_symlink_out_of_the_run_directory_is_refused(
    api: httpx.Client, model: str, tmp_path: Path
) -> None:
    run = _run(api)
    root = uri_to_local_path(run["artifact_uri"])
    root.mkdir(parents=True, exist_ok=True)
    os.symlink(tmp_path, root / "escape")

    response = _create(api, model, str(root / "escape" / "model"), run_id=run["run_id"])

    assert response.status_code == 400
    assert "outside the artifact location" in response.json()["message"]


def test_registry_uris_are_pinned_to_a_version_and_inherit_its_run(
    api: httpx.Client, model: str
) -> None:
    run = _run(api)
    _create(api, model, f"runs:/{run['run_id']}/model", run_id=run["run_id"])
    api.post(
        f"{_API}/registered-models/alias", json={"name": model, "alias": "best", "version": "1"}
    )
    api.post(f"{_API}/registered-models/create", json={"name": "copy"})

    copied = _create(api, "copy", f"models:/{model}@best").json()["model_version"]
    location = api.get(
        f"{_API}/model-versions/get-download-uri", params={"name": "copy", "version": "1"}
    )

    assert copied["source"] == f"models:/{model}/1"
    assert copied["run_id"] == run["run_id"]
    assert location.json()["artifact_uri"] == f"{run['artifact_uri']}/model"


def test_runs_sources_need_an_existing_run_of_their_own(api: httpx.Client, model: str) -> None:
    run = _run(api)
    unknown = _create(api, model, "runs:/0123456789abcdef0123456789abcdef/model")
    other_server = _create(api, model, f"runs://elsewhere/{run['run_id']}/model")
    filled_in = _create(api, model, f"runs:/{run['run_id']}/model")

    assert unknown.status_code == 404
    assert other_server.status_code == 400
    assert filled_in.json()["model_version"]["run_id"] == run["run_id"]


def test_the_operator_regex_limits_sources(
    api: httpx.Client, model: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLFLOW_CREATE_MODEL_VERSION_SOURCE_VALIDATION_REGEX", r"^s3://models/")
    allowed = _create(api, model, "s3://models/a")
    refused = _create(api, model, "s3://other/a")

    assert allowed.status_code == 200
    assert refused.status_code == 400
    assert "VALIDATION_REGEX" in refused.json()["message"]


def test_the_source_is_checked_again_when_the_download_uri_is_read(
    api: httpx.Client, model: str, live_server: LiveServer
) -> None:
    run = _run(api)
    _create(api, model, f"runs:/{run['run_id']}/model", run_id=run["run_id"])
    with live_server.store.engine.begin() as conn:  # rewritten behind the server's back
        conn.execute(t.model_versions.update().values(source="/etc"))
    registry = SqlRegistryStore(live_server.store.engine, owns_engine=False)

    response = api.get(
        f"{_API}/model-versions/get-download-uri", params={"name": model, "version": "1"}
    )

    assert response.status_code == 400
    assert registry.get_model_version(model, 1).source == "/etc"


def test_the_caller_named_in_the_header_is_recorded(api: httpx.Client, model: str) -> None:
    api.post(
        f"{_API}/registered-models/set-tag",
        json={"name": model, "key": "k", "value": "v"},
        headers={"X-Cairn-User": "bob"},
    )
    events = api.get("/api/2.0/cairn/registry/events", params={"name": model}).json()["events"]

    assert [(e["event_type"], e.get("user_id")) for e in events] == [
        ("model_created", None),
        ("model_tag_set", "bob"),
    ]
