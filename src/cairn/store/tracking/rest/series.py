"""Columnar metrics over cairn's native endpoints, with the MLflow API as the fallback.

The first call learns whether the server is cairn (the endpoint answers) or MLflow (404);
against MLflow the same methods still work, through log-batch and get-history, just slower.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from cairn.entities import MetricSeries, Param, RunTag
from cairn.errors import EndpointNotFound
from cairn.store.tracking.rest import _bodies as b
from cairn.store.tracking.rest._api import CAIRN_PREFIX, RestApi

T = TypeVar("T")


class NativeSeries:
    """Remembers per server whether the native endpoints exist."""

    def __init__(self, api: RestApi) -> None:
        self._api = api
        self.available: bool | None = None

    def _try(self, call: Callable[[], T], fallback: Callable[[], T]) -> T:
        if self.available is False:
            return fallback()
        try:
            result = call()
        except EndpointNotFound:
            if self.available:
                raise
            self.available = False
            return fallback()
        self.available = True
        return result

    def log(
        self,
        run_id: str,
        series: Sequence[MetricSeries],
        params: Sequence[Param],
        tags: Sequence[RunTag],
        fallback: Callable[[], None],
    ) -> None:
        from cairn.store.tracking import series as cols  # numpy: loaded on first bulk call

        body: dict[str, Any] = {
            "run_id": run_id,
            "series": [cols.to_base64(s) for s in series if len(s)],
            "params": b.key_values(params),
            "tags": b.key_values(tags),
        }
        # Retrying is safe: a re-sent batch adds only exact duplicate points, which reads
        # collapse, and params/tags are idempotent.
        self._try(
            lambda: self._api.post("runs/log-series", body, idempotent=True, prefix=CAIRN_PREFIX),
            lambda: fallback(),
        )

    def history(self, run_id: str, key: str, fallback: Callable[[], MetricSeries]) -> MetricSeries:
        fields = {"run_id": run_id, "metric_key": key}
        return self._try(
            lambda: _decode(self._api.get("metrics/series", fields, prefix=CAIRN_PREFIX)),
            fallback,
        )

    def sampled(
        self,
        run_id: str,
        key: str,
        buckets: int,
        steps: tuple[int | None, int | None],
        fallback: Callable[[], MetricSeries],
    ) -> MetricSeries:
        fields = {
            "run_id": run_id,
            "metric_key": key,
            "buckets": buckets,
            "start_step": steps[0],
            "end_step": steps[1],
        }
        return self._try(
            lambda: _decode(self._api.get("metrics/sampled", fields, prefix=CAIRN_PREFIX)),
            fallback,
        )


def _decode(response: dict[str, Any]) -> MetricSeries:
    from cairn.store.tracking import series as cols

    return cols.from_wire(response.get("series") or {})
