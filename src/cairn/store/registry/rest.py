"""``RestRegistryStore``: the ``RegistryStore`` interface over MLflow's registry REST API.

Every method makes the call MLflow's own client makes (reference section 3.1: method, path and
fields; ``PATCH`` updates, ``DELETE`` with a JSON body, searches as ``GET`` with a query string,
get-latest-versions as ``POST`` falling back to ``GET``), so the same store talks to a cairn
server or a stock MLflow server. The audit history is cairn's own endpoint
(``/api/2.0/cairn/registry/events``), which an MLflow server answers with 404.

Who made a change travels in the ``X-Cairn-User`` header (the server's ``identity.py`` reads
it): the ``user_id`` argument of a mutating method, else the configured HTTP user name (the
one Basic auth would name), else the local user name. Error envelopes come back as the same
typed ``CairnError``s the SQL store raises.

>>> store = RestRegistryStore("http://127.0.0.1:5000")  # no I/O until the first call
>>> store.api_url("registered-models/get")
'http://127.0.0.1:5000/api/2.0/mlflow/registered-models/get'
>>> store.close()
"""

from __future__ import annotations

import getpass
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any
from urllib.parse import quote

from cairn.entities import (
    ModelVersion,
    ModelVersionStage,
    ModelVersionTag,
    Page,
    RegisteredModel,
    RegisteredModelTag,
    RegistryEvent,
)
from cairn.errors import EndpointNotFound
from cairn.store.registry.base import (
    SEARCH_MODEL_VERSIONS_DEFAULT,
    SEARCH_REGISTERED_MODELS_DEFAULT,
    RegistryStore,
    VersionArg,
)
from cairn.store.tracking.rest import _bodies as b
from cairn.store.tracking.rest._api import CAIRN_PREFIX, RestApi, check_tracking_uri
from cairn.store.tracking.rest.http import HttpConfig, HttpTransport
from cairn.wire.registry import (
    decode_model_version,
    decode_registered_model,
    decode_registry_event,
)

JsonDict = dict[str, Any]

USER_HEADER = "X-Cairn-User"
#: The server keeps at most this many characters of a name (``server/identity.py``).
MAX_USER_LENGTH = 256
#: Printable ASCII travels as is; anything else (and ``%`` itself) is percent-encoded, since
#: HTTP header values are bytes and httpx refuses non-ASCII text.
_HEADER_SAFE = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) != "%")

_RM = "registered-models"
_MV = "model-versions"


def local_user() -> str | None:
    """The name of the user running this process, or None where the OS cannot tell (no
    passwd entry in a container, no login environment): a missing name must never stop a
    registry change."""
    try:
        return getpass.getuser() or None
    except (KeyError, OSError, ImportError):
        return None


def user_header_value(user: str) -> str | None:
    """``user`` as a header value: control characters dropped, trimmed, capped like the
    server caps it, non-ASCII percent-encoded; None when nothing is left to send."""
    text = "".join(ch for ch in user if ch.isprintable()).strip()[:MAX_USER_LENGTH]
    return quote(text, safe=_HEADER_SAFE) or None


def _version(version: VersionArg) -> str:
    """The wire's string form; a value that is not an integer is left for the server to
    refuse, exactly as MLflow's client sends ``str(version)``."""
    return str(version)


def _stage(stage: ModelVersionStage | str) -> str:
    return stage.value if isinstance(stage, ModelVersionStage) else str(stage)


def _page_token(data: JsonDict) -> str | None:
    return data.get("next_page_token") or None


