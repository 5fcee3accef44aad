"""Registered models: create, rename, update, delete, tags, and MLflow's error codes."""

from __future__ import annotations

import pytest

from cairn.entities import ModelVersionStage, RegisteredModelTag
from cairn.errors import InvalidParameterValue, ResourceAlreadyExists, ResourceDoesNotExist
from cairn.store.registry.base import RegistryStore


def test_create_returns_model_with_tags_and_description(registry_store: RegistryStore) -> None:
    model = registry_store.create_registered_model(
        "fraud", tags=[RegisteredModelTag("team", "risk")], description="d", user_id="ann"
    )
    assert model.name == "fraud"
    assert model.tag_dict == {"team": "risk"}
    assert model.description == "d"
    assert model.user_id == "ann"
    assert model.creation_timestamp == model.last_updated_timestamp
    assert registry_store.get_registered_model("fraud") == model


def test_create_existing_name_is_resource_already_exists(registry_store: RegistryStore) -> None:
    registry_store.create_registered_model("fraud")
    with pytest.raises(ResourceAlreadyExists, match=r"Registered Model \(name=fraud\)") as info:
        registry_store.create_registered_model("fraud")
    assert info.value.error_code == "RESOURCE_ALREADY_EXISTS"
    assert info.value.http_status == 400


def test_names_are_case_sensitive(registry_store: RegistryStore) -> None:
    registry_store.create_registered_model("fraud")
    assert registry_store.create_registered_model("Fraud").name == "Fraud"


@pytest.mark.parametrize("name", ["", "  ", "a/b", "a:b", "../x", "a/../b"])
def test_create_rejects_bad_names(registry_store: RegistryStore, name: str) -> None:
    with pytest.raises(InvalidParameterValue) as info:
        registry_store.create_registered_model(name)
    assert info.value.error_code == "INVALID_PARAMETER_VALUE"


def test_unknown_model_is_resource_does_not_exist(registry_store: RegistryStore) -> None:
    with pytest.raises(ResourceDoesNotExist) as info:
        registry_store.get_registered_model("nope")
    assert info.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert info.value.http_status == 404
    with pytest.raises(ResourceDoesNotExist):
        registry_store.delete_registered_model("nope")
    with pytest.raises(ResourceDoesNotExist):
        registry_store.create_model_version("nope", "s3://b/m")


def test_rename_keeps_versions_tags_and_aliases(registry_store: RegistryStore) -> None:
    registry_store.create_registered_model("old", tags=[RegisteredModelTag("k", "v")])
    registry_store.create_model_version("old", "s3://b/1")
    registry_store.create_model_version("old", "s3://b/2")
    registry_store.set_registered_model_alias("old", "champion", 2)
    renamed = registry_store.rename_registered_model("old", "new")
    assert renamed.name == "new"
    assert renamed.tag_dict == {"k": "v"}
    assert renamed.alias_dict == {"champion": 2}
    assert registry_store.get_model_version("new", 1).name == "new"
    assert registry_store.get_model_version_by_alias("new", "champion").version == 2
    with pytest.raises(ResourceDoesNotExist):
        registry_store.get_registered_model("old")
    assert registry_store.create_model_version("new", "s3://b/3").version == 3


def test_rename_to_existing_name_is_resource_already_exists(
    registry_store: RegistryStore,
) -> None:
    registry_store.create_registered_model("a")
    registry_store.create_registered_model("b")
    with pytest.raises(ResourceAlreadyExists):
        registry_store.rename_registered_model("a", "b")


def test_update_sets_and_clears_description(registry_store: RegistryStore) -> None:
    registry_store.create_registered_model("m", description="first")
    assert registry_store.update_registered_model("m", "second").description == "second"
    assert registry_store.update_registered_model("m", None).description is None


def test_delete_removes_model_with_versions(registry_store: RegistryStore) -> None:
    registry_store.create_registered_model("m")
    registry_store.create_model_version("m", "s3://b/1")
    registry_store.delete_registered_model("m")
    with pytest.raises(ResourceDoesNotExist):
        registry_store.get_registered_model("m")
    assert len(registry_store.search_model_versions("name = 'm'")) == 0
    registry_store.create_registered_model("m")
    assert registry_store.create_model_version("m", "s3://b/1").version == 1


def test_tags_upsert_and_delete_missing_is_noop(registry_store: RegistryStore) -> None:
    registry_store.create_registered_model("m")
    registry_store.set_registered_model_tag("m", "k", "1")
    registry_store.set_registered_model_tag("m", "k", "2")
    assert registry_store.get_registered_model("m").tag_dict == {"k": "2"}
    registry_store.delete_registered_model_tag("m", "k")
    registry_store.delete_registered_model_tag("m", "k")
    assert registry_store.get_registered_model("m").tag_dict == {}
    with pytest.raises(ResourceDoesNotExist):
        registry_store.set_registered_model_tag("nope", "k", "v")


def test_latest_versions_hold_highest_version_per_stage(registry_store: RegistryStore) -> None:
    registry_store.create_registered_model("m")
    for i in range(1, 5):
        registry_store.create_model_version("m", f"s3://b/{i}")
    registry_store.transition_model_version_stage("m", 1, "production")
    registry_store.transition_model_version_stage("m", 2, "Staging")
    registry_store.transition_model_version_stage("m", 3, "STAGING")
    latest = {mv.current_stage: mv.version for mv in registry_store.get_latest_versions("m")}
    assert latest == {
        ModelVersionStage.PRODUCTION: 1,
        ModelVersionStage.STAGING: 3,
        ModelVersionStage.NONE: 4,
    }
    staging = registry_store.get_latest_versions("m", ["staging"])
    assert [mv.version for mv in staging] == [3]
    model = registry_store.get_registered_model("m")
    assert sorted(mv.version for mv in model.latest_versions) == [1, 3, 4]
