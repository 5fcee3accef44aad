"""The real MLflow 3.x client manages webhooks on a cairn server, and its registry calls
trigger them."""

from __future__ import annotations

import json

import pytest
from mlflow import MlflowClient
from mlflow.entities.webhook import WebhookEvent, WebhookStatus
from mlflow.exceptions import MlflowException
from webhook_receiver import Receiver

from cairn.server.webhooks.signing import verify
from live_server import LiveServer


@pytest.fixture
def client(hook_server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> MlflowClient:
    for name, value in {
        "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0",
        "MLFLOW_DISABLE_TELEMETRY": "true",
        "DO_NOT_TRACK": "true",
    }.items():
        monkeypatch.setenv(name, value)
    return MlflowClient(tracking_uri=hook_server.url, registry_uri=hook_server.url)


def test_mlflow_client_manages_webhooks(client: MlflowClient, receiver: Receiver) -> None:
    created = client.create_webhook(
        name="deploy",
        url=receiver.url,
        events=["registered_model.created", WebhookEvent("model_version_tag", "set")],
        description="ci",
        secret="k",
    )
    assert created.status == WebhookStatus.ACTIVE
    assert {str(e) for e in created.events} == {"registered_model.created", "model_version_tag.set"}
    fetched = client.get_webhook(created.webhook_id)
    assert (fetched.name, fetched.url, fetched.description) == ("deploy", receiver.url, "ci")
    assert fetched.secret is None  # never sent back

    updated = client.update_webhook(created.webhook_id, description="cd", status="DISABLED")
    assert (updated.description, updated.status) == ("cd", WebhookStatus.DISABLED)
    assert [w.webhook_id for w in client.list_webhooks()] == [created.webhook_id]

    result = client.test_webhook(created.webhook_id, event="model_version_tag.set")
    assert (result.success, result.response_status) == (True, 200)
    (request,) = receiver.requests
    assert json.loads(request.body)["entity"] == "model_version_tag"
    assert verify("k", request.headers, request.body)

    client.delete_webhook(created.webhook_id)
    with pytest.raises(MlflowException, match="not found") as caught:
        client.get_webhook(created.webhook_id)
    assert caught.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_mlflow_client_paginates_webhooks(client: MlflowClient) -> None:
    ids = {
        client.create_webhook(f"h{i}", "http://127.0.0.1:9/", ["model_version.created"]).webhook_id
        for i in range(3)
    }
    first = client.list_webhooks(max_results=2)
    rest = client.list_webhooks(max_results=2, page_token=first.token)
    assert len(first) == 2 and first.token and not rest.token
    assert {w.webhook_id for w in [*first, *rest]} == ids


def test_mlflow_client_registry_call_triggers_a_signed_delivery(
    client: MlflowClient, receiver: Receiver
) -> None:
    client.create_webhook("rm", receiver.url, ["registered_model.created"], secret="k")
    client.create_registered_model("churn", description="model")
    (request,) = receiver.wait_for(1)
    assert verify("k", request.headers, request.body)
    body = json.loads(request.body)
    assert body["data"] == {"name": "churn", "tags": {}, "description": "model"}


def test_mlflow_client_sees_refusals_as_invalid_parameter(
    client: MlflowClient, hook_server: LiveServer
) -> None:
    with pytest.raises(MlflowException) as caught:
        client.create_webhook("h", "http://u:p@127.0.0.1:9/", ["model_version.created"])
    assert caught.value.error_code == "INVALID_PARAMETER_VALUE"
