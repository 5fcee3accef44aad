"""The model registry's entities, requests and answers (reference section 3).

A version number travels as a string (``"3"``); stages by their display name.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from cairn.server.schemas._base import KeyValue, WireModel

StageName = Literal["None", "Staging", "Production", "Archived"]
ModelVersionStatusName = Literal["PENDING_REGISTRATION", "FAILED_REGISTRATION", "READY"]
RegistryEventTypeName = Literal[
    "model_created",
    "model_renamed",
    "model_description_changed",
    "model_tag_set",
    "model_tag_deleted",
    "model_deleted",
    "alias_set",
    "alias_deleted",
    "version_created",
    "version_description_changed",
    "version_tag_set",
    "version_tag_deleted",
    "stage_transitioned",
    "version_deleted",
]


class ModelVersion(WireModel):
    """``description``, ``run_id`` and ``run_link`` are always written, possibly empty."""

    name: str
    version: str
    creation_timestamp: int
    last_updated_timestamp: int
    user_id: str | None = None
    current_stage: StageName
    description: str
    source: str
    run_id: str
    status: ModelVersionStatusName
    status_message: str | None = None
    tags: list[KeyValue] | None = None
    run_link: str
    aliases: list[str] | None = None
    model_id: str | None = None


class RegisteredModelAlias(WireModel):
    alias: str
    version: str


class RegisteredModel(WireModel):
    """``latest_versions`` holds the newest version of each stage present."""

    name: str
    creation_timestamp: int
    last_updated_timestamp: int
    user_id: str | None = None
    description: str
    latest_versions: list[ModelVersion] | None = None
    tags: list[KeyValue] | None = None
    aliases: list[RegisteredModelAlias] | None = None


class RegisteredModelResponse(WireModel):
    registered_model: RegisteredModel


class ModelVersionResponse(WireModel):
    model_version: ModelVersion


class ModelVersionsResponse(WireModel):
    """``get-latest-versions``: no key when the model has no versions."""

    model_versions: list[ModelVersion] | None = None


class CreateRegisteredModelRequest(WireModel):
    name: str
    tags: list[KeyValue] | None = None
    description: str | None = None


class RenameRegisteredModelRequest(WireModel):
    name: str
    new_name: str


class UpdateRegisteredModelRequest(WireModel):
    """An absent ``description`` clears it, as MLflow's server does."""

    name: str
    description: str | None = None


class RegisteredModelNameRequest(WireModel):
    """Get or delete a registered model."""

    name: str


class SearchRegisteredModelsRequest(WireModel):
    filter: str | None = Field(default=None, description="e.g. name LIKE 'fraud%'")
    max_results: int | None = Field(default=None, description="Page size, 1..1000 (100).")
    order_by: list[str] | None = None
    page_token: str | None = None


class SearchRegisteredModelsResponse(WireModel):
    registered_models: list[RegisteredModel] | None = None
    next_page_token: str | None = None


class GetLatestVersionsRequest(WireModel):
    name: str
    stages: list[str] | None = None


class SetRegisteredModelTagRequest(WireModel):
    name: str
    key: str
    value: str


class DeleteRegisteredModelTagRequest(WireModel):
    name: str
    key: str


class SetAliasRequest(WireModel):
    name: str
    alias: str
    version: str


class AliasRequest(WireModel):
    """Delete an alias, or read the version it points to."""

    name: str
    alias: str


class CreateModelVersionRequest(WireModel):
    name: str
    source: str
    run_id: str | None = None
    tags: list[KeyValue] | None = None
    run_link: str | None = None
    description: str | None = None
    model_id: str | None = None


class UpdateModelVersionRequest(WireModel):
    name: str
    version: str
    description: str | None = None


class TransitionStageRequest(WireModel):
    name: str
    version: str
    stage: str = Field(description="None, Staging, Production or Archived (any case).")
    archive_existing_versions: bool


class ModelVersionRequest(WireModel):
    """Get or delete one version, or its download URI."""

    name: str
    version: str


class SearchModelVersionsRequest(WireModel):
    filter: str | None = Field(default=None, description="e.g. name = 'fraud'")
    max_results: int | None = Field(default=None, description="Page size, 1..200000.")
    order_by: list[str] | None = None
    page_token: str | None = None


class SearchModelVersionsResponse(WireModel):
    model_versions: list[ModelVersion] | None = None
    next_page_token: str | None = None


class DownloadUriResponse(WireModel):
    artifact_uri: str


class SetModelVersionTagRequest(WireModel):
    name: str
    version: str
    key: str
    value: str


class DeleteModelVersionTagRequest(WireModel):
    name: str
    version: str
    key: str


class RegistryEventsRequest(WireModel):
    name: str
    version: str | None = None


class RegistryEvent(WireModel):
    """One change in the audit history (cairn-native)."""

    event_id: int
    name: str
    version: str | None = None
    event_type: RegistryEventTypeName
    user_id: str | None = None
    timestamp: int
    details: dict[str, Any] | None = None


class RegistryEventsResponse(WireModel):
    events: list[RegistryEvent]
