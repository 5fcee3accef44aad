"""A small, hand-checked tracking database for the search tests, on every backend.

Rows are inserted with SQLAlchemy Core (one executemany per table) so the search compiler is
tested on its own, without the SQL store. Names are chosen so each filter's expected result can be
read off the tables below: mixed-case values, a NaN metric, runs lacking keys, a deleted run, a
deleted experiment, datasets with and without a context tag, and a non-dataset input.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence

import pytest
import sqlalchemy as sa

from cairn.entities.lifecycle import ViewType
from cairn.store.db import tables as t
from cairn.store.db.engine import create_db_engine
from cairn.store.search import select_experiment_ids, select_run_ids

EXPERIMENT_COLUMNS = (
    "experiment_id",
    "name",
    "lifecycle_stage",
    "creation_time",
    "last_update_time",
)
EXPERIMENTS = [
    (1, "vision-Alpha", "active", 100, 500),
    (2, "nlp-beta", "active", 200, 300),
    (3, "old-gamma", "deleted", 50, 600),
    (4, "audio_delta", "active", 200, 100),
]
EXPERIMENT_TAGS = [
    (1, "team", "vision"),
    (1, "owner", "Ann"),
    (2, "team", "NLP"),
    (3, "archived", "yes"),
    (4, "owner", "bob"),
]
RUN_COLUMNS = (
    "run_uuid",
    "name",
    "experiment_id",
    "status",
    "user_id",
    "start_time",
    "end_time",
    "lifecycle_stage",
    "artifact_uri",
)
RUNS = [
    ("r01", "alpha-cnn", 1, "FINISHED", "alice", 1000, 1500, "active", "s3://b/1/r01"),
    ("r02", "alpha-rnn", 1, "FAILED", "bob", 2000, None, "active", "s3://b/1/r02"),
    ("r03", "Alpha-CNN-2", 1, "FINISHED", "Alice", 3000, 3600, "active", "file:///tmp/r03"),
    ("r04", "beta-base", 2, "RUNNING", "carol", 4000, None, "active", "s3://b/2/r04"),
    ("r05", "beta-large", 2, "FINISHED", "bob", 5000, 5200, "active", "s3://b/2/r05"),
    ("r06", "beta-nan", 2, "KILLED", "dave", 6000, 6100, "active", "s3://b/2/r06"),
    ("r07", "gone", 1, "FINISHED", "alice", 7000, 7100, "deleted", "s3://b/1/r07"),
    ("r08", "bare", 2, "SCHEDULED", "eve", 1000, None, "active", "s3://b/2/r08"),
    ("r09", "other-exp", 4, "FINISHED", "alice", 8000, 8100, "active", "s3://b/4/r09"),
]
PARAMS = [
    ("r01", "lr", "0.01"),
    ("r01", "model", "CNN"),
    ("r01", "optimizer", "adam"),
    ("r01", "my key", "a b"),
    ("r01", "a.b", "dotted"),
    ("r02", "lr", "0.1"),
    ("r02", "model", "rnn"),
    ("r02", "optimizer", "Adam"),
    ("r03", "lr", "0.01"),
    ("r03", "model", "cnn"),
    ("r03", "my key", "x"),
    ("r04", "lr", "0.001"),
    ("r04", "model", "Transformer"),
    ("r04", "optimizer", "sgd"),
    ("r05", "lr", "0.1"),
    ("r05", "model", "transformer-large"),
    ("r05", "optimizer", "adam"),
    ("r05", "note", "100%_sure"),
    ("r06", "lr", "1e-3"),
    ("r06", "model", "CNN"),
    ("r07", "lr", "0.01"),
    ("r07", "model", "CNN"),
]
TAGS = [
    ("r01", "team", "vision"),
    ("r01", "priority", "high"),
    ("r01", "mlflow.runName", "alpha-cnn"),
    ("r02", "team", "vision"),
    ("r02", "priority", "LOW"),
    ("r03", "team", "Vision"),
    ("r04", "team", "nlp"),
    ("r04", "priority", "low"),
    ("r04", "with space", "yes"),
    ("r05", "team", "nlp"),
    ("r05", "priority", "high"),
    ("r06", "team", "nlp"),
    ("r07", "team", "vision"),
]
NAN = float("nan")
LATEST_METRICS = [
    ("r01", "acc", 0.9),
    ("r01", "loss", 0.3),
    ("r02", "acc", 0.7),
    ("r02", "loss", 0.5),
    ("r03", "acc", 0.95),
    ("r03", "loss", 0.2),
    ("r04", "acc", 0.5),
    ("r05", "acc", 0.85),
    ("r05", "loss", -1.5),
    ("r06", "acc", NAN),
    ("r06", "loss", 0.0),
    ("r07", "acc", 0.99),
]
DATASETS = [
    # uuid, experiment, name, digest
    ("d1", 1, "mnist", "abc123"),
    ("d2", 1, "MNIST-large", "def456"),
    ("d3", 2, "imdb", "fff000"),
]
INPUTS = [
    # input uuid, source type, dataset uuid, run, context tag (None: no tag)
    ("i1", "DATASET", "d1", "r01", "training"),
    ("i2", "DATASET", "d2", "r01", "eval"),
    ("i3", "DATASET", "d1", "r02", "training"),
    ("i4", "DATASET", "d2", "r03", None),
    ("i5", "DATASET", "d3", "r04", "Training"),
    ("i6", "DATASET", "d3", "r05", "eval"),
    ("i7", "DATASET", "d1", "r07", "training"),
    ("i8", "MODEL", "d3", "r06", "training"),  # not a dataset input: never matches datasets.*
]
RUN_NAMES = {row[0]: row[1] for row in RUNS}
EXPERIMENT_NAMES = {row[0]: row[1] for row in EXPERIMENTS}


def _records(
    columns: tuple[str, ...], rows: Sequence[tuple[object, ...]]
) -> list[dict[str, object]]:
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _rows(conn: sa.Connection) -> None:
    experiment_cols = EXPERIMENT_COLUMNS
    conn.execute(
        sa.insert(t.experiments),
        [
            {**record, "artifact_location": f"/a/{record['experiment_id']}"}
            for record in _records(experiment_cols, EXPERIMENTS)
        ],
    )
    conn.execute(
        sa.insert(t.experiment_tags), _records(("experiment_id", "key", "value"), EXPERIMENT_TAGS)
    )
    conn.execute(sa.insert(t.runs), _records(RUN_COLUMNS, RUNS))
    conn.execute(sa.insert(t.params), _records(("run_uuid", "key", "value"), PARAMS))
    conn.execute(sa.insert(t.tags), _records(("run_uuid", "key", "value"), TAGS))
    conn.execute(
        sa.insert(t.latest_metrics),
        [
            {"run_uuid": run, "key": key, "timestamp": 1, "step": 0}
            | (
                {"value": 0.0, "is_nan": True}
                if math.isnan(value)
                else {"value": value, "is_nan": False}
            )
            for run, key, value in LATEST_METRICS
        ],
    )


def _dataset_rows(conn: sa.Connection) -> None:
    conn.execute(
        sa.insert(t.datasets),
        [
            {"dataset_uuid": uuid, "experiment_id": exp, "name": name, "digest": digest}
            | {"source_type": "local", "source": "{}"}
            for uuid, exp, name, digest in DATASETS
        ],
    )
    conn.execute(
        sa.insert(t.inputs),
        [
            {"input_uuid": uuid, "source_type": kind, "source_id": source}
            | {"destination_type": "RUN", "destination_id": run}
            for uuid, kind, source, run, _ in INPUTS
        ],
    )
    conn.execute(
        sa.insert(t.input_tags),
        [
            {"input_uuid": uuid, "name": "mlflow.data.context", "value": context}
            for uuid, _, _, _, context in INPUTS
            if context is not None
        ],
    )


@pytest.fixture
def seeded_engine(backend_uri: str) -> Iterator[sa.Engine]:
    """An engine on a database holding the rows above."""
    engine = create_db_engine(backend_uri)
    try:
        with engine.begin() as conn:
            _rows(conn)
            _dataset_rows(conn)
        yield engine
    finally:
        engine.dispose()


SearchRuns = Callable[..., list[str]]
SearchExperiments = Callable[..., list[str]]


@pytest.fixture
def search_runs(seeded_engine: sa.Engine) -> SearchRuns:
    """Run ``select_run_ids`` on the seeded database and return the run names, in order."""

    def search(
        filter_string: str | None = None,
        order_by: Sequence[str] = (),
        view_type: ViewType = ViewType.ACTIVE_ONLY,
        experiment_ids: Sequence[int] = (1, 2),
        offset: int = 0,
        limit: int = 100,
    ) -> list[str]:
        query = select_run_ids(experiment_ids, filter_string, view_type, order_by, offset, limit)
        with seeded_engine.connect() as conn:
            return [RUN_NAMES[run_id] for run_id in conn.execute(query).scalars()]

    return search


@pytest.fixture
def search_experiments(seeded_engine: sa.Engine) -> SearchExperiments:
    """Run ``select_experiment_ids`` on the seeded database; experiment names, in order."""

    def search(
        filter_string: str | None = None,
        order_by: Sequence[str] = (),
        view_type: ViewType = ViewType.ACTIVE_ONLY,
        offset: int = 0,
        limit: int = 100,
    ) -> list[str]:
        query = select_experiment_ids(filter_string, view_type, order_by, offset, limit)
        with seeded_engine.connect() as conn:
            return [EXPERIMENT_NAMES[eid] for eid in conn.execute(query).scalars()]

    return search
