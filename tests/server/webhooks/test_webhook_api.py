"""The webhook endpoints over real HTTP, and registry changes reaching a real receiver."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from webhook_receiver import Receiver, wait_until

from cairn.server.webhooks.signing import verify

PUBLIC = "https://8.8.8.8/hook"  # a public literal: passes the guard without DNS
ALL_EVENTS = [
    {"entity": "REGISTERED_MODEL", "action": "CREATED"},
    {"entity": "MODEL_VERSION", "action": "CREATED"},
    {"entity": "MODEL_VERSION_TAG", "action": "SET"},
    {"entity": "MODEL_VERSION_TAG", "action": "DELETED"},
    {"entity": "MODEL_VERSION_ALIAS", "action": "CREATED"},
    {"entity": "MODEL_VERSION_ALIAS", "action": "DELETED"},
]
WEBHOOKS = "/api/2.0/mlflow/webhooks"


def _ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.json()["error_code"] == code
    message: str = response.json()["message"]
    return message


def _create(api: httpx.Client, **fields: Any) -> dict[str, Any]:
    body = {"name": "hook", "url": PUBLIC, "events": ALL_EVENTS[:1], **fields}
    webhook: dict[str, Any] = _ok(api.post(WEBHOOKS, json=body))["webhook"]
    return webhook


def test_crud_round_trip_never_returns_the_secret(api: httpx.Client) -> None:
    hook = _create(api, description="deploys", secret="s3cr3t", events=ALL_EVENTS[:2])
    assert hook["name"] == "hook" and hook["url"] == PUBLIC
    assert hook["events"] == ALL_EVENTS[:2]
    assert hook["status"] == "ACTIVE" and hook["description"] == "deploys"
    assert hook["creation_timestamp"] == hook["last_updated_timestamp"] > 0
    path = f"{WEBHOOKS}/{hook['webhook_id']}"
    assert _ok(api.get(path))["webhook"] == hook
    updated = _ok(
        api.patch(
            path,
            json={
                "name": "renamed",
                "status": "DISABLED",
                "events": ALL_EVENTS[2:3],
                "secret": "n",
            },
        )
    )["webhook"]
    assert (updated["name"], updated["status"], updated["events"]) == (
        "renamed",
        "DISABLED",
        ALL_EVENTS[2:3],
    )
    assert updated["url"] == PUBLIC and updated["description"] == "deploys"
    listed = _ok(api.get(WEBHOOKS))
    for text in (json.dumps(hook), json.dumps(updated), json.dumps(listed)):
        assert "s3cr3t" not in text and '"secret"' not in text
    assert _ok(api.delete(path)) == {}
    _error(api.get(path), 404, "RESOURCE_DOES_NOT_EXIST")
    _error(api.delete(path), 404, "RESOURCE_DOES_NOT_EXIST")


def test_list_pages_through_every_webhook(api: httpx.Client) -> None:
    made = {_create(api, name=f"h{i}")["webhook_id"] for i in range(5)}
    seen: list[str] = []
    token = None
    while True:
        query = {"max_results": "2", **({"page_token": token} if token else {})}
        page = _ok(api.get(WEBHOOKS, params=query))
        assert len(page["webhooks"]) <= 2
        seen += [h["webhook_id"] for h in page["webhooks"]]
        token = page.get("next_page_token")
        if not token:
            break
    assert sorted(seen) == sorted(made) and len(seen) == 5
    assert _ok(api.get(WEBHOOKS, params={"max_results": "0"}))["webhooks"]  # 0 = default


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://10.0.0.5/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://localhost:8080/hook",
        "https://user:pw@8.8.8.8/hook",
        "ftp://8.8.8.8/hook",
    ],
)
def test_private_urls_and_credentials_are_refused(api: httpx.Client, url: str) -> None:
    body = {"name": "hook", "url": url, "events": ALL_EVENTS[:1]}
    _error(api.post(WEBHOOKS, json=body), 400, "INVALID_PARAMETER_VALUE")
    hook = _create(api)
    patch = api.patch(f"{WEBHOOKS}/{hook['webhook_id']}", json={"url": url})
    _error(patch, 400, "INVALID_PARAMETER_VALUE")
    assert _ok(api.get(f"{WEBHOOKS}/{hook['webhook_id']}"))["webhook"]["url"] == PUBLIC


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"url": PUBLIC, "events": ALL_EVENTS[:1]}, "name"),
        ({"name": "-bad", "url": PUBLIC, "events": ALL_EVENTS[:1]}, "name"),
        ({"name": "hook", "events": ALL_EVENTS[:1]}, "url"),
        ({"name": "hook", "url": PUBLIC}, "events"),
        (
            {"name": "hook", "url": PUBLIC, "events": [{"entity": "RUN", "action": "CREATED"}]},
            "entity",
        ),
        (
            {
                "name": "hook",
                "url": PUBLIC,
                "events": [{"entity": "MODEL_VERSION", "action": "SET"}],
            },
            "action",
        ),
        ({"name": "hook", "url": PUBLIC, "events": ALL_EVENTS[:1], "status": "PAUSED"}, "status"),
    ],
)
def test_invalid_create_requests_are_400(
    api: httpx.Client, body: dict[str, Any], fragment: str
) -> None:
    message = _error(api.post(WEBHOOKS, json=body), 400, "INVALID_PARAMETER_VALUE")
    assert fragment in message.lower()


def test_enum_numbers_and_lowercase_names_are_accepted(api: httpx.Client) -> None:
    hook = _create(
        api,
        events=[{"entity": 2, "action": 1}, {"entity": "model_version_tag", "action": "set"}],
        status=2,
    )
    assert hook["events"] == [ALL_EVENTS[1], ALL_EVENTS[2]]
    assert hook["status"] == "DISABLED"


def test_registry_changes_reach_the_receiver_signed(
    hook_api: httpx.Client, receiver: Receiver
) -> None:
    _ok(
        hook_api.post(
            "/mlflow/webhooks",
            json={"name": "all", "url": receiver.url, "events": ALL_EVENTS, "secret": "k"},
        )
    )
    _ok(
        hook_api.post(
            "/mlflow/registered-models/create",
            json={"name": "m", "tags": [{"key": "t", "value": "1"}]},
        )
    )
    _ok(
        hook_api.post(
            "/mlflow/model-versions/create", json={"name": "m", "source": "s3://bucket/m"}
        )
    )
    mv = {"name": "m", "version": "1"}
    _ok(hook_api.post("/mlflow/model-versions/set-tag", json={**mv, "key": "k", "value": "v"}))
    _ok(hook_api.request("DELETE", "/mlflow/model-versions/delete-tag", json={**mv, "key": "k"}))
    _ok(hook_api.post("/mlflow/registered-models/alias", json={**mv, "alias": "champion"}))
    _ok(
        hook_api.request(
            "DELETE", "/mlflow/registered-models/alias", json={"name": "m", "alias": "champion"}
        )
    )
    requests = receiver.wait_for(6)
    assert all(verify("k", r.headers, r.body) for r in requests)
    events = {(b["entity"], b["action"]): b["data"] for b in (json.loads(r.body) for r in requests)}
    assert events[("registered_model", "created")]["tags"] == {"t": "1"}
    assert events[("model_version", "created")]["source"] == "s3://bucket/m"
    assert events[("model_version_tag", "set")] == {**mv, "key": "k", "value": "v"}
    assert events[("model_version_tag", "deleted")] == {**mv, "key": "k"}
    assert events[("model_version_alias", "created")] == {**mv, "alias": "champion"}
    assert events[("model_version_alias", "deleted")] == {**mv, "alias": "champion"}


def test_failed_delivery_is_retried_and_both_attempts_listed(
    hook_api: httpx.Client, receiver: Receiver
) -> None:
    receiver.statuses = [500]
    hook = _ok(
        hook_api.post(
            "/mlflow/webhooks", json={"name": "h", "url": receiver.url, "events": ALL_EVENTS[:1]}
        )
    )["webhook"]
    _ok(hook_api.post("/mlflow/registered-models/create", json={"name": "m"}))
    receiver.wait_for(2)
    path = f"/cairn/webhooks/{hook['webhook_id']}/deliveries"
    attempts = wait_until(
        lambda: d if len(d := _ok(hook_api.get(path)).get("deliveries", [])) == 2 else None
    )
    assert [(a["attempt"], a["status"], a["response_status"]) for a in attempts] == [
        (2, "SUCCEEDED", 200),
        (1, "RETRYING", 500),
    ]
    assert attempts[0]["delivery_id"] == attempts[1]["delivery_id"]
    assert (attempts[0]["entity"], attempts[0]["action"]) == ("registered_model", "created")


def test_disabled_webhook_is_not_called(hook_api: httpx.Client, receiver: Receiver) -> None:
    for name, status in (("off", "DISABLED"), ("on", "ACTIVE")):
        body = {
            "name": name,
            "url": f"{receiver.url}/{name}",
            "events": ALL_EVENTS[:1],
            "status": status,
        }
        _ok(hook_api.post("/mlflow/webhooks", json=body))
    _ok(hook_api.post("/mlflow/registered-models/create", json={"name": "m"}))
    receiver.wait_for(1)
    # both webhooks were considered in the same fan-out, so "off" can no longer be called
    assert [r.path for r in receiver.requests] == ["/hook/on"]


def test_test_endpoint_sends_an_example_event(hook_api: httpx.Client, receiver: Receiver) -> None:
    hook = _ok(
        hook_api.post(
            "/mlflow/webhooks",
            json={"name": "h", "url": receiver.url, "events": ALL_EVENTS[:2], "secret": "k"},
        )
    )["webhook"]
    path = f"/mlflow/webhooks/{hook['webhook_id']}/test"
    result = _ok(hook_api.post(path, json={}))["result"]
    assert result == {"success": True, "response_status": 200, "response_body": "status 200"}
    chosen = _ok(hook_api.post(path, json={"event": ALL_EVENTS[1]}))["result"]
    assert chosen["success"]
    first, second = receiver.requests
    assert json.loads(first.body)["entity"] == "registered_model"
    assert json.loads(second.body)["data"]["version"] == "1"
    assert verify("k", second.headers, second.body)
    missing = hook_api.post("/mlflow/webhooks/nope/test", json={})
    _error(missing, 404, "RESOURCE_DOES_NOT_EXIST")
