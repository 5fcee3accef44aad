"""``POST /api/2.0/cairn/runs/import``: recreate a run under its own id (``cairn sync``).

cairn-native: MLflow has no way to create a run with a given id, and ``cairn sync`` must keep
the ids of runs logged offline. Metric points arrive as base64 packed columns; the store does
the rest (idempotent, one transaction).
"""

from __future__ import annotations

from typing import Any

from cairn.entities import (
    DatasetInput,
    LifecycleStage,
    MetricSeries,
    Param,
    RunBundle,
    RunStatus,
    RunTag,
)
from cairn.errors import InvalidParameterValue
from cairn.server.params import Params, field
from cairn.server.state import ServerState
from cairn.store.tracking.series import from_wire
from cairn.wire import decode_dataset_input

JsonDict = dict[str, Any]


def import_run(state: ServerState, params: Params) -> JsonDict:
    """Create or update a run under the given id from a complete run bundle."""
    state.store.import_run(bundle_from(params))
    return {}


def bundle_from(params: Params) -> RunBundle:
    end_time = params.integer("end_time")
    return RunBundle(
        experiment_name=params.required("experiment_name"),
        run_id=params.required("run_id"),
        run_name=params.text("run_name") or "",
        user_id=params.text("user_id") or "",
        status=RunStatus.parse(params.required("status")),
        start_time=params.integer("start_time", required=True) or 0,
        end_time=end_time,
        lifecycle_stage=_lifecycle(params.text("lifecycle_stage") or "active"),
        params=tuple(Param(k, val) for k, val in _key_values(params, "params")),
        tags=tuple(RunTag(k, val) for k, val in _key_values(params, "tags")),
        series=tuple(_series(params)),
        dataset_inputs=tuple(_datasets(params)),
    )


def _lifecycle(value: str) -> LifecycleStage:
    try:
        return LifecycleStage(value)
    except ValueError:
        raise InvalidParameterValue(
            f"Invalid lifecycle_stage {value[:50]!r}; expected 'active' or 'deleted'."
        ) from None


def _key_values(params: Params, name: str) -> list[tuple[str, str]]:
    return [
        (str(field(item, f"{name}[{i}]", "key")), str(item.get("value") or ""))
        for i, item in enumerate(params.objects(name))
    ]


def _series(params: Params) -> list[MetricSeries]:
    found = []
    for i, item in enumerate(params.objects("series")):
        try:
            found.append(from_wire(item))
        except ValueError as exc:
            raise InvalidParameterValue(f"series[{i}]: {exc}.") from None
    return found


def _datasets(params: Params) -> list[DatasetInput]:
    found = []
    for i, item in enumerate(params.objects("dataset_inputs")):
        try:
            found.append(decode_dataset_input(item))
        except (KeyError, TypeError, AttributeError):
            raise InvalidParameterValue(
                f"dataset_inputs[{i}] must look like MLflow's DatasetInput: "
                '{"dataset": {"name", "digest", "source_type", "source", ...}, "tags": [...]}.'
            ) from None
    return found
