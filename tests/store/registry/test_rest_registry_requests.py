"""What the REST registry store sends and how it reads answers: MLflow's own client is the
yardstick for methods, paths and fields (both clients talk to the same recording stub), and
``X-Cairn-User`` carries who made each change."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from mlflow.entities.model_registry import ModelVersionTag as MlflowVersionTag
from mlflow.entities.model_registry import RegisteredModelTag as MlflowModelTag
from mlflow.store.model_registry.rest_store import RestStore as MlflowRestStore
from mlflow.utils.rest_utils import MlflowHostCreds
from rest_stub import FAST, Answer, Seen, StubServer

from cairn.entities import (
    ModelVersionStage,
    ModelVersionStatus,
    ModelVersionTag,
    RegisteredModelTag,
    RegistryEventType,
)
from cairn.errors import ServiceUnavailable
from cairn.store.registry.rest import RestRegistryStore, user_header_value
from cairn.store.tracking.rest import HttpConfig

VERSION = {"name": "m", "version": "1", "creation_timestamp": 5, "current_stage": "None"}
#: One answer that satisfies every registry call of both clients.
ANYTHING = {
    "registered_model": {"name": "m", "creation_timestamp": 5},
    "registered_models": [{"name": "m"}],
    "model_version": VERSION,
    "model_versions": [VERSION],
    "artifact_uri": "s3://b/1",
}
WireRequest = tuple[str, str, list[tuple[str, str]], Any]


@pytest.fixture
def store(stub: StubServer) -> Iterator[RestRegistryStore]:
    stub.answer(Answer(200, ANYTHING))
    rest = RestRegistryStore(stub.url, FAST)
    yield rest
    rest.close()


def _wire(seen: Seen) -> WireRequest:
    """Query pairs sorted by key only: a repeated key (``order_by``) keeps its order."""
    query = sorted(seen.query, key=lambda pair: pair[0])
    return seen.method, seen.path, query, seen.json() if seen.body else None


Call = Callable[[Any], object]
# (MLflow's RestStore call, the same operation on RestRegistryStore)
SAME_CALLS: dict[str, tuple[Call, Call]] = {
    "create-model": (
        lambda m: m.create_registered_model("m", [MlflowModelTag("k", "v")], "d"),
        lambda c: c.create_registered_model("m", [RegisteredModelTag("k", "v")], "d"),
    ),
    "create-model-bare": (
        lambda m: m.create_registered_model("m"),
        lambda c: c.create_registered_model("m"),
    ),
    "rename": (
        lambda m: m.rename_registered_model("m", "n"),
        lambda c: c.rename_registered_model("m", "n"),
    ),
    "update-model": (
        lambda m: m.update_registered_model("m", "d"),
        lambda c: c.update_registered_model("m", "d"),
    ),
    "update-model-clear": (
        lambda m: m.update_registered_model("m", None),
        lambda c: c.update_registered_model("m", None),
    ),
    "delete-model": (
        lambda m: m.delete_registered_model("m"),
        lambda c: c.delete_registered_model("m"),
    ),
    "get-model": (lambda m: m.get_registered_model("m"), lambda c: c.get_registered_model("m")),
    "search-models": (
        lambda m: m.search_registered_models("name LIKE 'a%'", 7, ["name", "timestamp"], "t"),
        lambda c: c.search_registered_models("name LIKE 'a%'", 7, ["name", "timestamp"], "t"),
    ),
    "latest-versions": (
        lambda m: m.get_latest_versions("m", ["Staging", "Production"]),
        lambda c: c.get_latest_versions("m", ["Staging", ModelVersionStage.PRODUCTION]),
    ),
    "latest-versions-all": (
        lambda m: m.get_latest_versions("m"),
        lambda c: c.get_latest_versions("m"),
    ),
    "set-model-tag": (
        lambda m: m.set_registered_model_tag("m", MlflowModelTag("k", "v")),
        lambda c: c.set_registered_model_tag("m", "k", "v"),
    ),
    "delete-model-tag": (
        lambda m: m.delete_registered_model_tag("m", "k"),
        lambda c: c.delete_registered_model_tag("m", "k"),
    ),
    "set-alias": (
        lambda m: m.set_registered_model_alias("m", "champ", 3),
        lambda c: c.set_registered_model_alias("m", "champ", 3),
    ),
    "delete-alias": (
        lambda m: m.delete_registered_model_alias("m", "champ"),
        lambda c: c.delete_registered_model_alias("m", "champ"),
    ),
    "get-by-alias": (
        lambda m: m.get_model_version_by_alias("m", "champ"),
        lambda c: c.get_model_version_by_alias("m", "champ"),
    ),
    "create-version": (
        lambda m: m.create_model_version(
            "m", "s3://b/1", "r1", [MlflowVersionTag("k", "v")], "http://l", "d", model_id="m-1"
        ),
        lambda c: c.create_model_version(
            "m", "s3://b/1", "r1", [ModelVersionTag("k", "v")], "http://l", "d", model_id="m-1"
        ),
    ),
    "create-version-bare": (
        lambda m: m.create_model_version("m", "s3://b/1"),
        lambda c: c.create_model_version("m", "s3://b/1"),
    ),
    "update-version": (
        lambda m: m.update_model_version("m", 2, "d"),
        lambda c: c.update_model_version("m", 2, "d"),
    ),
    "transition": (
        lambda m: m.transition_model_version_stage("m", 2, "Production", False),
        lambda c: c.transition_model_version_stage("m", "2", "Production"),
    ),
    "transition-archive": (
        lambda m: m.transition_model_version_stage("m", 2, "Staging", True),
        lambda c: c.transition_model_version_stage("m", 2, ModelVersionStage.STAGING, True),
    ),
    "delete-version": (
        lambda m: m.delete_model_version("m", 2),
        lambda c: c.delete_model_version("m", 2),
    ),
    "get-version": (lambda m: m.get_model_version("m", 2), lambda c: c.get_model_version("m", 2)),
    "search-versions": (
        lambda m: m.search_model_versions("name = 'm'", 10, ["version_number ASC"], "t"),
        lambda c: c.search_model_versions("name = 'm'", 10, ["version_number ASC"], "t"),
    ),
    "download-uri": (
        lambda m: m.get_model_version_download_uri("m", 2),
        lambda c: c.get_model_version_download_uri("m", 2),
    ),
    "set-version-tag": (
        lambda m: m.set_model_version_tag("m", 2, MlflowVersionTag("k", "v")),
        lambda c: c.set_model_version_tag("m", 2, "k", "v"),
    ),
    "delete-version-tag": (
        lambda m: m.delete_model_version_tag("m", 2, "k"),
        lambda c: c.delete_model_version_tag("m", 2, "k"),
    ),
}


@pytest.mark.parametrize("operation", sorted(SAME_CALLS))
def test_requests_match_mlflows_client(
    stub: StubServer, store: RestRegistryStore, monkeypatch: pytest.MonkeyPatch, operation: str
) -> None:
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
    mlflow_call, cairn_call = SAME_CALLS[operation]
    mlflow_call(MlflowRestStore(lambda: MlflowHostCreds(stub.url)))
    expected = [_wire(seen) for seen in stub.seen]
    assert expected, "MLflow's client sent nothing"
    del stub.seen[:]
    cairn_call(store)
    assert [_wire(seen) for seen in stub.seen] == expected


def test_changes_carry_the_given_user_and_reads_carry_none(
    stub: StubServer, store: RestRegistryStore
) -> None:
    store.create_model_version("m", "s3://b/1", user_id="ann")
    store.delete_registered_model_alias("m", "a", user_id="bob")
    store.get_model_version("m", 1)
    store.search_registered_models()
    users = [seen.headers.get("x-cairn-user") for seen in stub.seen]
    assert users == ["ann", "bob", None, None]


def test_without_user_id_the_local_user_name_is_sent(
    stub: StubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    stub.answer(Answer(200, ANYTHING))
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LOGNAME", "carol")
    with_login = RestRegistryStore(stub.url, FAST)
    with_login.set_registered_model_tag("m", "k", "v")
    with_login.close()
    configured = RestRegistryStore(stub.url, HttpConfig(username="dave", password="pw"))
    configured.set_registered_model_tag("m", "k", "v")
    configured.close()
    assert [seen.headers.get("x-cairn-user") for seen in stub.seen] == ["carol", "dave"]


def test_user_names_are_made_safe_for_a_header(stub: StubServer, store: RestRegistryStore) -> None:
    store.set_registered_model_tag("m", "k", "v", user_id=" józef\r\nX-Evil: 1 ")
    assert stub.seen[0].headers["x-cairn-user"] == "j%C3%B3zefX-Evil: 1"
    assert "x-evil" not in stub.seen[0].headers
    assert user_header_value("a%b") == "a%25b"
    assert user_header_value("x" * 300) == "x" * 256
    assert user_header_value("\n\t ") is None


def test_only_changes_that_converge_are_retried(stub: StubServer, store: RestRegistryStore) -> None:
    unavailable = Answer(503, {"error_code": "TEMPORARILY_UNAVAILABLE", "message": "busy"})
    stub.answer(unavailable, Answer(200, ANYTHING))
    with pytest.raises(ServiceUnavailable):
        store.create_model_version("m", "s3://b/1")
    assert len(stub.seen) == 1
    stub.answer(unavailable, Answer(200, {}))
    store.set_model_version_tag("m", 1, "k", "v")
    assert [seen.path.rsplit("/", 1)[-1] for seen in stub.seen[1:]] == ["set-tag", "set-tag"]


def test_latest_versions_fall_back_to_get_on_an_older_server(
    stub: StubServer, store: RestRegistryStore
) -> None:
    stub.answer(Answer(404, "<html>Not Found</html>"), Answer(200, {"model_versions": [VERSION]}))
    found = store.get_latest_versions("m", ["Staging"])
    assert [mv.version for mv in found] == [1]
    assert [(seen.method, sorted(seen.query)) for seen in stub.seen] == [
        ("POST", []),
        ("GET", [("name", "m"), ("stages", "Staging")]),
    ]


def test_search_pages_carry_the_next_token(stub: StubServer, store: RestRegistryStore) -> None:
    stub.answer(
        Answer(200, {"registered_models": [{"name": "a"}], "next_page_token": "tok"}),
        Answer(200, {}),
    )
    first = store.search_registered_models(max_results=1)
    assert ([m.name for m in first], first.next_page_token) == (["a"], "tok")
    rest = store.search_model_versions(page_token="tok")
    assert (list(rest), rest.next_page_token) == ([], None)


def test_events_come_from_cairns_own_endpoint(stub: StubServer, store: RestRegistryStore) -> None:
    event = {
        "event_id": 4,
        "name": "m",
        "version": "2",
        "event_type": "stage_transitioned",
        "user_id": "ann",
        "timestamp": 9,
        "details": {"from": "None", "to": "Staging"},
    }
    stub.answer(Answer(200, {"events": [event]}))
    (found,) = store.list_events("m", version=2)
    assert (found.version, found.event_type, found.details["to"]) == (
        2,
        RegistryEventType.STAGE_TRANSITIONED,
        "Staging",
    )
    seen = stub.seen[0]
    assert (seen.method, seen.path) == ("GET", "/api/2.0/cairn/registry/events")
    assert sorted(seen.query) == [("name", "m"), ("version", "2")]
    stub.answer(Answer(200, {}))
    assert store.list_events("m") == []
    assert stub.seen[1].query == [("name", "m")]


def test_sparse_answers_of_other_servers_are_read(
    stub: StubServer, store: RestRegistryStore
) -> None:
    """Stock protobuf JSON: int64s and versions as strings, unset fields absent, nulls."""
    stub.answer(
        Answer(
            200,
            {
                "model_version": {
                    "name": "m",
                    "version": "7",
                    "creation_timestamp": "5",
                    "status": "3",
                    "tags": None,
                }
            },
        ),
        Answer(
            200,
            {
                "registered_model": {
                    "name": "m",
                    "aliases": [{"alias": "a", "version": 2}],
                    "tags": [{"key": "k"}],
                    "latest_versions": None,
                }
            },
        ),
    )
    mv = store.get_model_version("m", 7)
    assert (mv.version, mv.creation_timestamp, mv.status) == (7, 5, ModelVersionStatus.READY)
    assert (mv.description, mv.run_id, mv.current_stage, mv.tags) == (
        None,
        None,
        ModelVersionStage.NONE,
        (),
    )
    model = store.get_registered_model("m")
    assert (model.alias_dict, model.tag_dict, model.latest_versions) == ({"a": 2}, {"k": ""}, ())
    assert model.description is None
