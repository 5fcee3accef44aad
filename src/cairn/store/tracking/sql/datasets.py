"""Linking datasets to runs. A dataset is stored once per experiment, keyed by (name, digest),
and linked once per run however often it is logged."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa

from cairn.entities import DatasetInput
from cairn.store.db import tables as t
from cairn.store.tracking import validation as v
from cairn.store.tracking.sql import runs
from cairn.store.tracking.sql._dialect import insert_ignore, upsert


def _dataset_id(conn: sa.Connection, experiment_id: int, item: DatasetInput) -> str:
    ds = item.dataset
    d = t.datasets
    key = (d.c.experiment_id == experiment_id, d.c.name == ds.name, d.c.digest == ds.digest)
    found = conn.execute(sa.select(d.c.dataset_uuid).where(*key)).scalar()
    if found is not None:
        return str(found)
    insert_ignore(
        conn,
        d,
        [
            {
                "dataset_uuid": uuid.uuid4().hex,
                "experiment_id": experiment_id,
                "name": ds.name,
                "digest": ds.digest,
                "source_type": ds.source_type,
                "source": ds.source,
                "schema": ds.schema,
                "profile": ds.profile,
            }
        ],
    )
    return str(conn.execute(sa.select(d.c.dataset_uuid).where(*key)).scalar_one())


def _input_id(conn: sa.Connection, run_id: str, dataset_id: str) -> str:
    i = t.inputs
    key = (
        i.c.source_type == "DATASET",
        i.c.source_id == dataset_id,
        i.c.destination_type == "RUN",
        i.c.destination_id == run_id,
    )
    found = conn.execute(sa.select(i.c.input_uuid).where(*key)).scalar()
    if found is not None:
        return str(found)
    insert_ignore(
        conn,
        i,
        [
            {
                "input_uuid": uuid.uuid4().hex,
                "source_type": "DATASET",
                "source_id": dataset_id,
                "destination_type": "RUN",
                "destination_id": run_id,
            }
        ],
    )
    return str(conn.execute(sa.select(i.c.input_uuid).where(*key)).scalar_one())


def log_inputs(conn: sa.Connection, run_id: str, items: Sequence[DatasetInput]) -> None:
    v.validate_run_id(run_id)
    for item in items:
        v.validate_dataset_input(item)
    run = runs.get_active_row(conn, run_id)
    for item in items:
        dataset_id = _dataset_id(conn, run.experiment_id, item)
        input_id = _input_id(conn, run_id, dataset_id)
        upsert(
            conn,
            t.input_tags,
            [{"input_uuid": input_id, "name": tag.key, "value": tag.value} for tag in item.tags],
            ["value"],
        )
