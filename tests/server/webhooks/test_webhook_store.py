"""The SQL webhook store on every backend: validation, CRUD, paging, secrets, deliveries."""

from __future__ import annotations

import pytest

from cairn.entities.webhook import (
    DeliveryStatus,
    WebhookAction,
    WebhookDelivery,
    WebhookEntity,
    WebhookEvent,
    WebhookStatus,
)
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.store.registry.sql.webhooks import SqlWebhookStore

MV_CREATED = WebhookEvent(WebhookEntity.MODEL_VERSION, WebhookAction.CREATED)
RM_CREATED = WebhookEvent(WebhookEntity.REGISTERED_MODEL, WebhookAction.CREATED)
URL = "https://hooks.example.com/cairn"


def _delivery(webhook_id: str, attempt: int, timestamp: int, **kw: object) -> WebhookDelivery:
    values: dict[str, object] = {
        "delivery_id": "d-1",
        "webhook_id": webhook_id,
        "entity": "model_version",
        "action": "created",
        "attempt": attempt,
        "status": DeliveryStatus.SUCCEEDED,
        "timestamp": timestamp,
    }
    values.update(kw)
    return WebhookDelivery(**values)  # type: ignore[arg-type]


def test_create_returns_webhook_without_its_secret(webhook_store: SqlWebhookStore) -> None:
    hook = webhook_store.create_webhook(
        "deploy-hook", URL, [MV_CREATED, RM_CREATED], description="d", secret="s3cr3t"
    )
    assert hook.name == "deploy-hook"
    assert hook.url == URL
    assert set(hook.events) == {MV_CREATED, RM_CREATED}
    assert hook.status is WebhookStatus.ACTIVE
    assert hook.has_secret
    assert "s3cr3t" not in repr(hook)
    assert webhook_store.get_webhook(hook.webhook_id) == hook
    target = webhook_store.get_target(hook.webhook_id)
    assert target.secret == "s3cr3t"
    assert "s3cr3t" not in repr(target)  # targets end up in log lines


@pytest.mark.parametrize("name", ["", "-lead", "trail.", "has space", "x" * 64, "ünïcode", "a/b"])
def test_create_rejects_bad_names(webhook_store: SqlWebhookStore, name: str) -> None:
    with pytest.raises(InvalidParameterValue, match="name"):
        webhook_store.create_webhook(name, URL, [MV_CREATED])


@pytest.mark.parametrize("name", ["a", "A1", "my.hook_2-x", "x" * 63])
def test_create_accepts_names_mlflow_accepts(webhook_store: SqlWebhookStore, name: str) -> None:
    assert webhook_store.create_webhook(name, URL, [MV_CREATED]).name == name


@pytest.mark.parametrize(
    "url",
    ["", "ftp://example.com/x", "file:///etc/passwd", "https://", "https://u:p@example.com/"],
)
def test_create_rejects_bad_urls(webhook_store: SqlWebhookStore, url: str) -> None:
    with pytest.raises(InvalidParameterValue):
        webhook_store.create_webhook("hook", url, [MV_CREATED])


def test_create_needs_an_event(webhook_store: SqlWebhookStore) -> None:
    with pytest.raises(InvalidParameterValue, match="at least one event"):
        webhook_store.create_webhook("hook", URL, [])


def test_event_parse_rejects_unknown_and_impossible_pairs() -> None:
    assert WebhookEvent.parse("MODEL_VERSION_TAG", "set") == WebhookEvent(
        WebhookEntity.MODEL_VERSION_TAG, WebhookAction.SET
    )
    with pytest.raises(InvalidParameterValue, match="entity"):
        WebhookEvent.parse("experiment", "created")
    with pytest.raises(InvalidParameterValue, match="Invalid action"):
        WebhookEvent.parse("registered_model", "deleted")


def test_unknown_webhook_is_not_found(webhook_store: SqlWebhookStore) -> None:
    for call in (
        lambda: webhook_store.get_webhook("nope"),
        lambda: webhook_store.update_webhook("nope", name="x"),
        lambda: webhook_store.delete_webhook("nope"),
        lambda: webhook_store.list_deliveries("nope"),
    ):
        with pytest.raises(ResourceDoesNotExist):
            call()


