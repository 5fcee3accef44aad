"""The OpenAPI document describes the JSON API, and real answers match what it declares."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args

import httpx
import pytest
from pydantic import BaseModel

from cairn.entities import (
    LoggedModelStatus,
    ModelVersionStatus,
    RegistryEventType,
    RunStatus,
    ViewType,
)
from cairn.entities.webhook import WebhookAction, WebhookEntity
from cairn.server.openapi import openapi_document
from cairn.server.routes import ALL_ROUTES
from cairn.server.schemas import _base, registry, tracking, webhooks
from cairn.server.schemas.experiments import SearchExperimentsResponse
from cairn.server.schemas.registry import ModelVersionResponse, SearchRegisteredModelsResponse
from cairn.server.schemas.runs import RunResponse, SearchRunsResponse

API = "/api/2.0/mlflow"

ENTITIES = (
    "Experiment",
    "Run",
    "RunInfo",
    "RunData",
    "RunInputs",
    "RunOutputs",
    "Metric",
    "Param",
    "RunTag",
    "FileInfo",
    "LoggedModel",
    "RegisteredModel",
    "ModelVersion",
    "ErrorResponse",
    "ExperimentKeysResponse",
    "ExportRunsRequest",
    "RunGroupsRequest",
    "RunGroupsResponse",
)


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi_document()


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_document_has_the_entity_schemas(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert set(ENTITIES) <= set(schemas)
    assert set(schemas["RunInfo"]["required"]) >= {"run_id", "status", "start_time"}
    assert schemas["RunInfo"]["properties"]["start_time"]["type"] == "integer"


def test_every_ref_resolves(document: dict[str, Any]) -> None:
    refs = set(_refs(document))
    assert refs
    schemas = document["components"]["schemas"]
    missing = {r for r in refs if r.removeprefix("#/components/schemas/") not in schemas}
    assert not missing


def test_optional_fields_are_optional_and_not_null(document: dict[str, Any]) -> None:
    """The server omits unset fields; the generated TypeScript must say ``end_time?: number``."""
    info = document["components"]["schemas"]["RunInfo"]
    assert "end_time" not in info["required"]
    assert info["properties"]["end_time"]["type"] == "integer"
    assert "default" not in info["properties"]["end_time"]


def _operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    return document["paths"]["/api/2.0" + path][method.lower()]  # type: ignore[no-any-return]


def test_every_schema_route_documents_request_and_answer(document: dict[str, Any]) -> None:
    for route in ALL_ROUTES:
        if route.ajax_only:
            continue
        op = _operation(document, route.method, route.path)
        assert "4XX" in op["responses"]
        if route.response is not None:
            ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/" + route.response.__name__)
        if route.request is None:
            continue
        if route.method == "GET":
            assert op["parameters"], route.path
        else:
            ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/" + route.request.__name__)


def test_get_routes_take_query_parameters(document: dict[str, Any]) -> None:
    op = _operation(document, "GET", "/mlflow/metrics/get-history-bulk-interval")
    params = {p["name"]: p for p in op["parameters"]}
    assert params["run_ids"]["schema"]["type"] == "array"
    assert params["run_ids"]["required"] is True
    assert params["max_results"]["required"] is False
    by_path = _operation(document, "GET", "/mlflow/logged-models/{model_id}")
    assert {"name": "model_id", "in": "path", "required": True, "schema": {"type": "string"}} in (
        by_path["parameters"]
    )


def test_the_csv_export_is_documented_as_a_download(document: dict[str, Any]) -> None:
    op = _operation(document, "POST", "/cairn/runs/export")
    assert set(op["responses"]["200"]["content"]) == {"text/csv"}
    assert op["responses"]["4XX"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ErrorResponse"
    )


@pytest.mark.parametrize(
    ("literal", "members"),
    [
        (_base.RunStatusName, [m.name for m in RunStatus]),
        (_base.ViewTypeName, [m.name for m in ViewType]),
        (tracking.LoggedModelStatusName, [m.name for m in LoggedModelStatus]),
        (registry.ModelVersionStatusName, [m.name for m in ModelVersionStatus]),
        (registry.RegistryEventTypeName, [m.value for m in RegistryEventType]),
        (webhooks.WebhookEntityName, [m.name for m in WebhookEntity]),
        (webhooks.WebhookActionName, [m.name for m in WebhookAction]),
    ],
)
def test_enum_spellings_match_the_entities(literal: Any, members: list[str]) -> None:
    assert list(get_args(literal)) == members


def _valid(model: type[BaseModel], response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    model.model_validate(response.json())


def _rich_run(api: httpx.Client) -> str:
    created = api.post(f"{API}/runs/create", json={"experiment_id": "0", "start_time": 5})
    run_id: str = created.json()["run"]["info"]["run_id"]
    batch = {
        "run_id": run_id,
        "metrics": [
            {"key": "loss", "value": "NaN", "timestamp": 1},
            {"key": "acc", "value": 0.5, "timestamp": 1, "step": 3},
        ],
        "params": [{"key": "lr", "value": "0.1"}],
        "tags": [{"key": "team", "value": "a"}],
    }
    assert api.post(f"{API}/runs/log-batch", json=batch).json() == {}
    dataset = {"name": "d", "digest": "x", "source_type": "code", "source": "{}", "schema": "{}"}
    inputs = {
        "run_id": run_id,
        "datasets": [
            {"dataset": dataset, "tags": [{"key": "mlflow.data.context", "value": "train"}]}
        ],
    }
    assert api.post(f"{API}/runs/log-inputs", json=inputs).status_code == 200
    api.post(f"{API}/runs/update", json={"run_id": run_id, "status": "FINISHED", "end_time": 9})
    return run_id


def test_run_answers_match_their_schemas(api: httpx.Client) -> None:
    run_id = _rich_run(api)
    found = api.post(f"{API}/runs/search", json={"experiment_ids": ["0"]})
    _valid(SearchRunsResponse, found)
    assert found.json()["runs"][0]["inputs"]["dataset_inputs"]
    _valid(RunResponse, api.get(f"{API}/runs/get", params={"run_id": run_id}))
    _valid(SearchRunsResponse, api.post(f"{API}/runs/search", json={"experiment_ids": ["9"]}))


def test_experiment_search_matches_its_schema(api: httpx.Client) -> None:
    api.post(f"{API}/experiments/create", json={"name": "e", "tags": [{"key": "k", "value": "v"}]})
    found = api.post(f"{API}/experiments/search", json={"max_results": 10})
    _valid(SearchExperimentsResponse, found)
    assert len(found.json()["experiments"]) == 2


def test_registry_answers_match_their_schemas(api: httpx.Client) -> None:
    run_id = _rich_run(api)
    api.post(f"{API}/registered-models/create", json={"name": "m", "description": "d"})
    source = f"runs:/{run_id}/model"
    created = api.post(
        f"{API}/model-versions/create",
        json={
            "name": "m",
            "source": source,
            "run_id": run_id,
            "tags": [{"key": "a", "value": "b"}],
        },
    )
    assert created.status_code == 200, created.text
    api.post(f"{API}/registered-models/alias", json={"name": "m", "alias": "champ", "version": "1"})
    api.post(
        f"{API}/model-versions/transition-stage",
        json={"name": "m", "version": "1", "stage": "Staging", "archive_existing_versions": False},
    )
    _valid(SearchRegisteredModelsResponse, api.get(f"{API}/registered-models/search"))
    assert api.get(f"{API}/registered-models/search").json()["registered_models"][0]["aliases"]
    _valid(
        ModelVersionResponse,
        api.get(f"{API}/model-versions/get", params={"name": "m", "version": "1"}),
    )


def test_error_answers_match_the_error_schema(api: httpx.Client) -> None:
    missing = api.get(f"{API}/runs/get", params={"run_id": "0" * 32})
    assert missing.status_code == 404
    _base.ErrorResponse.model_validate(missing.json())


def test_schemas_do_not_validate_requests(api: httpx.Client) -> None:
    """Documentation only: a body the schema would reject still reaches our own parser."""
    found = api.post(
        f"{API}/runs/search", json={"experiment_ids": ["0"], "max_results": "5", "extra": 1}
    )
    assert found.status_code == 200, found.text
