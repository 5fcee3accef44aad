"""The registry client against a live cairn server: the same calls through the REST registry
store, down to loading ``models:/`` URIs, the audit history and lineage."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import cairn
from cairn.config import Settings
from cairn.entities import ModelVersionStage, RegistryEventType
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.models import pyfunc
from cairn.models.flavors import sklearn as cairn_sklearn
from cairn.store.registry.rest import RestRegistryStore
from cairn.tracking import context, fluent
from cairn.tracking.client import CairnClient, close_stores
from fluent_state import LEAKY_VARIABLES
from live_server import LiveServer

pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::FutureWarning", "ignore::UserWarning"
)


@pytest.fixture
def client(live_server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[CairnClient]:
    """The fluent API and a client on the server, acting as ``dave``."""
    for name in LEAKY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CAIRN_TRACKING_USERNAME", "dave")
    fluent._reset_for_tests()
    cairn.set_tracking_uri(live_server.url)
    yield CairnClient(live_server.url, settings=Settings(username="dave"))
    while cairn.active_run():
        cairn.end_run()
    fluent._reset_for_tests()
    close_stores()


@pytest.fixture
def xy() -> tuple[Any, Any]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 3))
    return x, (x[:, 0] + x[:, 1] > 0).astype(int)


def _log_registered(xy: tuple[Any, Any], name: str, scale: int) -> tuple[Any, Any]:
    """Log a classifier in a run with a little lineage, registering it as ``name``."""
    from sklearn.linear_model import LogisticRegression

    x, y = xy
    model = LogisticRegression(C=10.0**-scale).fit(x, y if scale % 2 == 0 else 1 - y)
    with cairn.start_run(run_name=f"train-{scale}", tags={context.GIT_COMMIT: "feed42"}) as run:
        cairn.log_param("scale", scale)
        cairn.log_metric("acc", 0.5 + scale / 10)
        info = cairn_sklearn.log_model(
            model, "clf", registered_model_name=name, pip_requirements=[]
        )
    return model, (run.info.run_id, info)


def test_the_client_uses_the_servers_registry(client: CairnClient) -> None:
    assert isinstance(client.registry_store, RestRegistryStore)


def test_log_register_promote_and_load_through_the_server(
    client: CairnClient, xy: tuple[Any, Any]
) -> None:
    x, _ = xy
    first, (run_id, info) = _log_registered(xy, "churn", 0)
    second, _ = _log_registered(xy, "churn", 1)
    client.transition_model_version_stage("churn", 1, "Production")
    client.set_registered_model_alias("churn", "champion", 2)

    version = client.get_model_version("churn", 1)
    assert info.registered_model_version == 1 and version.run_id == run_id
    assert version.source == info.model_uri
    np.testing.assert_array_equal(
        pyfunc.load_model("models:/churn/production").predict(x), first.predict(x)
    )
    np.testing.assert_array_equal(
        cairn_sklearn.load_model("models:/churn@champion").predict(x), second.predict(x)
    )
    np.testing.assert_array_equal(
        pyfunc.load_model("models:/churn/latest").predict(x), second.predict(x)
    )
    with pytest.raises(InvalidParameterValue, match="alias nobody not found"):
        pyfunc.load_model("models:/churn@nobody")
    with pytest.raises(ResourceDoesNotExist):
        pyfunc.load_model("models:/churn/Staging")


def test_history_and_lineage_through_the_server(client: CairnClient, xy: tuple[Any, Any]) -> None:
    _, (run_id, info) = _log_registered(xy, "churn", 0)
    client.set_registered_model_alias("churn", "champion", 1)
    client.transition_model_version_stage("churn", 1, ModelVersionStage.PRODUCTION)

    events = client.get_registry_history("churn")
    lineage = client.get_model_version_lineage("churn", 1)
    now = events[-1].timestamp

    assert [e.event_type for e in events][-2:] == [
        RegistryEventType.ALIAS_SET,
        RegistryEventType.STAGE_TRANSITIONED,
    ]
    assert {e.user_id for e in events} == {"dave"}
    assert client.get_version_in_stage_at("churn", "Production", now) == 1
    assert lineage.model_id == info.model_id
    assert lineage.run is not None and lineage.run.run_id == run_id
    assert lineage.run.git_commit == "feed42" and lineage.params == {"scale": "0"}


def test_copy_model_version_through_the_server(client: CairnClient, xy: tuple[Any, Any]) -> None:
    _, (run_id, info) = _log_registered(xy, "dev", 0)

    copy = client.copy_model_version("models:/dev/1", "prod")

    assert (copy.name, copy.version, copy.source) == ("prod", 1, "models:/dev/1")
    assert copy.run_id == run_id
    assert client.get_model_version_download_uri("prod", 1) == (
        client.get_logged_model(info.model_id).artifact_location
    )
