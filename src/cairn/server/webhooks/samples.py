"""Example payloads the test endpoint sends, the same ones MLflow sends, so that a receiver
built against either server sees the same shapes."""

from __future__ import annotations

from typing import Any

from cairn.entities.webhook import WebhookAction, WebhookEntity, WebhookEvent

_E, _A = WebhookEntity, WebhookAction
_MODEL = "example_model"
_PROMPT = "example_prompt"
_TAGS = {"example_key": "example_value"}

_SAMPLES: dict[tuple[WebhookEntity, WebhookAction], dict[str, Any]] = {
    (_E.REGISTERED_MODEL, _A.CREATED): {
        "name": _MODEL,
        "tags": _TAGS,
        "description": "An example registered model",
    },
    (_E.MODEL_VERSION, _A.CREATED): {
        "name": _MODEL,
        "version": "1",
        "source": "models:/123",
        "run_id": "abcd1234abcd5678",
        "tags": _TAGS,
        "description": "An example model version",
    },
    (_E.MODEL_VERSION_TAG, _A.SET): {
        "name": _MODEL,
        "version": "1",
        "key": "example_key",
        "value": "example_value",
    },
    (_E.MODEL_VERSION_TAG, _A.DELETED): {"name": _MODEL, "version": "1", "key": "example_key"},
    (_E.MODEL_VERSION_ALIAS, _A.CREATED): {
        "name": _MODEL,
        "alias": "example_alias",
        "version": "1",
    },
    (_E.MODEL_VERSION_ALIAS, _A.DELETED): {"name": _MODEL, "alias": "example_alias"},
    (_E.PROMPT, _A.CREATED): {"name": _PROMPT, "tags": _TAGS, "description": "An example prompt"},
    (_E.PROMPT_VERSION, _A.CREATED): {
        "name": _PROMPT,
        "version": "1",
        "template": "Hello {{name}}!",
        "tags": _TAGS,
        "description": "An example prompt version",
    },
    (_E.PROMPT_TAG, _A.SET): {"name": _PROMPT, "key": "example_key", "value": "example_value"},
    (_E.PROMPT_TAG, _A.DELETED): {"name": _PROMPT, "key": "example_key"},
    (_E.PROMPT_VERSION_TAG, _A.SET): {
        "name": _PROMPT,
        "version": "1",
        "key": "example_key",
        "value": "example_value",
    },
    (_E.PROMPT_VERSION_TAG, _A.DELETED): {"name": _PROMPT, "version": "1", "key": "example_key"},
    (_E.PROMPT_ALIAS, _A.CREATED): {"name": _PROMPT, "alias": "example_alias", "version": "1"},
    (_E.PROMPT_ALIAS, _A.DELETED): {"name": _PROMPT, "alias": "example_alias"},
    (_E.BUDGET_POLICY, _A.EXCEEDED): {
        "budget_policy_id": "bp-abc123",
        "budget_unit": "USD",
        "budget_amount": 100.0,
        "current_spend": 105.50,
        "duration_unit": "MONTHS",
        "duration_value": 1,
        "target_scope": "ENDPOINT",
        "workspace": "default",
        "target_value": "ep-abc123",
        "window_start": 1704067200000,
    },
}


def sample_payload(event: WebhookEvent) -> dict[str, Any]:
    """A fresh copy (callers may add to it) of the example payload for ``event``."""
    return {
        k: dict(v) if isinstance(v, dict) else v
        for k, v in _SAMPLES[(event.entity, event.action)].items()
    }
