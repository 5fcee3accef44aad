"""Experiments through ``MlflowClient`` and the fluent ``mlflow.set_experiment``."""

from __future__ import annotations

from collections.abc import Callable

import mlflow
import pytest
from mlflow import MlflowClient
from mlflow.entities import ViewType
from mlflow.exceptions import MlflowException


def _search_all(client: MlflowClient, **kwargs: object) -> tuple[list[str], int]:
    """Every page of a search: the names in order and how many pages it took."""
    names: list[str] = []
    pages, token = 0, None
    while True:
        page = client.search_experiments(page_token=token, **kwargs)  # type: ignore[arg-type]
        names += [e.name for e in page]
        pages += 1
        token = page.token
        if not token:
            return names, pages


@pytest.mark.backends
def test_create_get_and_get_by_name(
    client: MlflowClient, unique_name: Callable[[str], str]
) -> None:
    name = unique_name("exp")
    exp_id = client.create_experiment(name, tags={"team": "vision", "empty": ""})

    by_id = client.get_experiment(exp_id)
    by_name = client.get_experiment_by_name(name)

    assert by_name is not None
    assert by_id.experiment_id == by_name.experiment_id == exp_id
    assert by_id.name == name
    assert by_id.lifecycle_stage == "active"
    assert by_id.artifact_location == f"mlflow-artifacts:/{exp_id}"
    assert by_id.tags == {"team": "vision", "empty": ""}
    assert by_id.creation_time > 0
    assert by_id.last_update_time >= by_id.creation_time
    assert client.get_experiment_by_name(unique_name("missing")) is None


@pytest.mark.backends
def test_search_filters_orders_and_pages(
    client: MlflowClient, unique_name: Callable[[str], str]
) -> None:
    prefix = unique_name("search")
    for suffix in ("c", "a", "e", "b", "d"):
        client.create_experiment(
            f"{prefix}-{suffix}", tags={"kind": "odd" if suffix in "ace" else "even"}
        )

    names, pages = _search_all(
        client, filter_string=f"name LIKE '{prefix}-%'", order_by=["name DESC"], max_results=2
    )
    odd = client.search_experiments(
        filter_string=f"name LIKE '{prefix}-%' AND tags.kind = 'odd'", order_by=["name ASC"]
    )

    assert names == [f"{prefix}-{s}" for s in "edcba"]
    assert pages == 3
    assert [e.name for e in odd] == [f"{prefix}-{s}" for s in "ace"]
    assert odd.token is None


@pytest.mark.backends
def test_delete_and_restore_follow_view_types(
    client: MlflowClient, unique_name: Callable[[str], str]
) -> None:
    prefix = unique_name("view")
    keep = client.create_experiment(f"{prefix}-keep")
    gone = client.create_experiment(f"{prefix}-gone")
    run = client.create_run(gone)

    client.delete_experiment(gone)

    def names(view_type: int) -> list[str]:
        found = client.search_experiments(
            view_type=view_type, filter_string=f"name LIKE '{prefix}-%'", order_by=["name"]
        )
        return [e.name for e in found]

    assert names(ViewType.ACTIVE_ONLY) == [f"{prefix}-keep"]
    assert names(ViewType.DELETED_ONLY) == [f"{prefix}-gone"]
    assert names(ViewType.ALL) == [f"{prefix}-gone", f"{prefix}-keep"]
    assert client.get_experiment(gone).lifecycle_stage == "deleted"
    assert client.get_run(run.info.run_id).info.lifecycle_stage == "deleted"
    assert client.get_experiment(keep).lifecycle_stage == "active"

    client.restore_experiment(gone)

    assert client.get_experiment(gone).lifecycle_stage == "active"
    assert client.get_run(run.info.run_id).info.lifecycle_stage == "active"
    assert names(ViewType.DELETED_ONLY) == []


def test_rename_updates_name_lookups(
    client: MlflowClient, experiment_id: str, unique_name: Callable[[str], str]
) -> None:
    old = client.get_experiment(experiment_id).name
    new = unique_name("renamed")

    client.rename_experiment(experiment_id, new)

    assert client.get_experiment(experiment_id).name == new
    assert client.get_experiment_by_name(new).experiment_id == experiment_id  # type: ignore[union-attr]
    assert client.get_experiment_by_name(old) is None


def test_experiment_tags_upsert_and_delete(client: MlflowClient, experiment_id: str) -> None:
    client.set_experiment_tag(experiment_id, "stage", "draft")
    client.set_experiment_tag(experiment_id, "stage", "final")
    client.set_experiment_tag(experiment_id, "mlflow.note.content", "# notes")
    client.set_experiment_tag(experiment_id, "temp", "x")

    client.delete_experiment_tag(experiment_id, "temp")

    assert client.get_experiment(experiment_id).tags == {
        "stage": "final",
        "mlflow.note.content": "# notes",
    }


def test_duplicate_name_is_rejected_even_when_deleted(
    client: MlflowClient, unique_name: Callable[[str], str]
) -> None:
    name = unique_name("dup")
    exp_id = client.create_experiment(name)
    client.delete_experiment(exp_id)

    with pytest.raises(MlflowException) as excinfo:
        client.create_experiment(name)

    assert excinfo.value.error_code == "RESOURCE_ALREADY_EXISTS"


def test_set_experiment_creates_on_first_use_then_reuses(
    fluent: str, client: MlflowClient, unique_name: Callable[[str], str]
) -> None:
    name = unique_name("fluent")
    assert client.get_experiment_by_name(name) is None

    created = mlflow.set_experiment(name)
    again = mlflow.set_experiment(name)
    with mlflow.start_run() as run:
        pass

    assert again.experiment_id == created.experiment_id
    assert client.get_experiment_by_name(name).experiment_id == created.experiment_id  # type: ignore[union-attr]
    assert run.info.experiment_id == created.experiment_id


def test_names_with_awkward_characters(
    client: MlflowClient, unique_name: Callable[[str], str]
) -> None:
    name = unique_name("my exp ü & %x/y?z=1#")
    exp_id = client.create_experiment(name)

    found = client.get_experiment_by_name(name)
    searched = client.search_experiments(filter_string=f"name = '{name}'")

    assert found is not None and found.experiment_id == exp_id
    assert [e.experiment_id for e in searched] == [exp_id]


def test_default_experiment_exists(client: MlflowClient) -> None:
    default = client.get_experiment_by_name("Default")

    assert default is not None
    assert default.experiment_id == "0"
    assert client.get_experiment("0").name == "Default"
