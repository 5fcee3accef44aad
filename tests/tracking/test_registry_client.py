"""``CairnClient``'s Model Registry methods on the embedded (SQL) registry, on every backend."""

from __future__ import annotations

import doctest
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from cairn.config import Settings, settings_from_env
from cairn.entities import ModelVersionStage, ModelVersionStatus, RegistryEventType
from cairn.errors import (
    DeadlineExceeded,
    InvalidParameterValue,
    InvalidState,
    NotImplementedByStore,
    ResourceAlreadyExists,
    ResourceDoesNotExist,
)
from cairn.store.registry.base import RegistryStore
from cairn.store.registry.open import open_registry_store
from cairn.store.registry.sql.store import SqlRegistryStore
from cairn.tracking import fluent, registry_client
from cairn.tracking.client import CairnClient, close_stores


@pytest.fixture
def settings(backend_uri: str, tmp_path: Path) -> Settings:
    return Settings(
        tracking_uri=backend_uri, artifact_root=str(tmp_path / "artifacts"), username="alice"
    )


@pytest.fixture(autouse=True)
def _fresh_state() -> Iterator[None]:
    """No registry URI set by an earlier test; no store left open for the next."""
    fluent._reset_for_tests()
    yield
    fluent._reset_for_tests()
    close_stores()


@pytest.fixture
def client(backend_uri: str, settings: Settings) -> CairnClient:
    return CairnClient(backend_uri, settings=settings)


def _logged_model(client: CairnClient) -> tuple[str, str]:
    """(run id, model id) of a run that produced a logged model."""
    run = client.create_run("0", run_name="train")
    model = client.create_logged_model("0", "clf", source_run_id=run.info.run_id)
    return run.info.run_id, model.model_id


# --- registered models --------------------------------------------------------------------------
def test_create_and_get_registered_model(client: CairnClient) -> None:
    created = client.create_registered_model(
        "churn", tags={"team": "risk", "n": 1}, description="d"
    )

    got = client.get_registered_model("churn")
    assert created.name == got.name == "churn"
    assert got.tag_dict == {"team": "risk", "n": "1"}
    assert got.description == "d" and got.user_id == "alice"
    with pytest.raises(ResourceAlreadyExists):
        client.create_registered_model("churn")


def test_rename_update_and_delete_registered_model(client: CairnClient) -> None:
    client.create_registered_model("a")
    client.create_model_version("a", "/m/1")

    renamed = client.rename_registered_model("a", "b")
    updated = client.update_registered_model("b", description="new")
    client.delete_registered_model("b")

    assert renamed.name == "b" and updated.description == "new"
    assert client.get_registry_history("b")[-1].event_type is RegistryEventType.MODEL_DELETED
    with pytest.raises(ResourceDoesNotExist):
        client.get_registered_model("b")
    with pytest.raises(ResourceDoesNotExist):
        client.get_registered_model("a")


def test_search_registered_models_filters_orders_and_pages(client: CairnClient) -> None:
    for name in ("churn-a", "churn-b", "fraud"):
        client.create_registered_model(name, tags={"kind": name.split("-")[0]})

    first = client.search_registered_models("name LIKE 'churn%'", max_results=1)
    second = client.search_registered_models(
        "name LIKE 'churn%'", max_results=1, page_token=first.next_page_token
    )
    by_tag = client.search_registered_models("tags.kind = 'fraud'")
    ordered = client.search_registered_models(order_by=["name DESC"])

    assert [m.name for m in first] == ["churn-a"] and second.next_page_token is None
    assert [m.name for m in second] == ["churn-b"]
    assert [m.name for m in by_tag] == ["fraud"]
    assert [m.name for m in ordered] == ["fraud", "churn-b", "churn-a"]


def test_registered_model_tags(client: CairnClient) -> None:
    client.create_registered_model("m")

    client.set_registered_model_tag("m", "owner", 7)
    client.delete_registered_model_tag("m", "missing")  # a no-op, as in MLflow

    assert client.get_registered_model("m").tag_dict == {"owner": "7"}
    client.delete_registered_model_tag("m", "owner")
    assert client.get_registered_model("m").tag_dict == {}


