"""Linking datasets to runs. A dataset is stored once per experiment, keyed by (name, digest),
and linked once per run however often it is logged.

A call costs a fixed number of statements whatever the number of datasets: find the known
datasets and links, insert the missing ones (insert-or-ignore, so a concurrent writer's row
wins quietly), read back their ids, and upsert every input tag at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence

import sqlalchemy as sa

from cairn.entities import DatasetInput
from cairn.store.db import tables as t
from cairn.store.tracking import validation as v
from cairn.store.tracking.sql import runs
from cairn.store.tracking.sql._dialect import insert_ignore, upsert

_Key = tuple[str, str]  # (name, digest)


def _key(item: DatasetInput) -> _Key:
    return (item.dataset.name, item.dataset.digest)


def _find_datasets(
    conn: sa.Connection, experiment_id: int, keys: Collection[_Key]
) -> dict[_Key, str]:
    d = t.datasets
    query = sa.select(d.c.name, d.c.digest, d.c.dataset_uuid).where(
        d.c.experiment_id == experiment_id,
        d.c.name.in_(sorted({name for name, _ in keys})),
        d.c.digest.in_(sorted({digest for _, digest in keys})),
    )
    found = {(r.name, r.digest): str(r.dataset_uuid) for r in conn.execute(query)}
    return {key: found[key] for key in keys if key in found}


def _dataset_ids(
    conn: sa.Connection, experiment_id: int, firsts: Mapping[_Key, DatasetInput]
) -> dict[_Key, str]:
    """The id of every dataset, creating the missing ones from their first occurrence."""
    known = _find_datasets(conn, experiment_id, firsts.keys())
    missing = [item.dataset for key, item in firsts.items() if key not in known]
    if not missing:
        return known
    insert_ignore(
        conn,
        t.datasets,
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
            for ds in missing
        ],
    )
    return _find_datasets(conn, experiment_id, firsts.keys())


def _find_links(conn: sa.Connection, run_id: str, dataset_ids: Collection[str]) -> dict[str, str]:
    i = t.inputs
    query = sa.select(i.c.source_id, i.c.input_uuid).where(
        i.c.source_type == "DATASET",
        i.c.source_id.in_(dataset_ids),
        i.c.destination_type == "RUN",
        i.c.destination_id == run_id,
    )
    return {str(r.source_id): str(r.input_uuid) for r in conn.execute(query)}


def _input_ids(conn: sa.Connection, run_id: str, dataset_ids: Collection[str]) -> dict[str, str]:
    """The link (input) id of every dataset for this run, creating the missing links."""
    known = _find_links(conn, run_id, dataset_ids)
    missing = [dataset_id for dataset_id in dataset_ids if dataset_id not in known]
    if not missing:
        return known
    insert_ignore(
        conn,
        t.inputs,
        [
            {
                "input_uuid": uuid.uuid4().hex,
                "source_type": "DATASET",
                "source_id": dataset_id,
                "destination_type": "RUN",
                "destination_id": run_id,
            }
            for dataset_id in missing
        ],
    )
    return _find_links(conn, run_id, dataset_ids)


def log_inputs(conn: sa.Connection, run_id: str, items: Sequence[DatasetInput]) -> None:
    v.validate_run_id(run_id)
    for item in items:
        v.validate_dataset_input(item)
    run = runs.get_active_row(conn, run_id)
    if not items:
        return
    firsts: dict[_Key, DatasetInput] = {}
    for item in items:
        firsts.setdefault(_key(item), item)
    dataset_ids = _dataset_ids(conn, run.experiment_id, firsts)
    input_ids = _input_ids(conn, run_id, sorted(set(dataset_ids.values())))
    tag_rows: dict[tuple[str, str], dict[str, str]] = {}  # a later tag of the same name wins
    for item in items:
        input_id = input_ids[dataset_ids[_key(item)]]
        for tag in item.tags:
            tag_rows[(input_id, tag.key)] = {
                "input_uuid": input_id,
                "name": tag.key,
                "value": tag.value,
            }
    upsert(conn, t.input_tags, list(tag_rows.values()), ["value"])
