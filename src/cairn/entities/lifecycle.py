"""Enumerations shared by runs and experiments; values match MLflow's proto numbers."""

from __future__ import annotations

import enum

from cairn.errors import InvalidParameterValue


class RunStatus(enum.IntEnum):
    RUNNING = 1
    SCHEDULED = 2
    FINISHED = 3
    FAILED = 4
    KILLED = 5

    @classmethod
    def parse(cls, value: RunStatus | str | int) -> RunStatus:
        """Accept a member, its name (any case) or its number, as the wire does."""
        if isinstance(value, RunStatus):
            return value
        try:
            if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
                return cls(int(value))
            return cls[str(value).upper()]
        except (KeyError, ValueError):
            names = ", ".join(m.name for m in cls)
            raise InvalidParameterValue(
                f"Invalid run status {value!r}; expected one of {names}."
            ) from None


class LifecycleStage(str, enum.Enum):
    ACTIVE = "active"
    DELETED = "deleted"


class ViewType(enum.IntEnum):
    ACTIVE_ONLY = 1
    DELETED_ONLY = 2
    ALL = 3

    @property
    def stages(self) -> tuple[LifecycleStage, ...]:
        if self is ViewType.ACTIVE_ONLY:
            return (LifecycleStage.ACTIVE,)
        if self is ViewType.DELETED_ONLY:
            return (LifecycleStage.DELETED,)
        return (LifecycleStage.ACTIVE, LifecycleStage.DELETED)

    @classmethod
    def parse(cls, value: ViewType | str | int | None) -> ViewType:
        if value is None:
            return cls.ACTIVE_ONLY
        if isinstance(value, ViewType):
            return value
        try:
            if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
                return cls(int(value))
            return cls[str(value).upper()]
        except (KeyError, ValueError):
            raise InvalidParameterValue(f"Invalid view type {value!r}.") from None
