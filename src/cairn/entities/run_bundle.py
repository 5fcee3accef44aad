"""Everything about one run that is needed to recreate it in another store.

Offline mode writes runs to a local spool and ``cairn sync`` replays them on the real tracking
store later. A bundle is what travels: identity and lifecycle (so the run keeps its id, name
and times), the data, every metric point as columns, and the datasets it consumed. The
experiment goes by *name*, because experiment ids are numbered per store and differ between
the spool and the target.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cairn.entities.dataset import DatasetInput
from cairn.entities.key_value import Param, RunTag
from cairn.entities.lifecycle import LifecycleStage, RunStatus
from cairn.entities.metric import MetricSeries


@dataclass(frozen=True)
class RunBundle:
    experiment_name: str
    run_id: str
    run_name: str
    user_id: str
    status: RunStatus
    start_time: int
    end_time: int | None
    lifecycle_stage: LifecycleStage = LifecycleStage.ACTIVE
    params: tuple[Param, ...] = field(default=())
    tags: tuple[RunTag, ...] = field(default=())
    #: The whole history of every metric of the run, one series per key.
    series: tuple[MetricSeries, ...] = field(default=())
    dataset_inputs: tuple[DatasetInput, ...] = field(default=())

    @property
    def point_count(self) -> int:
        return sum(len(s) for s in self.series)