# --- aliases ------------------------------------------------------------------------------------
def test_aliases_point_move_and_go(client: CairnClient) -> None:
    client.create_registered_model("m")
    for _ in range(2):
        client.create_model_version("m", "/m")

    client.set_registered_model_alias("m", "champion", 1)
    client.set_registered_model_alias("m", "champion", "2")

    assert client.get_model_version_by_alias("m", "champion").version == 2
    assert client.get_registered_model("m").alias_dict == {"champion": 2}
    assert client.get_model_version("m", 2).aliases == ("champion",)
    client.delete_registered_model_alias("m", "champion")
    with pytest.raises(InvalidParameterValue, match="alias champion not found"):
        client.get_model_version_by_alias("m", "champion")
    with pytest.raises(InvalidParameterValue, match="reserved"):
        client.set_registered_model_alias("m", "latest", 1)


# --- model versions -----------------------------------------------------------------------------
def test_create_model_version_numbers_tags_and_user(client: CairnClient) -> None:
    client.create_registered_model("m")

    first = client.create_model_version(
        "m", "/m/1", tags={"k": 1}, run_link="http://x", description="first"
    )
    second = client.create_model_version("m", "/m/2")

    assert (first.version, second.version) == (1, 2)
    assert first.tag_dict == {"k": "1"} and first.description == "first"
    assert first.run_link == "http://x" and first.user_id == "alice"
    assert first.status is ModelVersionStatus.READY
    assert first.current_stage is ModelVersionStage.NONE


def test_update_transition_and_latest_versions(client: CairnClient) -> None:
    client.create_registered_model("m")
    for _ in range(3):
        client.create_model_version("m", "/m")

    client.update_model_version("m", 1, description="baseline")
    client.transition_model_version_stage("m", 1, "production")
    client.transition_model_version_stage("m", 2, "Staging")
    promoted = client.transition_model_version_stage(
        "m", "3", "Production", archive_existing_versions=True
    )

    assert client.get_model_version("m", 1).description == "baseline"
    assert promoted.current_stage is ModelVersionStage.PRODUCTION
    assert client.get_model_version("m", 1).current_stage is ModelVersionStage.ARCHIVED
    latest = {mv.current_stage.value: mv.version for mv in client.get_latest_versions("m")}
    assert latest == {"Archived": 1, "Staging": 2, "Production": 3}
    assert [mv.version for mv in client.get_latest_versions("m", ["staging"])] == [2]
    with pytest.raises(InvalidParameterValue, match="Invalid Model Version stage"):
        client.transition_model_version_stage("m", 1, "Live")


def test_deleted_version_disappears_but_keeps_its_number(client: CairnClient) -> None:
    client.create_registered_model("m")
    client.create_model_version("m", "/m")
    client.delete_model_version("m", 1)

    with pytest.raises(ResourceDoesNotExist):
        client.get_model_version("m", 1)
    assert client.create_model_version("m", "/m").version == 2
    assert [mv.version for mv in client.search_model_versions("name = 'm'")] == [2]


def test_search_model_versions(client: CairnClient) -> None:
    run_id, _ = _logged_model(client)
    for name in ("a", "b"):
        client.create_registered_model(name)
    client.create_model_version("a", "/a", run_id=run_id)
    client.create_model_version("a", "/a2")
    client.create_model_version("b", "/b")

    by_run = client.search_model_versions(f"run_id = '{run_id}'")
    page = client.search_model_versions("name = 'a'", max_results=1, order_by=["version_number"])

    assert [(mv.name, mv.version) for mv in by_run] == [("a", 1)]
    assert [mv.version for mv in page] == [1] and page.next_page_token is not None


def test_model_version_tags_by_version_or_stage(client: CairnClient) -> None:
    client.create_registered_model("m")
    client.create_model_version("m", "/m")
    client.transition_model_version_stage("m", 1, "Staging")

    client.set_model_version_tag("m", 1, "a", 1)
    client.set_model_version_tag("m", key="b", value="2", stage="staging")
    client.delete_model_version_tag("m", key="a", stage="Staging")

    assert client.get_model_version("m", 1).tag_dict == {"b": "2"}
    with pytest.raises(InvalidParameterValue, match="exactly one"):
        client.set_model_version_tag("m", 1, "c", "3", stage="Staging")
    with pytest.raises(ResourceDoesNotExist):
        client.set_model_version_tag("m", key="c", value="3", stage="Production")


