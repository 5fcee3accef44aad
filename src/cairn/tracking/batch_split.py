"""A ``log_batch`` of any size split into store calls that each respect the per-request limits.

Stores refuse a batch over :data:`~cairn.store.tracking.validation.MAX_ENTITIES_PER_BATCH`
items (or over the per-kind limits), as MLflow's server does; the client accepts any number
and sends it in as few calls as those limits allow.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from cairn.entities import Metric, Param, RunTag
from cairn.store.tracking import validation

#: One store call's ``(metrics, params, tags)``.
Batch = tuple[Sequence[Metric], Sequence[Param], Sequence[RunTag]]


def _chunked(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def split_batch(
    metrics: Sequence[Metric], params: Sequence[Param], tags: Sequence[RunTag]
) -> Iterator[Batch]:
    """The batch itself when it fits; otherwise params, then tags, then metrics, in chunks."""
    if len(metrics) + len(params) + len(tags) <= validation.MAX_ENTITIES_PER_BATCH and (
        len(params) <= validation.MAX_PARAMS_PER_BATCH
        and len(tags) <= validation.MAX_TAGS_PER_BATCH
    ):
        yield metrics, params, tags
        return
    for chunk in _chunked(params, validation.MAX_PARAMS_PER_BATCH):
        yield (), chunk, ()
    for chunk in _chunked(tags, validation.MAX_TAGS_PER_BATCH):
        yield (), (), chunk
    for chunk in _chunked(metrics, validation.MAX_METRICS_PER_BATCH):
        yield chunk, (), ()
