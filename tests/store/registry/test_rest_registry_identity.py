"""Through a live server: the name the REST registry store sends in ``X-Cairn-User`` is the
one the server records, on new models and versions and on every audit event."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cairn.store.registry.rest import RestRegistryStore
from live_server import LiveServer


@pytest.fixture
def rest_registry(live_server: LiveServer) -> Iterator[RestRegistryStore]:
    store = RestRegistryStore(live_server.url)
    yield store
    store.close()


def test_given_user_is_recorded_on_entities_and_events(rest_registry: RestRegistryStore) -> None:
    model = rest_registry.create_registered_model("m", user_id="ann")
    version = rest_registry.create_model_version("m", "s3://b/1", user_id="bob")
    rest_registry.transition_model_version_stage("m", 1, "Staging", user_id="cy")
    rest_registry.delete_registered_model_tag("m", "missing", user_id="dee")  # no-op, no event
    assert (model.user_id, version.user_id) == ("ann", "bob")
    assert rest_registry.get_model_version("m", 1).user_id == "bob"
    assert [e.user_id for e in rest_registry.list_events("m")] == ["ann", "bob", "cy"]


def test_local_user_is_recorded_when_none_is_given(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LOGNAME", "carol")
    store = RestRegistryStore(live_server.url)
    try:
        store.create_registered_model("m")
        store.set_registered_model_alias(
            "m", "a", store.create_model_version("m", "s3://b").version
        )
        assert store.get_registered_model("m").user_id == "carol"
        assert {e.user_id for e in store.list_events("m")} == {"carol"}
    finally:
        store.close()
