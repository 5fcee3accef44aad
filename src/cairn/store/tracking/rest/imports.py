"""``import_run`` over HTTP: the cairn-native ``POST /api/2.0/cairn/runs/import``.

MLflow's API cannot create a run under a given id, so syncing an offline run needs this
endpoint; a stock MLflow server answers 404 and the user is told so. Metric points travel as
base64 packed columns (as in the other native endpoints). A bundle larger than one request
holds is sent in several, each carrying the run's info, params, tags and inputs with a share of
the metric keys: every request is itself a valid import that replaces only its own keys, so the
requests may be repeated, and the run converges on the bundle once all have been sent.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from cairn.entities import MetricSeries, RunBundle
from cairn.errors import EndpointNotFound, NotImplementedByStore
from cairn.store.tracking.rest import _bodies as b
from cairn.store.tracking.rest._api import CAIRN_PREFIX, RestApi
from cairn.store.tracking.rest.config import redact_url
from cairn.store.tracking.rest.http import JsonDict
from cairn.wire import encode_dataset_input

#: Metric points per request: about 32 MB of base64, half the server's default body limit.
MAX_POINTS_PER_REQUEST = 1_000_000


def import_run(api: RestApi, bundle: RunBundle, budget: int = MAX_POINTS_PER_REQUEST) -> None:
    """One request per ``budget`` points of whole metric keys (at least one request)."""
    for part in _parts(bundle.series, budget):
        try:
            api.post("runs/import", body(bundle, part), idempotent=True, prefix=CAIRN_PREFIX)
        except EndpointNotFound:
            raise NotImplementedByStore(
                f"The server at {redact_url(api.tracking_uri)} has no run import endpoint "
                f"({CAIRN_PREFIX}/runs/import): it is not a cairn server, or an older one. "
                "Offline runs can be synced only to a cairn tracking server (or a local "
                "store); upgrade the server or pass another --to."
            ) from None


def _parts(series: Sequence[MetricSeries], budget: int) -> Iterator[list[MetricSeries]]:
    """Whole series grouped so each group stays within ``budget`` points (a single larger
    series goes alone); always at least one group, so the run itself is imported."""
    group: list[MetricSeries] = []
    points = 0
    for item in series:
        if group and points + len(item) > budget:
            yield group
            group, points = [], 0
        group.append(item)
        points += len(item)
    yield group


def body(bundle: RunBundle, series: Sequence[MetricSeries]) -> JsonDict:
    """The request body for ``bundle`` carrying only ``series`` of its metrics."""
    from cairn.store.tracking.series import to_base64  # numpy: loaded on first use only

    return b.compact(
        {
            "experiment_name": bundle.experiment_name,
            "run_id": bundle.run_id,
            "run_name": bundle.run_name,
            "user_id": bundle.user_id,
            "status": bundle.status.name,
            "start_time": bundle.start_time,
            "end_time": bundle.end_time,
            "lifecycle_stage": bundle.lifecycle_stage.value,
            "params": b.key_values(bundle.params),
            "tags": b.key_values(bundle.tags),
            "series": [to_base64(s) for s in series],
            "dataset_inputs": [encode_dataset_input(d) for d in bundle.dataset_inputs],
        }
    )
