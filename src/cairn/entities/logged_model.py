"""Logged models (MLflow 3.x): a model's own identity (``m-<hex>``), separate from the run.

Every 3.x ``log_model`` call creates one before uploading files, links it to the run as an
output, and finalizes it as READY; without them a 3.x client cannot log a model at all.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from cairn.entities.lifecycle import LifecycleStage
from cairn.entities.metric import Metric
from cairn.errors import InvalidParameterValue


class LoggedModelStatus(enum.IntEnum):
    LOGGED_MODEL_STATUS_UNSPECIFIED = 0
    LOGGED_MODEL_PENDING = 1
    LOGGED_MODEL_READY = 2
    LOGGED_MODEL_UPLOAD_FAILED = 3

    @classmethod
    def parse(cls, value: LoggedModelStatus | str | int) -> LoggedModelStatus:
        """Accept a member, its name (with or without the ``LOGGED_MODEL_`` prefix) or number."""
        if isinstance(value, LoggedModelStatus):
            return value
        try:
            if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
                return cls(int(value))
            name = str(value).upper()
            return cls[name if name.startswith("LOGGED_MODEL_") else f"LOGGED_MODEL_{name}"]
        except (KeyError, ValueError):
            names = ", ".join(m.name for m in cls)
            raise InvalidParameterValue(
                f"Invalid logged model status {value!r}; expected one of {names}."
            ) from None


@dataclass(frozen=True)
class LoggedModelTag:
    key: str
    value: str


@dataclass(frozen=True)
class LoggedModelParam:
    key: str
    value: str


@dataclass(frozen=True)
class LoggedModel:
    model_id: str
    experiment_id: str
    name: str
    artifact_location: str
    creation_timestamp: int
    last_updated_timestamp: int
    status: LoggedModelStatus = LoggedModelStatus.LOGGED_MODEL_PENDING
    lifecycle_stage: LifecycleStage = LifecycleStage.ACTIVE
    model_type: str | None = None
    source_run_id: str | None = None
    status_message: str | None = None
    tags: tuple[LoggedModelTag, ...] = field(default=())
    params: tuple[LoggedModelParam, ...] = field(default=())
    metrics: tuple[Metric, ...] = field(default=())

    @property
    def tag_dict(self) -> dict[str, str]:
        return {t.key: t.value for t in self.tags}

    @property
    def param_dict(self) -> dict[str, str]:
        return {p.key: p.value for p in self.params}


@dataclass(frozen=True)
class ModelInput:
    """A logged model a run consumed (e.g. evaluated)."""

    model_id: str


@dataclass(frozen=True)
class ModelOutput:
    """A logged model a run produced, with the step it was logged at."""

    model_id: str
    step: int = 0
