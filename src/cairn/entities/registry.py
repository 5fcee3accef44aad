"""Model Registry entities: registered models, their numbered versions, and the audit history.

A version's number is an ``int`` here; MLflow's wire format carries it as a string, and that
conversion belongs to the server schemas and the REST store, not to the entity.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from cairn.errors import InvalidParameterValue


class ModelVersionStage(enum.Enum):
    """The four public stages; ``DELETED_INTERNAL`` marks a soft-deleted version and never
    leaves the store."""

    NONE = "None"
    STAGING = "Staging"
    PRODUCTION = "Production"
    ARCHIVED = "Archived"
    DELETED_INTERNAL = "Deleted_Internal"

    @classmethod
    def public(cls) -> tuple[ModelVersionStage, ...]:
        return (cls.NONE, cls.STAGING, cls.PRODUCTION, cls.ARCHIVED)

    @classmethod
    def parse(cls, value: ModelVersionStage | str) -> ModelVersionStage:
        """Match a public stage case-insensitively, as MLflow does; anything else is a 400."""
        if isinstance(value, ModelVersionStage) and value is not cls.DELETED_INTERNAL:
            return value
        text = str(value).strip().lower()
        for stage in cls.public():
            if stage.value.lower() == text:
                return stage
        names = ", ".join(s.value for s in cls.public())
        raise InvalidParameterValue(
            f"Invalid Model Version stage: {value}. Value must be one of {names}."
        )


class ModelVersionStatus(enum.IntEnum):
    PENDING_REGISTRATION = 1
    FAILED_REGISTRATION = 2
    READY = 3


class RegistryEventType(enum.Enum):
    """What one audit-history entry records."""

    MODEL_CREATED = "model_created"
    MODEL_RENAMED = "model_renamed"
    MODEL_DESCRIPTION_CHANGED = "model_description_changed"
    MODEL_TAG_SET = "model_tag_set"
    MODEL_TAG_DELETED = "model_tag_deleted"
    MODEL_DELETED = "model_deleted"
    ALIAS_SET = "alias_set"
    ALIAS_DELETED = "alias_deleted"
    VERSION_CREATED = "version_created"
    VERSION_DESCRIPTION_CHANGED = "version_description_changed"
    VERSION_TAG_SET = "version_tag_set"
    VERSION_TAG_DELETED = "version_tag_deleted"
    STAGE_TRANSITIONED = "stage_transitioned"
    VERSION_DELETED = "version_deleted"


@dataclass(frozen=True)
class RegisteredModelTag:
    key: str
    value: str


@dataclass(frozen=True)
class ModelVersionTag:
    key: str
    value: str


@dataclass(frozen=True)
class RegisteredModelAlias:
    alias: str
    version: int


@dataclass(frozen=True)
class ModelVersion:
    name: str
    version: int
    creation_timestamp: int
    last_updated_timestamp: int
    source: str
    current_stage: ModelVersionStage = ModelVersionStage.NONE
    status: ModelVersionStatus = ModelVersionStatus.READY
    user_id: str | None = None
    description: str | None = None
    run_id: str | None = None
    run_link: str | None = None
    status_message: str | None = None
    model_id: str | None = None
    tags: tuple[ModelVersionTag, ...] = field(default=())
    aliases: tuple[str, ...] = field(default=())

    @property
    def tag_dict(self) -> dict[str, str]:
        return {t.key: t.value for t in self.tags}


@dataclass(frozen=True)
class RegisteredModel:
    name: str
    creation_timestamp: int
    last_updated_timestamp: int
    description: str | None = None
    user_id: str | None = None
    tags: tuple[RegisteredModelTag, ...] = field(default=())
    aliases: tuple[RegisteredModelAlias, ...] = field(default=())
    #: The highest live version in each stage that has one (MLflow's ``latest_versions``).
    latest_versions: tuple[ModelVersion, ...] = field(default=())

    @property
    def tag_dict(self) -> dict[str, str]:
        return {t.key: t.value for t in self.tags}

    @property
    def alias_dict(self) -> dict[str, int]:
        return {a.alias: a.version for a in self.aliases}


@dataclass(frozen=True)
class RegistryEvent:
    """One change to the registry, written in the transaction that made it.

    ``details`` holds what the type needs to be replayed, e.g. ``{"from": "Staging",
    "to": "Production"}`` for a stage transition or ``{"alias": "champion", "version": 3,
    "previous_version": 2}`` for an alias move.
    """

    event_id: int
    name: str
    version: int | None
    event_type: RegistryEventType
    user_id: str | None
    timestamp: int
    details: dict[str, Any] = field(default_factory=dict)
