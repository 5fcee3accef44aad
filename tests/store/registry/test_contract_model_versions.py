"""Model versions: numbering, soft delete, stages, tags and MLflow's error codes."""

from __future__ import annotations

import pytest

from cairn.entities import ModelVersionStage, ModelVersionStatus, ModelVersionTag
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.store.registry.base import RegistryStore


@pytest.fixture
def model(registry_store: RegistryStore) -> str:
    registry_store.create_registered_model("m")
    return "m"


def test_versions_increment_from_one(registry_store: RegistryStore, model: str) -> None:
    first = registry_store.create_model_version(
        model, "s3://b/1", run_id="r1", tags=[ModelVersionTag("k", "v")], user_id="ann"
    )
    assert first.version == 1
    assert first.current_stage is ModelVersionStage.NONE
    assert first.status is ModelVersionStatus.READY
    assert first.tag_dict == {"k": "v"}
    assert (first.run_id, first.user_id, first.source) == ("r1", "ann", "s3://b/1")
    assert registry_store.create_model_version(model, "s3://b/2").version == 2


def test_version_numbers_are_not_reused_after_delete(
    registry_store: RegistryStore, model: str
) -> None:
    for i in (1, 2, 3):
        registry_store.create_model_version(model, f"s3://b/{i}")
    registry_store.delete_model_version(model, 3)
    registry_store.delete_model_version(model, "2")
    assert registry_store.create_model_version(model, "s3://b/4").version == 4


def test_deleted_version_disappears_from_every_read(
    registry_store: RegistryStore, model: str
) -> None:
    registry_store.create_model_version(model, "s3://b/1")
    registry_store.create_model_version(model, "s3://b/2")
    registry_store.transition_model_version_stage(model, 2, "Production")
    registry_store.set_registered_model_alias(model, "champion", 2)
    registry_store.delete_model_version(model, 2)
    with pytest.raises(ResourceDoesNotExist, match=r"version=2"):
        registry_store.get_model_version(model, 2)
    with pytest.raises(ResourceDoesNotExist):
        registry_store.delete_model_version(model, 2)
    assert [mv.version for mv in registry_store.search_model_versions(f"name = '{model}'")] == [1]
    assert registry_store.get_latest_versions(model, ["Production"]) == []
    assert registry_store.get_registered_model(model).aliases == ()
    assert registry_store.get_model_version_by_alias(model, "latest").version == 1


def test_version_must_be_an_integer(registry_store: RegistryStore, model: str) -> None:
    with pytest.raises(InvalidParameterValue) as info:
        registry_store.get_model_version(model, "one")
    assert info.value.error_code == "INVALID_PARAMETER_VALUE"


def test_unknown_version_is_resource_does_not_exist(
    registry_store: RegistryStore, model: str
) -> None:
    with pytest.raises(ResourceDoesNotExist) as info:
        registry_store.get_model_version(model, 7)
    assert info.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_update_changes_description(registry_store: RegistryStore, model: str) -> None:
    registry_store.create_model_version(model, "s3://b/1")
    assert registry_store.update_model_version(model, 1, "better").description == "better"


def test_update_without_description_clears_it(registry_store: RegistryStore, model: str) -> None:
    """MLflow's server passes an absent description on as None, which clears it."""
    registry_store.create_model_version(model, "s3://b/1", description="first")
    assert registry_store.update_model_version(model, 1, None).description is None
    assert registry_store.get_model_version(model, 1).description is None


def test_stage_is_matched_case_insensitively(registry_store: RegistryStore, model: str) -> None:
    registry_store.create_model_version(model, "s3://b/1")
    mv = registry_store.transition_model_version_stage(model, 1, "pRoDuCtIoN")
    assert mv.current_stage is ModelVersionStage.PRODUCTION


def test_unknown_stage_is_rejected_listing_valid_ones(
    registry_store: RegistryStore, model: str
) -> None:
    registry_store.create_model_version(model, "s3://b/1")
    with pytest.raises(InvalidParameterValue, match="None, Staging, Production, Archived"):
        registry_store.transition_model_version_stage(model, 1, "Deleted_Internal")


def test_archive_existing_versions_archives_others_in_target_stage(
    registry_store: RegistryStore, model: str
) -> None:
    for i in (1, 2, 3, 4):
        registry_store.create_model_version(model, f"s3://b/{i}")
    registry_store.transition_model_version_stage(model, 1, "Production")
    registry_store.transition_model_version_stage(model, 2, "Production")
    registry_store.transition_model_version_stage(model, 3, "Staging")
    registry_store.transition_model_version_stage(
        model, 4, "Production", archive_existing_versions=True
    )
    stages = {v: registry_store.get_model_version(model, v).current_stage for v in (1, 2, 3, 4)}
    assert stages == {
        1: ModelVersionStage.ARCHIVED,
        2: ModelVersionStage.ARCHIVED,
        3: ModelVersionStage.STAGING,
        4: ModelVersionStage.PRODUCTION,
    }


def test_archive_existing_versions_needs_an_active_stage(
    registry_store: RegistryStore, model: str
) -> None:
    registry_store.create_model_version(model, "s3://b/1")
    with pytest.raises(InvalidParameterValue):
        registry_store.transition_model_version_stage(
            model, 1, "Archived", archive_existing_versions=True
        )


def test_version_tags_upsert_and_delete(registry_store: RegistryStore, model: str) -> None:
    registry_store.create_model_version(model, "s3://b/1")
    registry_store.set_model_version_tag(model, 1, "k", "1")
    registry_store.set_model_version_tag(model, "1", "k", "2")
    assert registry_store.get_model_version(model, 1).tag_dict == {"k": "2"}
    registry_store.delete_model_version_tag(model, 1, "k")
    registry_store.delete_model_version_tag(model, 1, "k")
    assert registry_store.get_model_version(model, 1).tag_dict == {}


def test_download_uri_is_the_source(registry_store: RegistryStore, model: str) -> None:
    registry_store.create_model_version(model, "s3://bucket/path/model")
    assert registry_store.get_model_version_download_uri(model, 1) == "s3://bucket/path/model"


def test_new_version_updates_model_timestamp(registry_store: RegistryStore, model: str) -> None:
    before = registry_store.get_registered_model(model).last_updated_timestamp
    mv = registry_store.create_model_version(model, "s3://b/1")
    after = registry_store.get_registered_model(model).last_updated_timestamp
    assert after == mv.creation_timestamp > before
