"""Search over registered models (reference 4.4) and model versions (4.5)."""

from __future__ import annotations

import pytest

from cairn.entities import RegisteredModelTag
from cairn.errors import InvalidParameterValue
from cairn.store.registry.base import RegistryStore

PROMPT_CLAUSE = "tags.`mlflow.prompt.is_prompt` != 'true'"


@pytest.fixture
def models(registry_store: RegistryStore) -> RegistryStore:
    registry_store.create_registered_model("fraud-A", tags=[RegisteredModelTag("team", "risk")])
    registry_store.create_registered_model("fraud-b", tags=[RegisteredModelTag("team", "Risk")])
    registry_store.create_registered_model("churn", tags=[RegisteredModelTag("team", "growth")])
    registry_store.create_registered_model(
        "my-prompt", tags=[RegisteredModelTag("mlflow.prompt.is_prompt", "true")]
    )
    return registry_store


def _names(store: RegistryStore, filter_string: str | None, **kw: object) -> list[str]:
    return [m.name for m in store.search_registered_models(filter_string, **kw)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("filter_string", "expected"),
    [
        (None, ["churn", "fraud-A", "fraud-b", "my-prompt"]),
        ("name = 'churn'", ["churn"]),
        ("name != 'churn'", ["fraud-A", "fraud-b", "my-prompt"]),
        ("name LIKE 'fraud%'", ["fraud-A", "fraud-b"]),
        ("name LIKE 'FRAUD%'", []),
        ("name ILIKE 'FRAUD-_'", ["fraud-A", "fraud-b"]),
        ("name IN ('churn', 'fraud-A')", ["churn", "fraud-A"]),
        ("name NOT IN ('churn')", ["fraud-A", "fraud-b", "my-prompt"]),
        ("tags.team = 'risk'", ["fraud-A"]),
        ("tag.team ILIKE 'risk'", ["fraud-A", "fraud-b"]),
        ("tags.team != 'risk'", ["churn", "fraud-b"]),
        ("name LIKE 'fraud%' AND tags.team = 'Risk'", ["fraud-b"]),
        (PROMPT_CLAUSE, ["churn", "fraud-A", "fraud-b"]),
        ("tags.`mlflow.prompt.is_prompt` = 'false'", ["churn", "fraud-A", "fraud-b"]),
        (f"name LIKE '%' AND {PROMPT_CLAUSE}", ["churn", "fraud-A", "fraud-b"]),
    ],
)
def test_registered_model_filters(
    models: RegistryStore, filter_string: str | None, expected: list[str]
) -> None:
    assert _names(models, filter_string) == expected


@pytest.mark.parametrize(
    "filter_string",
    ["creation_timestamp > 0", "metrics.a > 1", "tags.team IS NULL", "name = churn"],
)
def test_registered_model_filter_errors(models: RegistryStore, filter_string: str) -> None:
    with pytest.raises(InvalidParameterValue):
        models.search_registered_models(filter_string)


def test_registered_model_order_and_paging(models: RegistryStore) -> None:
    assert _names(models, None, order_by=["name DESC"]) == [
        "my-prompt",
        "fraud-b",
        "fraud-A",
        "churn",
    ]
    models.update_registered_model("churn", "touched")
    assert _names(models, None, order_by=["timestamp DESC"])[0] == "churn"
    with pytest.raises(InvalidParameterValue):
        models.search_registered_models(order_by=["creation_timestamp"])
    first = models.search_registered_models(max_results=3)
    assert [m.name for m in first] == ["churn", "fraud-A", "fraud-b"]
    assert first.next_page_token is not None
    rest = models.search_registered_models(max_results=3, page_token=first.next_page_token)
    assert [m.name for m in rest] == ["my-prompt"]
    assert rest.next_page_token is None


@pytest.fixture
def versions(registry_store: RegistryStore) -> RegistryStore:
    for name in ("a", "b"):
        registry_store.create_registered_model(name)
        for i in (1, 2, 3):
            registry_store.create_model_version(name, f"s3://{name}/{i}", run_id=f"run{i}")
    registry_store.set_model_version_tag("a", 2, "env", "prod")
    registry_store.delete_model_version("b", 3)
    return registry_store


def _versions(store: RegistryStore, filter_string: str | None, **kw: object) -> list[str]:
    page = store.search_model_versions(filter_string, **kw)  # type: ignore[arg-type]
    return [f"{mv.name}/{mv.version}" for mv in page]


@pytest.mark.parametrize(
    ("filter_string", "expected"),
    [
        ("name = 'a'", ["a/3", "a/2", "a/1"]),
        ("run_id = 'run1'", ["b/1", "a/1"]),
        ("run_id IN ('run1', 'run3')", ["b/1", "a/3", "a/1"]),
        ("source_path LIKE 's3://b/%'", ["b/2", "b/1"]),
        ("version_number >= 2 AND name = 'b'", ["b/2"]),
        ("tags.env = 'prod'", ["a/2"]),
    ],
)
def test_model_version_filters_hide_deleted(
    versions: RegistryStore, filter_string: str, expected: list[str]
) -> None:
    assert _versions(versions, filter_string) == expected


def test_model_version_order_tail_and_paging(versions: RegistryStore) -> None:
    ordered = _versions(versions, None, order_by=["name ASC"])
    assert ordered == ["a/3", "a/2", "a/1", "b/2", "b/1"]
    first = versions.search_model_versions(order_by=["version_number ASC", "name"], max_results=2)
    assert [f"{mv.name}/{mv.version}" for mv in first] == ["a/1", "b/1"]
    second = versions.search_model_versions(
        order_by=["version_number ASC", "name"], max_results=2, page_token=first.next_page_token
    )
    assert [f"{mv.name}/{mv.version}" for mv in second] == ["a/2", "b/2"]
    with pytest.raises(InvalidParameterValue):
        versions.search_model_versions("version_number = 'x'")