class RestRegistryStore(RegistryStore):
    """A tracking server's model registry reached over HTTP; thread-safe.

    Pass ``transport`` to share a connection pool (and its credentials) with a
    ``RestTrackingStore``; ``close()`` then leaves it open for its owner.
    """

    def __init__(
        self,
        tracking_uri: str,
        config: HttpConfig | None = None,
        *,
        transport: HttpTransport | None = None,
    ) -> None:
        self.tracking_uri = check_tracking_uri(tracking_uri)
        self._owns_transport = transport is None
        self.transport = transport or HttpTransport(config, auth_origin=self.tracking_uri)
        self._api = RestApi(self.tracking_uri, self.transport)

    def close(self) -> None:
        if self._owns_transport:
            self.transport.close()

    def api_url(self, endpoint: str) -> str:
        return self._api.url(endpoint)

    # --- plumbing ------------------------------------------------------------------------------
    @cached_property
    def _default_user(self) -> str | None:
        """The header outranks Basic auth on the server, so the configured user name must
        win over the OS account (a container's ``root`` is nobody's name)."""
        return self.transport.config.username or local_user()

    def _who(self, user_id: str | None) -> Mapping[str, str]:
        """The audit identity header of one change (nothing when no name is known)."""
        value = user_header_value(user_id or self._default_user or "")
        return {USER_HEADER: value} if value else {}

    def _change(
        self,
        method: str,
        endpoint: str,
        body: JsonDict,
        user_id: str | None,
        *,
        idempotent: bool,
    ) -> JsonDict:
        """A mutating call. ``idempotent`` only for calls whose repetition converges (upserts,
        registry deletes of tags/aliases that are no-ops the second time); a create, rename,
        delete or transition is never retried once it may have reached the server."""
        return self._api.call(
            method, endpoint, body, idempotent=idempotent, headers=self._who(user_id)
        )

    # --- registered models ---------------------------------------------------------------------
    def create_registered_model(
        self,
        name: str,
        tags: Sequence[RegisteredModelTag] = (),
        description: str | None = None,
        user_id: str | None = None,
    ) -> RegisteredModel:
        body = {"name": name, "tags": b.key_values(tags) or None, "description": description}
        data = self._change("POST", f"{_RM}/create", body, user_id, idempotent=False)
        return decode_registered_model(data["registered_model"])

    def rename_registered_model(
        self, name: str, new_name: str, user_id: str | None = None
    ) -> RegisteredModel:
        body = {"name": name, "new_name": new_name}
        data = self._change("POST", f"{_RM}/rename", body, user_id, idempotent=False)
        return decode_registered_model(data["registered_model"])

    def update_registered_model(
        self, name: str, description: str | None, user_id: str | None = None
    ) -> RegisteredModel:
        """A None description is left out of the request, which clears it (as in MLflow)."""
        body = {"name": name, "description": description}
        data = self._change("PATCH", f"{_RM}/update", body, user_id, idempotent=True)
        return decode_registered_model(data["registered_model"])

    def delete_registered_model(self, name: str, user_id: str | None = None) -> None:
        self._change("DELETE", f"{_RM}/delete", {"name": name}, user_id, idempotent=False)

    def get_registered_model(self, name: str) -> RegisteredModel:
        data = self._api.get(f"{_RM}/get", {"name": name})
        return decode_registered_model(data["registered_model"])

    def search_registered_models(
        self,
        filter_string: str | None = None,
        max_results: int = SEARCH_REGISTERED_MODELS_DEFAULT,
        order_by: Sequence[str] = (),
        page_token: str | None = None,
    ) -> Page[RegisteredModel]:
        fields = {
            "filter": filter_string,
            "max_results": max_results,
            "order_by": list(order_by),
            "page_token": page_token,
        }
        data = self._api.get(f"{_RM}/search", fields)
        items = tuple(decode_registered_model(m) for m in data.get("registered_models") or ())
        return Page(items, _page_token(data))

    def get_latest_versions(
        self, name: str, stages: Sequence[ModelVersionStage | str] = ()
    ) -> list[ModelVersion]:
        """``POST`` first and ``GET`` when the server has no such route, as MLflow's client
        does (older servers served only ``GET``)."""
        fields = {"name": name, "stages": [_stage(s) for s in stages] or None}
        endpoint = f"{_RM}/get-latest-versions"
        try:
            data = self._api.post(endpoint, fields, idempotent=True)
        except EndpointNotFound:
            data = self._api.get(endpoint, fields)
        return [decode_model_version(v) for v in data.get("model_versions") or ()]

    def set_registered_model_tag(
        self, name: str, key: str, value: str, user_id: str | None = None
    ) -> None:
        body = {"name": name, "key": key, "value": value}
        self._change("POST", f"{_RM}/set-tag", body, user_id, idempotent=True)

    def delete_registered_model_tag(self, name: str, key: str, user_id: str | None = None) -> None:
        body = {"name": name, "key": key}
        self._change("DELETE", f"{_RM}/delete-tag", body, user_id, idempotent=True)

    # --- aliases -------------------------------------------------------------------------------
    def set_registered_model_alias(
        self, name: str, alias: str, version: VersionArg, user_id: str | None = None
    ) -> None:
        body = {"name": name, "alias": alias, "version": _version(version)}
        self._change("POST", f"{_RM}/alias", body, user_id, idempotent=True)

    def delete_registered_model_alias(
        self, name: str, alias: str, user_id: str | None = None
    ) -> None:
        body = {"name": name, "alias": alias}
        self._change("DELETE", f"{_RM}/alias", body, user_id, idempotent=True)

    def get_model_version_by_alias(self, name: str, alias: str) -> ModelVersion:
        data = self._api.get(f"{_RM}/alias", {"name": name, "alias": alias})
        return decode_model_version(data["model_version"])

    # --- model versions ------------------------------------------------------------------------
    def create_model_version(
        self,
        name: str,
        source: str,
        run_id: str | None = None,
        tags: Sequence[ModelVersionTag] = (),
        run_link: str | None = None,
        description: str | None = None,
        user_id: str | None = None,
        model_id: str | None = None,
    ) -> ModelVersion:
        """Never retried once sent: a repeat would register a second version."""
        body = {
            "name": name,
            "source": source,
            "run_id": run_id,
            "run_link": run_link,
            "tags": b.key_values(tags) or None,
            "description": description,
            "model_id": model_id,
        }
        data = self._change("POST", f"{_MV}/create", body, user_id, idempotent=False)
        return decode_model_version(data["model_version"])

    def update_model_version(
        self, name: str, version: VersionArg, description: str | None, user_id: str | None = None
    ) -> ModelVersion:
        body = {"name": name, "version": _version(version), "description": description}
        data = self._change("PATCH", f"{_MV}/update", body, user_id, idempotent=True)
        return decode_model_version(data["model_version"])

    def transition_model_version_stage(
        self,
        name: str,
        version: VersionArg,
        stage: ModelVersionStage | str,
        archive_existing_versions: bool = False,
        user_id: str | None = None,
    ) -> ModelVersion:
        body = {
            "name": name,
            "version": _version(version),
            "stage": _stage(stage),
            "archive_existing_versions": bool(archive_existing_versions),
        }
        data = self._change("POST", f"{_MV}/transition-stage", body, user_id, idempotent=False)
        return decode_model_version(data["model_version"])

    def delete_model_version(
        self, name: str, version: VersionArg, user_id: str | None = None
    ) -> None:
        body = {"name": name, "version": _version(version)}
        self._change("DELETE", f"{_MV}/delete", body, user_id, idempotent=False)

    def get_model_version(self, name: str, version: VersionArg) -> ModelVersion:
        data = self._api.get(f"{_MV}/get", {"name": name, "version": _version(version)})
        return decode_model_version(data["model_version"])

    def search_model_versions(
        self,
        filter_string: str | None = None,
        max_results: int = SEARCH_MODEL_VERSIONS_DEFAULT,
        order_by: Sequence[str] = (),
        page_token: str | None = None,
    ) -> Page[ModelVersion]:
        fields = {
            "filter": filter_string,
            "max_results": max_results,
            "order_by": list(order_by),
            "page_token": page_token,
        }
        data = self._api.get(f"{_MV}/search", fields)
        items = tuple(decode_model_version(v) for v in data.get("model_versions") or ())
        return Page(items, _page_token(data))

    def get_model_version_download_uri(self, name: str, version: VersionArg) -> str:
        fields = {"name": name, "version": _version(version)}
        return str(self._api.get(f"{_MV}/get-download-uri", fields).get("artifact_uri") or "")

    def set_model_version_tag(
        self, name: str, version: VersionArg, key: str, value: str, user_id: str | None = None
    ) -> None:
        body = {"name": name, "version": _version(version), "key": key, "value": value}
        self._change("POST", f"{_MV}/set-tag", body, user_id, idempotent=True)

    def delete_model_version_tag(
        self, name: str, version: VersionArg, key: str, user_id: str | None = None
    ) -> None:
        body = {"name": name, "version": _version(version), "key": key}
        self._change("DELETE", f"{_MV}/delete-tag", body, user_id, idempotent=True)

    # --- audit history (cairn-native endpoint) ---------------------------------------------------
    def list_events(self, name: str, version: int | None = None) -> list[RegistryEvent]:
        fields = {"name": name, "version": None if version is None else _version(version)}
        data = self._api.get("registry/events", fields, CAIRN_PREFIX)
        return [decode_registry_event(e) for e in data.get("events") or ()]
