"""The Model Registry half of :class:`~cairn.tracking.client.CairnClient` (MlflowClient's names
and signatures), plus cairn's audit-history and lineage reads.

The registry store comes from ``registry_uri`` (default: the tracking URI): a server's REST
API, or the SQL registry inside the local tracking database. With a local store the client
plays the server's part for what MLflow's server derives from a new version's source (the run
and logged model of a ``models:/`` source), so lineage is the same either way.

>>> import tempfile
>>> client = CairnClient(tempfile.mkdtemp())
>>> client.create_registered_model("churn").name
'churn'
>>> client.create_model_version("churn", "/models/churn").version
1
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from cairn.config import Settings
from cairn.entities import (
    ModelVersion,
    ModelVersionStage,
    ModelVersionStatus,
    ModelVersionTag,
    Page,
    RegisteredModel,
    RegisteredModelTag,
    RegistryEvent,
)
from cairn.errors import (
    Conflict,
    DeadlineExceeded,
    InvalidParameterValue,
    InvalidState,
    ResourceAlreadyExists,
    ResourceDoesNotExist,
)
from cairn.store.registry.base import (
    SEARCH_MODEL_VERSIONS_DEFAULT,
    SEARCH_REGISTERED_MODELS_DEFAULT,
    RegistryStore,
    VersionArg,
)
from cairn.store.registry.model_uri import find_version, is_models_uri, parse_models_uri
from cairn.store.tracking.registry import is_server_uri
from cairn.tracking import context
from cairn.tracking.store_cache import registry_store_for

if TYPE_CHECKING:
    from cairn.entities import Experiment, LoggedModel, Run
    from cairn.entities.lineage import ModelVersionLineage

logger = logging.getLogger(__name__)

#: MLflow's defaults for ``await_creation_for`` (seconds) and its polling interval.
DEFAULT_AWAIT_SECONDS = 300
AWAIT_POLL_SECONDS = 3.0
#: The logged-model tag listing the versions registered from it (``[{name, version}]``).
MODEL_VERSIONS_TAG = "mlflow.modelVersions"
#: How many ``models:/<name>/<version>`` hops a source may take before it counts as a loop.
_MAX_SOURCE_HOPS = 10


class RegistryClientMixin:
    """Registry methods of ``CairnClient``; they need its settings and tracking reads."""

    _settings: Settings
    registry_uri: str | None
    _registry_store: RegistryStore | None = None

    if TYPE_CHECKING:  # provided by CairnClient

        def get_run(self, run_id: str) -> Run: ...

        def get_experiment(self, experiment_id: str) -> Experiment: ...

        def get_logged_model(self, model_id: str) -> LoggedModel: ...

        def set_logged_model_tags(self, model_id: str, tags: Mapping[str, Any]) -> None: ...

    @property
    def registry_store(self) -> RegistryStore:
        if self._registry_store is None:
            self._registry_store = registry_store_for(self.registry_uri, self._settings)
        return self._registry_store

    def _user_id(self) -> str:
        return context.local_user(self._settings)

    # --- registered models ---------------------------------------------------------------------
    def create_registered_model(
        self, name: str, tags: Mapping[str, Any] | None = None, description: str | None = None
    ) -> RegisteredModel:
        model_tags = [RegisteredModelTag(k, str(v)) for k, v in (tags or {}).items()]
        return self.registry_store.create_registered_model(
            name, model_tags, description, self._user_id()
        )

    def rename_registered_model(self, name: str, new_name: str) -> RegisteredModel:
        return self.registry_store.rename_registered_model(name, new_name, self._user_id())

    def update_registered_model(self, name: str, description: str | None = None) -> RegisteredModel:
        return self.registry_store.update_registered_model(name, description, self._user_id())

    def delete_registered_model(self, name: str) -> None:
        self.registry_store.delete_registered_model(name, self._user_id())

    def get_registered_model(self, name: str) -> RegisteredModel:
        return self.registry_store.get_registered_model(name)

    def search_registered_models(
        self,
        filter_string: str | None = None,
        max_results: int = SEARCH_REGISTERED_MODELS_DEFAULT,
        order_by: Sequence[str] | None = None,
        page_token: str | None = None,
    ) -> Page[RegisteredModel]:
        return self.registry_store.search_registered_models(
            filter_string, max_results, order_by or (), page_token
        )

    def get_latest_versions(
        self, name: str, stages: Sequence[ModelVersionStage | str] | None = None
    ) -> list[ModelVersion]:
        """The highest version in each of ``stages`` (all four when None)."""
        return self.registry_store.get_latest_versions(name, stages or ())

    def set_registered_model_tag(self, name: str, key: str, value: Any) -> None:
        self.registry_store.set_registered_model_tag(name, key, str(value), self._user_id())

    def delete_registered_model_tag(self, name: str, key: str) -> None:
        self.registry_store.delete_registered_model_tag(name, key, self._user_id())

    # --- aliases -------------------------------------------------------------------------------
    def set_registered_model_alias(self, name: str, alias: str, version: VersionArg) -> None:
        self.registry_store.set_registered_model_alias(name, alias, version, self._user_id())

    def delete_registered_model_alias(self, name: str, alias: str) -> None:
        self.registry_store.delete_registered_model_alias(name, alias, self._user_id())

    def get_model_version_by_alias(self, name: str, alias: str) -> ModelVersion:
        return self.registry_store.get_model_version_by_alias(name, alias)

    # --- model versions ------------------------------------------------------------------------
    def create_model_version(
        self,
        name: str,
        source: str,
        run_id: str | None = None,
        tags: Mapping[str, Any] | None = None,
        run_link: str | None = None,
        description: str | None = None,
        await_creation_for: int | None = DEFAULT_AWAIT_SECONDS,
        model_id: str | None = None,
    ) -> ModelVersion:
        """A new version of ``name`` from ``source``; waits up to ``await_creation_for``
        seconds for a server that registers asynchronously to report it READY."""
        local = not is_server_uri(self.registry_uri)
        if local:  # what MLflow's server derives from the source, done here
            source, run_id, model_id = self._source_lineage(source, run_id, model_id)
        version_tags = [ModelVersionTag(k, str(v)) for k, v in (tags or {}).items()]
        created = self.registry_store.create_model_version(
            name, source, run_id, version_tags, run_link, description, self._user_id(), model_id
        )
        if local and model_id:
            self.link_version_to_logged_model(model_id, created)
        return self._await_ready(created, await_creation_for)

    def _source_lineage(
        self, source: str, run_id: str | None, model_id: str | None
    ) -> tuple[str, str | None, str | None]:
        """(source, run_id, model_id) as MLflow's server stores them: a version source becomes
        ``models:/<name>/<number>`` and lends its run and model; a logged model lends its run."""
        if is_models_uri(source):
            ref = parse_models_uri(source)
            if ref.is_registry:
                origin = find_version(self.registry_store, ref)
                source = f"models:/{origin.name}/{origin.version}"
                run_id, model_id = run_id or origin.run_id, model_id or origin.model_id
            elif not run_id and ref.model_id:
                run_id = self.get_logged_model(ref.model_id).source_run_id
        if model_id and not run_id:
            run_id = self.get_logged_model(model_id).source_run_id
        return source, run_id, model_id

    def link_version_to_logged_model(self, model_id: str, version: ModelVersion) -> None:
        """Add ``{name, version}`` to the logged model's ``mlflow.modelVersions`` tag, as
        MLflow does, so the model's page lists where it is registered. Best effort: a model
        this tracking store does not have is only logged."""
        try:
            model = self.get_logged_model(model_id)
        except ResourceDoesNotExist:
            logger.warning("Logged model %s not found: version link not recorded.", model_id)
            return
        try:
            links = json.loads(model.tag_dict.get(MODEL_VERSIONS_TAG, "[]"))
        except ValueError:
            links = []
        entry = {"name": version.name, "version": version.version}
        if not isinstance(links, list):
            links = []
        if any(isinstance(e, dict) and _same_link(e, entry) for e in links):
            return
        self.set_logged_model_tags(model_id, {MODEL_VERSIONS_TAG: json.dumps([*links, entry])})

    def _await_ready(self, version: ModelVersion, seconds: int | None) -> ModelVersion:
        if not seconds:
            return version
        deadline = time.monotonic() + seconds
        while version.status is ModelVersionStatus.PENDING_REGISTRATION:
            if time.monotonic() > deadline:
                raise DeadlineExceeded(
                    f"Exceeded max wait time for model name: {version.name} version: "
                    f"{version.version} to become READY. Wait time: {seconds} s."
                )
            time.sleep(AWAIT_POLL_SECONDS)
            version = self.get_model_version(version.name, version.version)
        if version.status is not ModelVersionStatus.READY:
            raise InvalidState(
                f"Model version creation failed for model name: {version.name} version: "
                f"{version.version} with status: {version.status.name} and message: "
                f"{version.status_message}"
            )
        return version

    def update_model_version(
        self, name: str, version: VersionArg, description: str | None = None
    ) -> ModelVersion:
        return self.registry_store.update_model_version(name, version, description, self._user_id())

    def transition_model_version_stage(
        self,
        name: str,
        version: VersionArg,
        stage: ModelVersionStage | str,
        archive_existing_versions: bool = False,
    ) -> ModelVersion:
        return self.registry_store.transition_model_version_stage(
            name, version, stage, archive_existing_versions, self._user_id()
        )

    def delete_model_version(self, name: str, version: VersionArg) -> None:
        self.registry_store.delete_model_version(name, version, self._user_id())

    def get_model_version(self, name: str, version: VersionArg) -> ModelVersion:
        return self.registry_store.get_model_version(name, version)

    def search_model_versions(
        self,
        filter_string: str | None = None,
        max_results: int = SEARCH_MODEL_VERSIONS_DEFAULT,
        order_by: Sequence[str] | None = None,
        page_token: str | None = None,
    ) -> Page[ModelVersion]:
        return self.registry_store.search_model_versions(
            filter_string, max_results, order_by or (), page_token
        )

    def get_model_version_download_uri(self, name: str, version: VersionArg) -> str:
        """Where the version's files are: ``models:/`` sources are followed to the logged
        model's artifact location or the referenced version's, as MLflow's server does;
        other sources (paths, artifact URIs, ``runs:/``) are returned as they are."""
        uri = self.registry_store.get_model_version_download_uri(name, version)
        for _ in range(_MAX_SOURCE_HOPS):
            if not is_models_uri(uri):
                return uri
            ref = parse_models_uri(uri)
            if ref.model_id is not None:
                return self.get_logged_model(ref.model_id).artifact_location
            origin = find_version(self.registry_store, ref)
            uri = self.registry_store.get_model_version_download_uri(origin.name, origin.version)
        raise InvalidParameterValue(
            f"The source of version {version} of {name!r} refers to other versions more than "
            f"{_MAX_SOURCE_HOPS} times (a loop?); last: {uri[:200]!r}."
        )

    def get_model_version_by_uri(self, model_uri: str) -> ModelVersion:
        """The version a registry URI names (``models:/<name>/<version|stage|latest>`` or
        ``models:/<name>@<alias>``); a cairn addition the model loaders use."""
        ref = parse_models_uri(model_uri)
        if not ref.is_registry:
            raise InvalidParameterValue(
                f"{model_uri[:200]!r} names a logged model, not a registered model version."
            )
        return find_version(self.registry_store, ref)

    def set_model_version_tag(
        self,
        name: str,
        version: VersionArg | None = None,
        key: str | None = None,
        value: Any = None,
        stage: str | None = None,
    ) -> None:
        """Tag a version, named by number or (deprecated, as in MLflow) by its stage."""
        number = self._version_or_stage(name, version, stage)
        if key is None:
            raise InvalidParameterValue("A model version tag needs a key.")
        self.registry_store.set_model_version_tag(name, number, key, str(value), self._user_id())

    def delete_model_version_tag(
        self,
        name: str,
        version: VersionArg | None = None,
        key: str | None = None,
        stage: str | None = None,
    ) -> None:
        number = self._version_or_stage(name, version, stage)
        if key is None:
            raise InvalidParameterValue("A model version tag needs a key.")
        self.registry_store.delete_model_version_tag(name, number, key, self._user_id())

    def _version_or_stage(self, name: str, version: VersionArg | None, stage: str | None) -> int:
        if (version is None) == (stage is None):
            raise InvalidParameterValue("Give exactly one of version or stage.")
        if version is not None:
            return self.get_model_version(name, version).version
        latest = self.get_latest_versions(name, [str(stage)])
        if not latest:
            raise ResourceDoesNotExist(f"Registered model {name!r} has no version in {stage}.")
        return max(mv.version for mv in latest)

    def copy_model_version(self, src_model_uri: str, dst_name: str) -> ModelVersion:
        """A new version of ``dst_name`` (created if missing) whose source is
        ``models:/<src name>/<src version>``, keeping the source's run, model and tags."""
        if not is_models_uri(src_model_uri):
            raise InvalidParameterValue(
                f"Unsupported source model URI {src_model_uri[:200]!r}: copy_model_version "
                "only copies registered versions (models:/<name>/<version>, models:/<name>@...)."
            )
        src = self.get_model_version_by_uri(src_model_uri)
        self.ensure_registered_model(dst_name)
        return self.create_model_version(
            dst_name,
            f"models:/{src.name}/{src.version}",
            run_id=src.run_id,
            tags=src.tag_dict,
            run_link=src.run_link,
            description=src.description,
            model_id=src.model_id,
        )

    def ensure_registered_model(self, name: str) -> bool:
        """Create ``name`` unless it exists; True when it was created. A concurrent creator's
        ALREADY_EXISTS (Conflict) counts as existing too, as in MLflow."""
        try:
            self.create_registered_model(name)
        except (ResourceAlreadyExists, Conflict):
            return False
        return True

    # --- audit history and lineage (cairn) -----------------------------------------------------
    def get_registry_history(self, name: str, version: int | None = None) -> list[RegistryEvent]:
        """Every change to the model (or one version), oldest first: who did what, when."""
        return self.registry_store.list_events(name, version)

    def get_version_in_stage_at(
        self, name: str, stage: ModelVersionStage | str, timestamp_ms: int
    ) -> int | None:
        """The version ``models:/<name>/<stage>`` resolved to at ``timestamp_ms`` (the
        highest one in the stage then), or None when the stage was empty."""
        from cairn.store.registry.history import versions_in_stage_at  # only when asked

        events = self.registry_store.list_events(name)
        found = versions_in_stage_at(events, ModelVersionStage.parse(stage), timestamp_ms)
        return max(found) if found else None

    def get_model_version_lineage(self, name: str, version: VersionArg) -> ModelVersionLineage:
        """The version with the run, experiment, params, metrics, datasets and code it came
        from (a version without a run gets only its own part)."""
        from cairn.tracking.lineage import version_lineage  # only when asked: not at import

        return version_lineage(self.get_model_version(name, version), self)


def _same_link(existing: Mapping[str, Any], entry: Mapping[str, Any]) -> bool:
    """Servers write the version as a number, clients as a string: compare them as text."""
    return bool(
        existing.get("name") == entry["name"]
        and str(existing.get("version")) == str(entry["version"])
    )
