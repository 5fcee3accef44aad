"""Delivery bytes and signatures match what MLflow 3.x sends, so receivers work with both."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from mlflow.webhooks.delivery import _generate_hmac_signature

from cairn.server.webhooks.signing import (
    DELIVERY_ID_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    delivery_headers,
    event_body,
    sign,
    verify,
)

WHEN = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=timezone.utc)


def test_signature_is_byte_identical_to_mlflows() -> None:
    body = event_body("model_version", "created", {"name": "m", "version": "1"}, WHEN)
    ours = sign("top-secret", "d-1", "1767323045", body)
    assert ours == _generate_hmac_signature("top-secret", "d-1", "1767323045", body)
    assert ours.startswith("v1,")


def test_body_has_mlflows_shape_and_spelling() -> None:
    body = event_body("registered_model", "created", {"name": "m", "tags": {}}, WHEN)
    mlflow_style = json.dumps(
        {
            "entity": "registered_model",
            "action": "created",
            "timestamp": WHEN.isoformat(),
            "data": {"name": "m", "tags": {}},
        }
    )
    assert body == mlflow_style
    assert json.loads(body)["timestamp"] == "2026-01-02T03:04:05.678901+00:00"


def test_body_timestamp_is_utc_whatever_zone_it_is_given_in() -> None:
    local = WHEN.astimezone(timezone(timedelta(hours=5)))
    assert json.loads(event_body("a", "b", {}, local))["timestamp"].endswith("+00:00")


def test_headers_carry_id_timestamp_and_signature_only_with_a_secret() -> None:
    signed = delivery_headers("d-1", "{}", "k", timestamp=1700000000)
    assert signed[DELIVERY_ID_HEADER] == "d-1"
    assert signed[TIMESTAMP_HEADER] == "1700000000"
    assert signed[SIGNATURE_HEADER] == sign("k", "d-1", "1700000000", "{}")
    assert SIGNATURE_HEADER not in delivery_headers("d-1", "{}", None)


def test_verify_accepts_genuine_and_rejects_tampered_or_stale() -> None:
    headers = delivery_headers("d-1", '{"a": 1}', "k", timestamp=1700000000)
    assert verify("k", headers, b'{"a": 1}', now=1700000010)
    assert not verify("wrong", headers, b'{"a": 1}', now=1700000010)
    assert not verify("k", headers, b'{"a": 2}', now=1700000010)
    assert not verify("k", headers, b'{"a": 1}', now=1700009999)
    assert not verify("k", {**headers, DELIVERY_ID_HEADER: "d-2"}, b'{"a": 1}', now=1700000010)
    assert not verify("k", {}, b"{}")
