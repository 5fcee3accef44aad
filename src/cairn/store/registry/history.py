"""Questions answered by replaying the audit history (pure functions over events)."""

from __future__ import annotations

from collections.abc import Iterable

from cairn.entities import ModelVersionStage, RegistryEvent, RegistryEventType


def versions_in_stage_at(
    events: Iterable[RegistryEvent], stage: ModelVersionStage, at: int
) -> set[int]:
    """The versions that were in ``stage`` at time ``at`` (ms), e.g. "what was Production
    when this incident started?". ``events`` are one model's, oldest first."""
    current: dict[int, str] = {}
    for event in events:
        if event.timestamp > at:
            break
        if event.event_type is RegistryEventType.MODEL_DELETED:
            current.clear()  # a model later re-created under the name starts afresh
            continue
        if event.version is None:
            continue
        if event.event_type is RegistryEventType.VERSION_CREATED:
            current[event.version] = ModelVersionStage.NONE.value
        elif event.event_type is RegistryEventType.STAGE_TRANSITIONED:
            current[event.version] = str(event.details["to"])
        elif event.event_type is RegistryEventType.VERSION_DELETED:
            current.pop(event.version, None)
    return {version for version, value in current.items() if value == stage.value}
