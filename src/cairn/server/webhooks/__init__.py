"""Webhooks on Model Registry events (reference 3.5): URL guard, signing, dispatcher.

``install_webhooks`` is the one place the server wires them in: the dispatcher becomes the
state's event publisher and stops with the app.
"""

from __future__ import annotations

from fastapi import FastAPI

from cairn.errors import NotImplementedByStore
from cairn.server.state import ServerState
from cairn.server.webhooks.dispatcher import WebhookDispatcher
from cairn.server.webhooks.guard import UrlGuard
from cairn.store.registry.sql.store import SqlRegistryStore
from cairn.store.registry.sql.webhooks import SqlWebhookStore

__all__ = ["UrlGuard", "WebhookDispatcher", "install_webhooks", "webhook_service"]


def install_webhooks(app: FastAPI, state: ServerState) -> None:
    """Deliver registry events to webhooks; a no-op without a SQL registry store.

    Call it before the registry store's shutdown handler is added: handlers run in order, and
    the dispatcher's threads must stop before the engine they use is disposed.
    """
    if state.settings.artifacts_only or not isinstance(state.registry, SqlRegistryStore):
        return
    dispatcher = WebhookDispatcher(
        SqlWebhookStore(state.registry.engine),
        UrlGuard(allow_private=state.settings.webhooks_allow_private),
    )
    state.events = dispatcher
    app.router.add_event_handler("shutdown", dispatcher.close)


def webhook_service(state: ServerState) -> WebhookDispatcher:
    """The dispatcher behind this server's webhook endpoints."""
    if isinstance(state.events, WebhookDispatcher):
        return state.events
    raise NotImplementedByStore("Webhooks need a SQL registry store on this server.")