def test_update_changes_only_given_fields(webhook_store: SqlWebhookStore) -> None:
    hook = webhook_store.create_webhook("hook", URL, [MV_CREATED], description="old", secret="s")
    updated = webhook_store.update_webhook(
        hook.webhook_id, events=[RM_CREATED], status=WebhookStatus.DISABLED
    )
    assert updated.events == (RM_CREATED,)
    assert updated.status is WebhookStatus.DISABLED
    assert (updated.name, updated.url, updated.description) == ("hook", URL, "old")
    assert updated.has_secret
    assert updated.last_updated_timestamp >= hook.last_updated_timestamp


def test_update_with_empty_secret_stops_signing(webhook_store: SqlWebhookStore) -> None:
    hook = webhook_store.create_webhook("hook", URL, [MV_CREATED], secret="s")
    assert not webhook_store.update_webhook(hook.webhook_id, secret="").has_secret
    assert webhook_store.get_target(hook.webhook_id).secret is None


def test_update_validates_like_create(webhook_store: SqlWebhookStore) -> None:
    hook = webhook_store.create_webhook("hook", URL, [MV_CREATED])
    with pytest.raises(InvalidParameterValue):
        webhook_store.update_webhook(hook.webhook_id, name="bad name")
    with pytest.raises(InvalidParameterValue):
        webhook_store.update_webhook(hook.webhook_id, url="gopher://x")
    with pytest.raises(InvalidParameterValue):
        webhook_store.update_webhook(hook.webhook_id, events=[])


def test_delete_hides_webhook_and_wipes_its_secret(webhook_store: SqlWebhookStore) -> None:
    hook = webhook_store.create_webhook("hook", URL, [MV_CREATED], secret="s")
    webhook_store.delete_webhook(hook.webhook_id)
    with pytest.raises(ResourceDoesNotExist):
        webhook_store.get_webhook(hook.webhook_id)
    assert webhook_store.list_webhooks().items == ()
    assert webhook_store.subscribers(MV_CREATED) == []


def test_list_pages_newest_first(webhook_store: SqlWebhookStore) -> None:
    clock = iter(range(1000, 2000))
    webhook_store.clock = lambda: next(clock)
    ids = [webhook_store.create_webhook(f"h{i}", URL, [MV_CREATED]).webhook_id for i in range(5)]
    first = webhook_store.list_webhooks(max_results=2)
    second = webhook_store.list_webhooks(max_results=2, page_token=first.next_page_token)
    third = webhook_store.list_webhooks(max_results=2, page_token=second.next_page_token)
    seen = [h.webhook_id for page in (first, second, third) for h in page]
    assert seen == ids[::-1]
    assert third.next_page_token is None


@pytest.mark.parametrize("size", [0, 1001])
def test_list_rejects_page_sizes_out_of_range(webhook_store: SqlWebhookStore, size: int) -> None:
    with pytest.raises(InvalidParameterValue, match="max_results"):
        webhook_store.list_webhooks(max_results=size)


def test_subscribers_are_active_webhooks_of_that_event(webhook_store: SqlWebhookStore) -> None:
    wanted = webhook_store.create_webhook("a", URL, [MV_CREATED, RM_CREATED], secret="k")
    webhook_store.create_webhook("b", URL, [RM_CREATED])
    webhook_store.create_webhook("c", URL, [MV_CREATED], status=WebhookStatus.DISABLED)
    targets = webhook_store.subscribers(MV_CREATED)
    assert [(t.webhook.webhook_id, t.secret) for t in targets] == [(wanted.webhook_id, "k")]


def test_deliveries_are_recorded_and_listed_newest_first(
    webhook_store: SqlWebhookStore,
) -> None:
    hook = webhook_store.create_webhook("hook", URL, [MV_CREATED])
    webhook_store.record_delivery(
        _delivery(
            hook.webhook_id,
            1,
            100,
            status=DeliveryStatus.RETRYING,
            response_status=500,
            error_message="HTTP 500" + "!" * 2000,
        )
    )
    webhook_store.record_delivery(_delivery(hook.webhook_id, 2, 200, response_status=200))
    page = webhook_store.list_deliveries(hook.webhook_id, max_results=1)
    rest = webhook_store.list_deliveries(hook.webhook_id, page_token=page.next_page_token)
    (latest,) = page.items
    (earliest,) = rest.items
    assert (latest.attempt, latest.status, latest.response_status) == (
        2,
        DeliveryStatus.SUCCEEDED,
        200,
    )
    assert earliest.status is DeliveryStatus.RETRYING
    assert earliest.error_message is not None and len(earliest.error_message) == 1000
    assert rest.next_page_token is None
