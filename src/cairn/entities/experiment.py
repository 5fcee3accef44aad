"""Experiments group runs; ids are opaque strings (SQL stores use integers)."""

from __future__ import annotations

from dataclasses import dataclass, field

from cairn.entities.key_value import ExperimentTag
from cairn.entities.lifecycle import LifecycleStage


@dataclass(frozen=True)
class Experiment:
    experiment_id: str
    name: str
    artifact_location: str
    lifecycle_stage: LifecycleStage
    creation_time: int
    last_update_time: int
    tags: tuple[ExperimentTag, ...] = field(default=())

    @property
    def tag_dict(self) -> dict[str, str]:
        return {t.key: t.value for t in self.tags}
