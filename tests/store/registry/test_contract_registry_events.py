"""The audit history: every change leaves an event, and the events answer questions about
the past such as "which version was Production at time T".

Tests about exact instants drive the store's clock, so they run on ``sql_registry_store``
only; everything else runs on every store kind.
"""

from __future__ import annotations

import pytest
from registry_clock import FakeClock

from cairn.entities import ModelVersionStage, RegistryEventType
from cairn.errors import InvalidParameterValue
from cairn.store.registry.base import RegistryStore
from cairn.store.registry.history import versions_in_stage_at
from cairn.store.registry.sql.store import SqlRegistryStore

PRODUCTION = ModelVersionStage.PRODUCTION


def test_every_change_writes_one_event_with_user_in_order(registry_store: RegistryStore) -> None:
    registry_store.create_registered_model("m", user_id="ann")
    registry_store.create_model_version("m", "s3://b/1", user_id="ann")
    registry_store.set_registered_model_tag("m", "k", "v", user_id="bob")
    registry_store.delete_registered_model_tag("m", "k", user_id="bob")
    registry_store.update_registered_model("m", "desc", user_id="bob")
    registry_store.set_model_version_tag("m", 1, "k", "v", user_id="cy")
    registry_store.delete_model_version_tag("m", 1, "k", user_id="cy")
    registry_store.update_model_version("m", 1, "d", user_id="cy")
    registry_store.transition_model_version_stage("m", 1, "Staging", user_id="dee")
    registry_store.set_registered_model_alias("m", "a", 1, user_id="dee")
    registry_store.delete_registered_model_alias("m", "a", user_id="dee")
    registry_store.delete_model_version("m", 1, user_id="eve")
    history = registry_store.list_events("m")
    assert [e.event_type for e in history] == [
        RegistryEventType.MODEL_CREATED,
        RegistryEventType.VERSION_CREATED,
        RegistryEventType.MODEL_TAG_SET,
        RegistryEventType.MODEL_TAG_DELETED,
        RegistryEventType.MODEL_DESCRIPTION_CHANGED,
        RegistryEventType.VERSION_TAG_SET,
        RegistryEventType.VERSION_TAG_DELETED,
        RegistryEventType.VERSION_DESCRIPTION_CHANGED,
        RegistryEventType.STAGE_TRANSITIONED,
        RegistryEventType.ALIAS_SET,
        RegistryEventType.ALIAS_DELETED,
        RegistryEventType.VERSION_DELETED,
    ]
    users = [e.user_id for e in history]
    assert users == ["ann"] * 2 + ["bob"] * 3 + ["cy"] * 3 + ["dee"] * 3 + ["eve"]
    timestamps = [e.timestamp for e in history]
    assert timestamps == sorted(timestamps)
    assert history[8].details["from"] == "None"
    assert history[8].details["to"] == "Staging"
    assert {e.version for e in registry_store.list_events("m", version=1)} == {1}


def test_noop_deletes_write_no_event(registry_store: RegistryStore) -> None:
    registry_store.create_registered_model("m")
    registry_store.delete_registered_model_tag("m", "missing")
    registry_store.delete_registered_model_alias("m", "missing")
    assert len(registry_store.list_events("m")) == 1


def test_failed_change_writes_no_event(registry_store: RegistryStore) -> None:
    registry_store.create_registered_model("m")
    registry_store.create_model_version("m", "s3://b/1")
    with pytest.raises(InvalidParameterValue):
        registry_store.transition_model_version_stage("m", 1, "Bogus")
    assert len(registry_store.list_events("m")) == 2


def test_history_follows_rename_and_survives_delete(registry_store: RegistryStore) -> None:
    registry_store.create_registered_model("old")
    registry_store.rename_registered_model("old", "new")
    assert registry_store.list_events("old") == []
    renamed = registry_store.list_events("new")
    assert renamed[-1].event_type is RegistryEventType.MODEL_RENAMED
    assert renamed[-1].details == {"old_name": "old", "new_name": "new"}
    registry_store.delete_registered_model("new")
    assert registry_store.list_events("new")[-1].event_type is RegistryEventType.MODEL_DELETED


def test_events_are_stamped_by_the_store_clock(
    sql_registry_store: SqlRegistryStore, clock: FakeClock
) -> None:
    sql_registry_store.create_registered_model("m", user_id="ann")
    created = clock.now
    sql_registry_store.set_registered_model_tag("m", "k", "v", user_id="bob")
    assert [e.timestamp for e in sql_registry_store.list_events("m")] == [created, clock.now]


def test_events_answer_which_version_was_production_at_time_t(
    sql_registry_store: SqlRegistryStore, clock: FakeClock
) -> None:
    registry_store = sql_registry_store
    registry_store.create_registered_model("m")
    for i in (1, 2, 3):
        registry_store.create_model_version("m", f"s3://b/{i}")
    registry_store.transition_model_version_stage("m", 1, "Production")
    t_v1 = clock.advance(1000)
    registry_store.transition_model_version_stage(
        "m", 2, "Production", archive_existing_versions=True
    )
    t_v2 = clock.advance(1000)
    registry_store.transition_model_version_stage("m", 3, "Production")
    t_v2_v3 = clock.advance(1000)
    registry_store.delete_model_version("m", 2)
    t_v3 = clock.advance(1000)

    history = registry_store.list_events("m")
    assert versions_in_stage_at(history, PRODUCTION, t_v1) == {1}
    assert versions_in_stage_at(history, PRODUCTION, t_v2) == {2}
    assert versions_in_stage_at(history, PRODUCTION, t_v2_v3) == {2, 3}
    assert versions_in_stage_at(history, PRODUCTION, t_v3) == {3}
    assert versions_in_stage_at(history, ModelVersionStage.ARCHIVED, t_v3) == {1}
    archived = [e for e in history if e.version == 1 and e.details.get("to") == "Archived"]
    assert archived[0].details["archived_by_version"] == 2