def test_version_from_logged_model_gets_its_run_and_is_recorded_on_it(
    client: CairnClient,
) -> None:
    run_id, model_id = _logged_model(client)
    client.create_registered_model("m")

    mv = client.create_model_version("m", f"models:/{model_id}", model_id=model_id)
    client.create_model_version("m", f"models:/{model_id}", model_id=model_id)

    assert mv.run_id == run_id and mv.model_id == model_id
    tag = client.get_logged_model(model_id).tag_dict[registry_client.MODEL_VERSIONS_TAG]
    assert json.loads(tag) == [{"name": "m", "version": 1}, {"name": "m", "version": 2}]


def test_download_uri_follows_models_sources(client: CairnClient) -> None:
    _, model_id = _logged_model(client)
    location = client.get_logged_model(model_id).artifact_location
    client.create_registered_model("m")
    client.create_model_version("m", f"models:/{model_id}")
    client.create_model_version("m", "/plain/path")

    assert client.get_model_version_download_uri("m", 1) == location
    assert client.get_model_version_download_uri("m", "2") == "/plain/path"


def test_copy_model_version_keeps_source_lineage(client: CairnClient) -> None:
    run_id, model_id = _logged_model(client)
    client.create_registered_model("staging-m")
    client.create_model_version("staging-m", f"models:/{model_id}", tags={"t": "1"})
    client.set_registered_model_alias("staging-m", "ready", 1)

    copy = client.copy_model_version("models:/staging-m@ready", "prod-m")

    assert (copy.name, copy.version, copy.source) == ("prod-m", 1, "models:/staging-m/1")
    assert copy.run_id == run_id and copy.tag_dict == {"t": "1"}
    assert client.get_model_version_download_uri("prod-m", 1) == (
        client.get_logged_model(model_id).artifact_location
    )
    with pytest.raises(InvalidParameterValue, match="Unsupported source model URI"):
        client.copy_model_version("runs:/abc/model", "prod-m")


def test_a_version_source_becomes_canonical_and_lends_its_run(client: CairnClient) -> None:
    run_id, _ = _logged_model(client)
    client.create_registered_model("m")
    client.create_model_version("m", "/m", run_id=run_id)
    client.transition_model_version_stage("m", 1, "Production")

    derived = client.create_model_version("m", "models:/m/production")

    assert derived.source == "models:/m/1" and derived.run_id == run_id


def test_get_model_version_by_uri_forms(client: CairnClient) -> None:
    client.create_registered_model("m")
    for _ in range(3):
        client.create_model_version("m", "/m")
    client.transition_model_version_stage("m", 1, "Production")
    client.transition_model_version_stage("m", 2, "Production")
    client.set_registered_model_alias("m", "champ", 1)

    def version(uri: str) -> int:
        return client.get_model_version_by_uri(uri).version

    assert version("models:/m/1") == 1
    assert version("models:/m/PRODUCTION") == 2
    assert version("models:/m/latest") == 3
    assert version("models:/m@champ") == 1
    with pytest.raises(ResourceDoesNotExist, match="no version in stage 'Staging'"):
        version("models:/m/Staging")
    with pytest.raises(InvalidParameterValue, match="names a logged model"):
        version("models:/m-0123")


# --- waiting for READY --------------------------------------------------------------------------
class _AsyncRegistry:
    """A registry that registers asynchronously: new versions start PENDING and turn
    ``final`` after ``polls`` reads (what a remote registry may do)."""

    def __init__(self, store: RegistryStore, final: ModelVersionStatus, polls: int) -> None:
        self._store, self._final, self._polls = store, final, polls
        self.reads = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)

    def create_model_version(self, *args: object, **kwargs: object) -> object:
        created = self._store.create_model_version(*args, **kwargs)  # type: ignore[arg-type]
        return replace(created, status=ModelVersionStatus.PENDING_REGISTRATION)

    def get_model_version(self, name: str, version: int) -> object:
        self.reads += 1
        done = self.reads >= self._polls
        status = self._final if done else ModelVersionStatus.PENDING_REGISTRATION
        return replace(self._store.get_model_version(name, version), status=status)


