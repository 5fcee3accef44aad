"""Aliases: set, move, delete, reserved names, and lookups by alias."""

from __future__ import annotations

import pytest

from cairn.entities import RegistryEventType
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.store.registry.base import RegistryStore


@pytest.fixture
def model(registry_store: RegistryStore) -> str:
    registry_store.create_registered_model("m")
    for i in (1, 2, 3):
        registry_store.create_model_version("m", f"s3://b/{i}")
    return "m"


def test_alias_moves_and_event_records_previous_version(
    registry_store: RegistryStore, model: str
) -> None:
    registry_store.set_registered_model_alias(model, "champion", 1, user_id="ann")
    registry_store.set_registered_model_alias(model, "champion", "2", user_id="bob")
    assert registry_store.get_model_version_by_alias(model, "champion").version == 2
    assert registry_store.get_model_version(model, 2).aliases == ("champion",)
    assert registry_store.get_model_version(model, 1).aliases == ()
    moves = [
        e for e in registry_store.list_events(model) if e.event_type is RegistryEventType.ALIAS_SET
    ]
    assert [(e.user_id, e.details) for e in moves] == [
        ("ann", {"alias": "champion", "version": 1, "previous_version": None}),
        ("bob", {"alias": "champion", "version": 2, "previous_version": 1}),
    ]


@pytest.mark.parametrize("alias", ["latest", "LATEST", "Latest", "v1", "V12"])
def test_reserved_aliases_are_rejected(
    registry_store: RegistryStore, model: str, alias: str
) -> None:
    with pytest.raises(InvalidParameterValue) as info:
        registry_store.set_registered_model_alias(model, alias, 1)
    assert info.value.error_code == "INVALID_PARAMETER_VALUE"


@pytest.mark.parametrize("alias", ["", "a b", "a.b", "x" * 256])
def test_malformed_aliases_are_rejected(
    registry_store: RegistryStore, model: str, alias: str
) -> None:
    with pytest.raises(InvalidParameterValue):
        registry_store.set_registered_model_alias(model, alias, 1)


def test_alias_must_point_at_a_live_version(registry_store: RegistryStore, model: str) -> None:
    with pytest.raises(ResourceDoesNotExist):
        registry_store.set_registered_model_alias(model, "champion", 9)


def test_latest_resolves_to_highest_live_version(registry_store: RegistryStore, model: str) -> None:
    assert registry_store.get_model_version_by_alias(model, "latest").version == 3
    registry_store.delete_model_version(model, 3)
    assert registry_store.get_model_version_by_alias(model, "Latest").version == 2


def test_unknown_alias_is_invalid_parameter_value(
    registry_store: RegistryStore, model: str
) -> None:
    with pytest.raises(InvalidParameterValue, match="alias nope not found"):
        registry_store.get_model_version_by_alias(model, "nope")


def test_delete_alias_and_missing_alias_is_noop(registry_store: RegistryStore, model: str) -> None:
    registry_store.set_registered_model_alias(model, "champion", 1)
    registry_store.delete_registered_model_alias(model, "champion")
    registry_store.delete_registered_model_alias(model, "champion")
    assert registry_store.get_registered_model(model).aliases == ()
