"""Which datasets the runs of some experiments used, with their context (the UI's filter list).

One grouped query: datasets joined to their run links and, optionally, the context input tag.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from cairn.entities import DatasetSummary
from cairn.store.db import tables as t

CONTEXT_TAG = "mlflow.data.context"
#: MLflow caps the summary list; the UI shows it as a filter menu.
MAX_SUMMARIES = 1000


def search(conn: sa.Connection, experiment_ids: Sequence[int]) -> list[DatasetSummary]:
    ds, links, tags = t.datasets, t.inputs, t.input_tags
    context = tags.c.value.label("context")
    query = (
        sa.select(ds.c.experiment_id, ds.c.name, ds.c.digest, context)
        .select_from(
            ds.join(
                links,
                sa.and_(
                    links.c.source_type == "DATASET",
                    links.c.source_id == ds.c.dataset_uuid,
                    links.c.destination_type == "RUN",
                ),
            ).outerjoin(
                tags, sa.and_(tags.c.input_uuid == links.c.input_uuid, tags.c.name == CONTEXT_TAG)
            )
        )
        .where(ds.c.experiment_id.in_(experiment_ids))
        .group_by(ds.c.experiment_id, ds.c.name, ds.c.digest, tags.c.value)
        .order_by(ds.c.experiment_id, ds.c.name, ds.c.digest, tags.c.value)
        .limit(MAX_SUMMARIES)
    )
    return [
        DatasetSummary(str(row.experiment_id), row.name, row.digest, row.context)
        for row in conn.execute(query)
    ]