@pytest.mark.parametrize("backend_uri", ["sqlite"], indirect=True)
def test_create_model_version_waits_for_ready(
    client: CairnClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry_client, "AWAIT_POLL_SECONDS", 0.001)
    client.create_registered_model("m")
    fake = _AsyncRegistry(client.registry_store, ModelVersionStatus.READY, polls=3)
    client._registry_store = fake  # type: ignore[assignment]

    assert client.create_model_version("m", "/m").status is ModelVersionStatus.READY
    assert fake.reads == 3
    pending = client.create_model_version("m", "/m", await_creation_for=0)
    assert pending.status is ModelVersionStatus.PENDING_REGISTRATION


@pytest.mark.parametrize("backend_uri", ["sqlite"], indirect=True)
def test_failed_or_slow_registration_raises(
    client: CairnClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry_client, "AWAIT_POLL_SECONDS", 0.001)
    client.create_registered_model("m")
    store = client.registry_store
    client._registry_store = _AsyncRegistry(store, ModelVersionStatus.FAILED_REGISTRATION, 1)  # type: ignore[assignment]
    with pytest.raises(InvalidState, match="creation failed"):
        client.create_model_version("m", "/m")
    client._registry_store = _AsyncRegistry(store, ModelVersionStatus.READY, 10**9)  # type: ignore[assignment]
    with pytest.raises(DeadlineExceeded, match="Exceeded max wait time"):
        client.create_model_version("m", "/m", await_creation_for=1)


# --- where the registry is ----------------------------------------------------------------------
@pytest.mark.parametrize("backend_uri", ["sqlite"], indirect=True)
def test_local_registry_shares_the_tracking_engine(client: CairnClient) -> None:
    store = client.registry_store

    assert isinstance(store, SqlRegistryStore)
    assert store.engine is client.store.engine  # type: ignore[attr-defined]


@pytest.mark.parametrize("backend_uri", ["sqlite"], indirect=True)
def test_registry_uri_can_point_elsewhere(
    client: CairnClient, settings: Settings, tmp_path: Path
) -> None:
    elsewhere = str(tmp_path / "registry")
    explicit = CairnClient(client.tracking_uri, elsewhere, settings=settings)
    explicit.create_registered_model("only-there")

    assert explicit.registry_uri == elsewhere
    assert explicit.get_registered_model("only-there").name == "only-there"
    with pytest.raises(ResourceDoesNotExist):
        client.get_registered_model("only-there")
    from_env = CairnClient(client.tracking_uri, settings=replace(settings, registry_uri=elsewhere))
    assert from_env.get_registered_model("only-there").name == "only-there"
    fluent.set_registry_uri(elsewhere)
    assert CairnClient(client.tracking_uri, settings=settings).registry_uri == elsewhere
    assert fluent.get_registry_uri() == elsewhere


@pytest.mark.parametrize("backend_uri", ["sqlite"], indirect=True)
def test_offline_mode_says_the_registry_needs_a_store(settings: Settings) -> None:
    offline = CairnClient(settings.tracking_uri, settings=replace(settings, mode="offline"))

    with pytest.raises(NotImplementedByStore, match="needs a tracking server or a local store"):
        offline.create_registered_model("m")


def test_registry_client_docstring_example_runs() -> None:
    try:
        result = doctest.testmod(registry_client, extraglobs={"CairnClient": CairnClient})
    finally:
        close_stores()
    assert result.failed == 0 and result.attempted > 0


def test_registry_uri_variables_cairn_first() -> None:
    both = {"CAIRN_REGISTRY_URI": "/cairn", "MLFLOW_REGISTRY_URI": "/mlflow"}

    assert settings_from_env(both).registry_uri == "/cairn"
    assert settings_from_env({"MLFLOW_REGISTRY_URI": "/mlflow"}).registry_uri == "/mlflow"
    assert settings_from_env({}).registry_uri is None


def test_an_unsupported_registry_uri_is_named_as_such() -> None:
    with pytest.raises(InvalidParameterValue, match="Invalid registry URI: Unsupported"):
        open_registry_store("s3://bucket/registry", Settings())
