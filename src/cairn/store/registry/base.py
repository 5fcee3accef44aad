"""The Model Registry store interface (MLflow's registry REST API, section 3 of the reference).

Versions are ``int`` here but every method also takes the wire's string form (``"3"``); a
value that is not an integer is INVALID_PARAMETER_VALUE. ``user_id`` is who made the change:
it is recorded on new models and versions and on every audit event.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence

from cairn.entities import (
    ModelVersion,
    ModelVersionStage,
    ModelVersionTag,
    Page,
    RegisteredModel,
    RegisteredModelTag,
    RegistryEvent,
)

#: MLflow's page sizes: registered models default 100 (max 1000); versions max 200000.
SEARCH_REGISTERED_MODELS_DEFAULT = 100
SEARCH_REGISTERED_MODELS_CAP = 1000
SEARCH_MODEL_VERSIONS_DEFAULT = 10_000
SEARCH_MODEL_VERSIONS_CAP = 200_000

VersionArg = int | str


class RegistryStore(abc.ABC):
    # --- registered models ----------------------------------------------------------------
    @abc.abstractmethod
    def create_registered_model(
        self,
        name: str,
        tags: Sequence[RegisteredModelTag] = (),
        description: str | None = None,
        user_id: str | None = None,
    ) -> RegisteredModel: ...

    @abc.abstractmethod
    def rename_registered_model(
        self, name: str, new_name: str, user_id: str | None = None
    ) -> RegisteredModel: ...

    @abc.abstractmethod
    def update_registered_model(
        self, name: str, description: str | None, user_id: str | None = None
    ) -> RegisteredModel: ...

    @abc.abstractmethod
    def delete_registered_model(self, name: str, user_id: str | None = None) -> None: ...

    @abc.abstractmethod
    def get_registered_model(self, name: str) -> RegisteredModel: ...

    @abc.abstractmethod
    def search_registered_models(
        self,
        filter_string: str | None = None,
        max_results: int = SEARCH_REGISTERED_MODELS_DEFAULT,
        order_by: Sequence[str] = (),
        page_token: str | None = None,
    ) -> Page[RegisteredModel]: ...

    @abc.abstractmethod
    def get_latest_versions(
        self, name: str, stages: Sequence[ModelVersionStage | str] = ()
    ) -> list[ModelVersion]:
        """The highest live version in each requested stage (all four when none given)."""

    @abc.abstractmethod
    def set_registered_model_tag(
        self, name: str, key: str, value: str, user_id: str | None = None
    ) -> None: ...

    @abc.abstractmethod
    def delete_registered_model_tag(self, name: str, key: str, user_id: str | None = None) -> None:
        """A missing tag is a no-op, as in MLflow's registry."""

    # --- aliases --------------------------------------------------------------------------
    @abc.abstractmethod
    def set_registered_model_alias(
        self, name: str, alias: str, version: VersionArg, user_id: str | None = None
    ) -> None:
        """Point ``alias`` at ``version``, moving it if it already points elsewhere."""

    @abc.abstractmethod
    def delete_registered_model_alias(
        self, name: str, alias: str, user_id: str | None = None
    ) -> None: ...

    @abc.abstractmethod
    def get_model_version_by_alias(self, name: str, alias: str) -> ModelVersion:
        """``latest`` (any case) is the highest live version; an unknown alias is a 400."""

    # --- model versions -------------------------------------------------------------------
    @abc.abstractmethod
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
    ) -> ModelVersion: ...

    @abc.abstractmethod
    def update_model_version(
        self, name: str, version: VersionArg, description: str | None, user_id: str | None = None
    ) -> ModelVersion: ...

    @abc.abstractmethod
    def transition_model_version_stage(
        self,
        name: str,
        version: VersionArg,
        stage: ModelVersionStage | str,
        archive_existing_versions: bool = False,
        user_id: str | None = None,
    ) -> ModelVersion: ...

    @abc.abstractmethod
    def delete_model_version(
        self, name: str, version: VersionArg, user_id: str | None = None
    ) -> None:
        """Soft delete: the number stays taken, the version disappears from every read."""

    @abc.abstractmethod
    def get_model_version(self, name: str, version: VersionArg) -> ModelVersion: ...

    @abc.abstractmethod
    def search_model_versions(
        self,
        filter_string: str | None = None,
        max_results: int = SEARCH_MODEL_VERSIONS_DEFAULT,
        order_by: Sequence[str] = (),
        page_token: str | None = None,
    ) -> Page[ModelVersion]: ...

    @abc.abstractmethod
    def get_model_version_download_uri(self, name: str, version: VersionArg) -> str: ...

    @abc.abstractmethod
    def set_model_version_tag(
        self, name: str, version: VersionArg, key: str, value: str, user_id: str | None = None
    ) -> None: ...

    @abc.abstractmethod
    def delete_model_version_tag(
        self, name: str, version: VersionArg, key: str, user_id: str | None = None
    ) -> None: ...

    # --- audit history --------------------------------------------------------------------
    @abc.abstractmethod
    def list_events(self, name: str, version: int | None = None) -> list[RegistryEvent]:
        """Every change to the model (or to one of its versions), oldest first."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections."""
