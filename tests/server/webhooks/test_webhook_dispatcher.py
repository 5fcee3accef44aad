"""The dispatcher against a real loopback receiver and the SQL store on every backend."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator

import httpx
import pytest
from webhook_receiver import Receiver, wait_until

from cairn.entities.webhook import DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookStatus
from cairn.server.webhooks import UrlGuard, WebhookDispatcher
from cairn.server.webhooks.signing import DELIVERY_ID_HEADER, verify
from cairn.store.registry.sql.webhooks import SqlWebhookStore

MV_CREATED = WebhookEvent.parse("model_version", "created")
RM_CREATED = WebhookEvent.parse("registered_model", "created")
MakeDispatcher = Callable[..., WebhookDispatcher]
PAYLOAD = {"name": "m", "version": "1", "source": "s3://b/m", "run_id": None, "tags": {}}


@pytest.fixture
def make_dispatcher(webhook_store: SqlWebhookStore) -> Iterator[MakeDispatcher]:
    made: list[WebhookDispatcher] = []

    def make(guard: UrlGuard | None = None, **options: object) -> WebhookDispatcher:
        options.setdefault("base_delay", 0.01)
        dispatcher = WebhookDispatcher(
            webhook_store,
            guard or UrlGuard(allow_private=True),
            **options,  # type: ignore[arg-type]
        )
        made.append(dispatcher)
        return dispatcher

    yield make
    for dispatcher in made:
        dispatcher.close()


def _deliveries(store: SqlWebhookStore, webhook_id: str, count: int) -> list[WebhookDelivery]:
    """Wait for ``count`` recorded attempts, oldest first."""
    found = wait_until(
        lambda: items if len(items := store.list_deliveries(webhook_id).items) >= count else None
    )
    return sorted(found, key=lambda d: d.attempt)


def test_event_is_delivered_signed_to_its_subscriber(
    webhook_store: SqlWebhookStore, receiver: Receiver, make_dispatcher: MakeDispatcher
) -> None:
    hook = webhook_store.create_webhook("hook", receiver.url, [MV_CREATED], secret="k")
    make_dispatcher().publish("model_version", "created", PAYLOAD)
    (request,) = receiver.wait_for(1)
    assert verify("k", {k: v for k, v in request.headers.items()}, request.body)
    body = json.loads(request.body)
    assert (body["entity"], body["action"], body["data"]) == ("model_version", "created", PAYLOAD)
    assert body["timestamp"].endswith("+00:00")
    (delivery,) = _deliveries(webhook_store, hook.webhook_id, 1)
    assert delivery.delivery_id == request.header(DELIVERY_ID_HEADER)
    assert (delivery.status, delivery.response_status, delivery.attempt) == (
        DeliveryStatus.SUCCEEDED,
        200,
        1,
    )


def test_failed_delivery_is_retried_and_every_attempt_recorded(
    webhook_store: SqlWebhookStore, receiver: Receiver, make_dispatcher: MakeDispatcher
) -> None:
    hook = webhook_store.create_webhook("hook", receiver.url, [MV_CREATED], secret="k")
    receiver.statuses = [500]
    make_dispatcher().publish("model_version", "created", PAYLOAD)
    first, second = receiver.wait_for(2)
    assert first.header(DELIVERY_ID_HEADER) == second.header(DELIVERY_ID_HEADER)
    assert first.body == second.body
    assert verify("k", second.headers, second.body)
    attempts = _deliveries(webhook_store, hook.webhook_id, 2)
    assert [(d.attempt, d.status, d.response_status) for d in attempts] == [
        (1, DeliveryStatus.RETRYING, 500),
        (2, DeliveryStatus.SUCCEEDED, 200),
    ]
    assert attempts[0].error_message == "HTTP 500"


def test_retries_stop_after_max_attempts(
    webhook_store: SqlWebhookStore, receiver: Receiver, make_dispatcher: MakeDispatcher
) -> None:
    hook = webhook_store.create_webhook("hook", receiver.url, [MV_CREATED])
    receiver.default = 503
    make_dispatcher(max_attempts=3).publish("model_version", "created", PAYLOAD)
    attempts = _deliveries(webhook_store, hook.webhook_id, 3)
    assert [d.status for d in attempts] == [
        DeliveryStatus.RETRYING,
        DeliveryStatus.RETRYING,
        DeliveryStatus.FAILED,
    ]
    assert len(receiver.requests) == 3


@pytest.mark.parametrize("status", [400, 404, 301])
def test_client_errors_and_redirects_are_not_retried(
    webhook_store: SqlWebhookStore,
    receiver: Receiver,
    make_dispatcher: MakeDispatcher,
    status: int,
) -> None:
    hook = webhook_store.create_webhook("hook", receiver.url, [MV_CREATED])
    receiver.statuses = [status]
    receiver.extra_headers = {"Location": "http://169.254.169.254/"}
    dispatcher = make_dispatcher(workers=1)
    dispatcher.publish("model_version", "created", PAYLOAD)
    (failed,) = _deliveries(webhook_store, hook.webhook_id, 1)
    assert (failed.status, failed.response_status) == (DeliveryStatus.FAILED, status)
    # a later event still flows: the failure above did not queue a retry before it
    dispatcher.publish("model_version", "created", PAYLOAD)
    receiver.wait_for(2)
    assert len(receiver.requests) == 2


def test_refused_connection_is_retried(
    webhook_store: SqlWebhookStore, make_dispatcher: MakeDispatcher
) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    hook = webhook_store.create_webhook("hook", f"http://127.0.0.1:{port}/", [MV_CREATED])
    make_dispatcher(max_attempts=2).publish("model_version", "created", PAYLOAD)
    attempts = _deliveries(webhook_store, hook.webhook_id, 2)
    assert [d.status for d in attempts] == [DeliveryStatus.RETRYING, DeliveryStatus.FAILED]
    assert all(d.response_status is None and "Connect" in (d.error_message or "") for d in attempts)


def test_disabled_and_unsubscribed_webhooks_are_not_called(
    webhook_store: SqlWebhookStore, receiver: Receiver, make_dispatcher: MakeDispatcher
) -> None:
    webhook_store.create_webhook(
        "off", receiver.url + "/off", [MV_CREATED], status=WebhookStatus.DISABLED
    )
    webhook_store.create_webhook("other", receiver.url + "/other", [RM_CREATED])
    webhook_store.create_webhook(
        "on", receiver.url + "/on", [WebhookEvent.parse("model_version_tag", "set")]
    )
    dispatcher = make_dispatcher(workers=1)  # one worker: events are handled in order
    dispatcher.publish("model_version", "created", PAYLOAD)
    dispatcher.publish("model_version_tag", "set", {"name": "m", "version": "1", "key": "k"})
    receiver.wait_for(1)
    assert [r.path for r in receiver.requests] == ["/hook/on"]


def test_destination_is_checked_again_at_delivery(
    webhook_store: SqlWebhookStore, receiver: Receiver, make_dispatcher: MakeDispatcher
) -> None:
    """A name that resolved publicly when saved but points at loopback now is refused."""
    port = receiver.url.split(":")[2].split("/")[0]
    hook = webhook_store.create_webhook("hook", f"http://rebind.test:{port}/", [MV_CREATED])
    guard = UrlGuard(resolver=lambda host, port: ["127.0.0.1"])
    make_dispatcher(guard).publish("model_version", "created", PAYLOAD)
    (refused,) = _deliveries(webhook_store, hook.webhook_id, 1)
    assert refused.status is DeliveryStatus.FAILED
    assert "Refused" in (refused.error_message or "") and "loopback" in refused.error_message
    assert receiver.requests == []


def test_delivery_goes_to_the_checked_address_with_the_name_in_host_and_sni(
    webhook_store: SqlWebhookStore, make_dispatcher: MakeDispatcher
) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    hook = webhook_store.create_webhook("hook", "https://hooks.example/in", [MV_CREATED])
    guard = UrlGuard(resolver=lambda host, port: ["93.184.216.34"])
    result = make_dispatcher(guard, transport=httpx.MockTransport(answer)).send_test(
        hook.webhook_id
    )
    assert (result.success, result.response_status) == (True, 204)
    (request,) = seen
    assert str(request.url) == "https://93.184.216.34/in"
    assert request.headers["Host"] == "hooks.example"
    assert request.extensions["sni_hostname"] == "hooks.example"


def test_send_test_reports_failure_without_retrying(
    webhook_store: SqlWebhookStore, receiver: Receiver, make_dispatcher: MakeDispatcher
) -> None:
    hook = webhook_store.create_webhook("hook", receiver.url, [RM_CREATED, MV_CREATED])
    receiver.default = 500
    result = make_dispatcher().send_test(hook.webhook_id, MV_CREATED)
    assert (result.success, result.response_status, result.response_body) == (
        False,
        500,
        "status 500",
    )
    (request,) = receiver.requests
    assert json.loads(request.body)["data"]["source"] == "models:/123"
    (recorded,) = webhook_store.list_deliveries(hook.webhook_id).items
    assert recorded.status is DeliveryStatus.FAILED


def test_send_test_to_a_refused_address_reports_the_reason(
    webhook_store: SqlWebhookStore, make_dispatcher: MakeDispatcher
) -> None:
    hook = webhook_store.create_webhook("hook", "http://10.0.0.5/", [RM_CREATED])
    result = make_dispatcher(UrlGuard()).send_test(hook.webhook_id)
    assert not result.success and result.response_status is None
    assert "private" in (result.error_message or "")


def test_publish_never_raises_and_close_joins_its_threads(
    webhook_store: SqlWebhookStore, receiver: Receiver, make_dispatcher: MakeDispatcher
) -> None:
    webhook_store.create_webhook("hook", receiver.url, [RM_CREATED])
    before = set(threading.enumerate())
    dispatcher = make_dispatcher(workers=3)
    dispatcher.publish("registered_model", "renamed", {})  # no webhook can subscribe to it
    dispatcher.publish("registered_model", "created", {"odd": object()})
    receiver.wait_for(1)
    dispatcher.close()
    assert not [t for t in set(threading.enumerate()) - before if t.name.startswith("cairn-")]
    dispatcher.publish("registered_model", "created", {})  # after close: dropped, no error
    dispatcher.close()


def test_nothing_starts_until_an_event_arrives(webhook_store: SqlWebhookStore) -> None:
    before = threading.active_count()
    dispatcher = WebhookDispatcher(webhook_store, UrlGuard())
    assert threading.active_count() == before
    dispatcher.close()
