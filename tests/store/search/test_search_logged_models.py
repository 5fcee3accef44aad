"""Logged-model filters, dataset restrictions and order_by on every backend.

The models below are inserted with SQLAlchemy Core so that timestamps, ties and metric points
are exactly as listed. Experiment 1: alpha (created 100, READY, sklearn, run r1), Beta (200,
PENDING, run r1), gamma_1 (300, UPLOAD_FAILED, pytorch), epsilon (300, READY), and a deleted
"gone"; experiment 2: delta (150, READY, sklearn, run r2).
"""

from __future__ import annotations

import doctest
from collections.abc import Callable, Iterator, Sequence

import pytest
import sqlalchemy as sa

import cairn.store.search.logged_models as logged_model_search
from cairn.errors import InvalidParameterValue
from cairn.store.db import tables as t
from cairn.store.db.engine import create_db_engine
from cairn.store.search import select_logged_model_ids
from cairn.store.tracking.base import DatasetFilter, LoggedModelOrder

MODEL_COLUMNS = (
    "model_id",
    "experiment_id",
    "name",
    "creation_timestamp",
    "last_updated_timestamp",
    "status",
    "lifecycle_stage",
    "model_type",
    "source_run_id",
)
MODELS = [
    ("m-a", 1, "alpha", 100, 150, "LOGGED_MODEL_READY", "active", "sklearn", "r1"),
    ("m-b", 1, "Beta", 200, 250, "LOGGED_MODEL_PENDING", "active", None, "r1"),
    ("m-c", 1, "gamma_1", 300, 300, "LOGGED_MODEL_UPLOAD_FAILED", "active", "pytorch", None),
    ("m-d", 2, "delta", 150, 400, "LOGGED_MODEL_READY", "active", "sklearn", "r2"),
    ("m-e", 1, "epsilon", 300, 310, "LOGGED_MODEL_READY", "active", None, None),
    ("m-x", 1, "gone", 500, 500, "LOGGED_MODEL_READY", "deleted", "sklearn", "r1"),
]
TAGS = [
    ("m-a", "mlflow.user", "bob"),
    ("m-a", "team", "Vision"),
    ("m-b", "mlflow.user", "alice"),
    ("m-c", "team", "vision"),
    ("m-x", "mlflow.user", "bob"),
]
PARAMS = [
    ("m-a", "alpha", "0.5"),
    ("m-a", "lr", "0.1"),
    ("m-b", "alpha", "0.75"),
    ("m-c", "note", "100%_sure"),
    ("m-d", "alpha", "0.5"),
    ("m-x", "alpha", "0.5"),
]
NAN = float("nan")
METRIC_COLUMNS = ("model_id", "key", "timestamp", "step", "run_uuid", "value")
METRICS = [
    # model, key, timestamp, step, run, value, dataset name, dataset digest
    ("m-a", "acc", 1, 0, "r1", 0.8, "eval", "d1"),
    ("m-a", "acc", 2, 1, "r1", 0.95, "eval", "d1"),
    ("m-a", "acc", 3, 0, "r1", 0.5, "train", "t1"),  # latest by timestamp, not by step
    ("m-b", "acc", 5, 0, "r1", 0.92, "train", "t1"),
    ("m-b", "acc", 1, 0, "r2", 0.99, "eval", "d2"),
    ("m-c", "acc", 1, 0, "r1", NAN, None, None),
    ("m-c", "loss", 1, 0, "r1", 0.1, None, None),
    ("m-x", "acc", 1, 0, "r1", 0.99, "eval", "d1"),
]
NAMES = {row[0]: row[2] for row in MODELS}
ALL = {"alpha", "Beta", "gamma_1", "delta", "epsilon"}


def _seed(conn: sa.Connection) -> None:
    conn.execute(
        sa.insert(t.experiments),
        [
            {"experiment_id": i, "name": f"e{i}", "artifact_location": f"/a/{i}"}
            | {"lifecycle_stage": "active", "creation_time": 0, "last_update_time": 0}
            for i in (1, 2)
        ],
    )
    conn.execute(
        sa.insert(t.runs),
        [
            {"run_uuid": run, "experiment_id": exp, "name": run, "user_id": "u"}
            | {"status": "FINISHED", "start_time": 0, "lifecycle_stage": "active"}
            | {"artifact_uri": f"/a/{exp}/{run}"}
            for run, exp in (("r1", 1), ("r2", 1))
        ],
    )
    conn.execute(
        sa.insert(t.logged_models),
        [
            dict(zip(MODEL_COLUMNS, row, strict=True)) | {"artifact_location": f"/a/{row[0]}"}
            for row in MODELS
        ],
    )
    for table, rows in ((t.logged_model_tags, TAGS), (t.logged_model_params, PARAMS)):
        conn.execute(
            sa.insert(table),
            [dict(zip(("model_id", "key", "value"), r, strict=True)) for r in rows],
        )
    conn.execute(
        sa.insert(t.logged_model_metrics),
        [
            dict(zip(METRIC_COLUMNS, row[:6], strict=True))
            | {"dataset_name": row[6], "dataset_digest": row[7]}
            | ({"value": 0.0, "is_nan": True} if row[5] != row[5] else {"is_nan": False})
            for row in METRICS
        ],
    )


@pytest.fixture
def seeded_engine(backend_uri: str) -> Iterator[sa.Engine]:
    engine = create_db_engine(backend_uri)
    try:
        with engine.begin() as conn:
            _seed(conn)
        yield engine
    finally:
        engine.dispose()


Search = Callable[..., list[str]]


@pytest.fixture
def search(seeded_engine: sa.Engine) -> Search:
    """Run ``select_logged_model_ids`` on the seeded database; model names, in order."""

    def run(
        filter_string: str | None = None,
        datasets: Sequence[DatasetFilter] = (),
        order_by: Sequence[LoggedModelOrder] = (),
        experiment_ids: Sequence[int] = (1, 2),
        offset: int = 0,
        limit: int = 100,
    ) -> list[str]:
        query = select_logged_model_ids(
            experiment_ids, filter_string, datasets, order_by, offset, limit
        )
        with seeded_engine.connect() as conn:
            return [NAMES[model_id] for model_id in conn.execute(query).scalars()]

    return run


FILTERS: list[tuple[str, set[str]]] = [
    ("name = 'alpha'", {"alpha"}),
    ("attributes.name = 'alpha'", {"alpha"}),
    ("attribute.name != 'alpha'", ALL - {"alpha"}),
    ("name LIKE 'b%'", set()),
    ("name LIKE 'B%'", {"Beta"}),
    ("name ILIKE 'b%'", {"Beta"}),
    ("name IN ('alpha', 'Beta', 'gone')", {"alpha", "Beta"}),
    ("name NOT IN ('alpha', 'Beta')", {"gamma_1", "delta", "epsilon"}),
    ("model_id = 'm-d'", {"delta"}),
    ("name = 'alpha' AND source_run_id = 'r1'", {"alpha"}),
    ("name = 'alpha' AND source_run_id = 'r2'", set()),
    ("source_run_id = 'r1'", {"alpha", "Beta"}),
    ("source_run_id != 'r1'", {"delta"}),  # models without a source run never match
    ("model_type = 'sklearn'", {"alpha", "delta"}),
    ("model_type != 'sklearn'", {"gamma_1"}),
    ("status = 'LOGGED_MODEL_READY'", {"alpha", "delta", "epsilon"}),
    ("status IN ('LOGGED_MODEL_PENDING', 'LOGGED_MODEL_UPLOAD_FAILED')", {"Beta", "gamma_1"}),
    ("status LIKE '%FAILED'", {"gamma_1"}),
    ("creation_timestamp > 0", ALL),
    ("creation_timestamp > 150", {"Beta", "gamma_1", "epsilon"}),
    ("creation_time >= 150", {"Beta", "gamma_1", "epsilon", "delta"}),
    ("creation_timestamp_ms = 100", {"alpha"}),
    ("creation_timestamp < 150.5", {"alpha", "delta"}),
    ("last_updated_timestamp <= 250", {"alpha", "Beta"}),
    ("last_updated_timestamp_ms != 300", ALL - {"gamma_1"}),
    ("experiment_id = '2'", {"delta"}),
    ("experiment_id != 2", ALL - {"delta"}),
    ("experiment_id IN ('1')", ALL - {"delta"}),
    ("metrics.acc > 0.9", {"alpha", "Beta"}),  # any recorded point counts
    ("metrics.acc = 0.5", {"alpha"}),
    ("metrics.acc != 0.5", {"alpha", "Beta"}),  # a NaN point never matches
    ("metrics.acc < 1", {"alpha", "Beta"}),
    ("metric.loss <= 0.1", {"gamma_1"}),
    ("metrics.missing > 0", set()),
    ("params.alpha = '0.5'", {"alpha", "delta"}),
    ("param.alpha != '0.5'", {"Beta"}),
    ("params.alpha IN ('0.5', '0.75')", {"alpha", "Beta", "delta"}),
    ("params.alpha NOT IN ('0.5')", {"Beta"}),
    ("params.note LIKE '100\\%\\_sure'", {"gamma_1"}),
    ("params.note LIKE '100_%'", {"gamma_1"}),
    ("tags.`mlflow.user` = 'bob'", {"alpha"}),
    ("tags.mlflow.user = 'alice'", {"Beta"}),
    ("tags.\"mlflow.user\" != 'bob'", {"Beta"}),
    ("tags.team = 'vision'", {"gamma_1"}),
    ("tag.team ILIKE 'VISION'", {"alpha", "gamma_1"}),
    ("params.alpha = '0.5' AND model_type = 'sklearn' AND metrics.acc > 0.9", {"alpha"}),
    ("name = 'alpha' and name != 'Beta'", {"alpha"}),  # AND is case-insensitive
]


@pytest.mark.parametrize(("filter_string", "expected"), FILTERS)
def test_filter_selects_the_expected_models(
    search: Search, filter_string: str, expected: set[str]
) -> None:
    assert set(search(filter_string)) == expected


def test_deleted_models_never_match(search: Search) -> None:
    assert "gone" not in search("tags.`mlflow.user` = 'bob'")
    assert search("name = 'gone'") == []


def test_search_is_limited_to_the_given_experiments(search: Search) -> None:
    assert set(search(experiment_ids=[2])) == {"delta"}
    assert search(experiment_ids=[99]) == []


@pytest.mark.parametrize(
    ("datasets", "filter_string", "expected"),
    [
        ([DatasetFilter("eval")], "metrics.acc > 0.9", {"alpha", "Beta"}),
        ([DatasetFilter("eval", "d1")], "metrics.acc > 0.9", {"alpha"}),
        ([DatasetFilter("train")], "metrics.acc > 0.9", {"Beta"}),
        ([DatasetFilter("train")], "metrics.acc > 0.95", set()),
        (
            [DatasetFilter("eval", "d1"), DatasetFilter("train")],
            "metrics.acc > 0.9",
            {"alpha", "Beta"},
        ),
        # without a metric clause, a model needs some metric on one of the datasets
        ([DatasetFilter("eval", "d1")], None, {"alpha"}),
        ([DatasetFilter("eval")], "name != 'alpha'", {"Beta"}),
        ([DatasetFilter("nowhere")], None, set()),
    ],
)
def test_datasets_restrict_metric_clauses(
    search: Search, datasets: list[DatasetFilter], filter_string: str | None, expected: set[str]
) -> None:
    assert set(search(filter_string, datasets=datasets)) == expected


def test_default_order_is_newest_first_then_model_id(search: Search) -> None:
    # gamma_1 (m-c) and epsilon (m-e) were created in the same millisecond
    assert search() == ["gamma_1", "epsilon", "Beta", "delta", "alpha"]


def test_offset_and_limit_page_through_the_order(search: Search) -> None:
    assert search(offset=1, limit=2) == ["epsilon", "Beta"]
    assert search(offset=4, limit=2) == ["alpha"]


@pytest.mark.parametrize(
    ("order_by", "expected"),
    [
        (
            [LoggedModelOrder("creation_timestamp")],
            ["alpha", "delta", "Beta", "gamma_1", "epsilon"],
        ),
        (
            [LoggedModelOrder("last_updated_timestamp", ascending=False)],
            ["delta", "epsilon", "gamma_1", "Beta", "alpha"],
        ),
        # status sorts by its proto number: PENDING, READY, UPLOAD_FAILED
        ([LoggedModelOrder("status")], ["Beta", "epsilon", "delta", "alpha", "gamma_1"]),
        # missing model types sort last in both directions
        ([LoggedModelOrder("model_type")], ["gamma_1", "delta", "alpha", "epsilon", "Beta"]),
        (
            [LoggedModelOrder("model_type", ascending=False)],
            ["delta", "alpha", "gamma_1", "epsilon", "Beta"],
        ),
        (
            [LoggedModelOrder("model_type"), LoggedModelOrder("creation_time")],
            ["gamma_1", "alpha", "delta", "Beta", "epsilon"],
        ),
        (
            [LoggedModelOrder("model_id", ascending=False)],
            ["epsilon", "delta", "gamma_1", "Beta", "alpha"],
        ),
        # the latest point by timestamp counts (alpha: 0.5), NaN after numbers, missing last
        (
            [LoggedModelOrder("metrics.acc")],
            ["alpha", "Beta", "gamma_1", "epsilon", "delta"],
        ),
        (
            [LoggedModelOrder("metrics.acc", ascending=False)],
            ["Beta", "alpha", "gamma_1", "epsilon", "delta"],
        ),
        # restricted to a dataset, alpha's latest eval point is 0.95 and Beta's 0.99
        (
            [LoggedModelOrder("metrics.acc", ascending=False, dataset_name="eval")],
            ["Beta", "alpha", "gamma_1", "epsilon", "delta"],
        ),
        (
            [LoggedModelOrder("metrics.acc", dataset_name="eval", dataset_digest="d1")],
            ["alpha", "gamma_1", "epsilon", "Beta", "delta"],
        ),
        (
            [LoggedModelOrder("metrics.acc", dataset_digest="d1")],
            ["alpha", "gamma_1", "epsilon", "Beta", "delta"],
        ),
        (
            [LoggedModelOrder("metrics.`acc`", dataset_name="train")],
            ["alpha", "Beta", "gamma_1", "epsilon", "delta"],
        ),
    ],
)
def test_order_by(search: Search, order_by: list[LoggedModelOrder], expected: list[str]) -> None:
    assert search(order_by=order_by) == expected


def test_order_by_name_on_lowercase_names(search: Search) -> None:
    assert search("name != 'Beta'", order_by=[LoggedModelOrder("name")]) == [
        "alpha",
        "delta",
        "epsilon",
        "gamma_1",
    ]


def test_metric_order_never_repeats_a_model(search: Search) -> None:
    found = search(order_by=[LoggedModelOrder("metrics.acc"), LoggedModelOrder("metrics.loss")])
    assert sorted(found) == sorted(ALL)


@pytest.mark.parametrize(
    ("filter_string", "message"),
    [
        ("name = 'a' OR name = 'b'", "AND only; OR is not supported"),
        ("NOT name = 'a'", "AND only; NOT is not supported"),
        ("(name = 'a' OR name = 'b') AND name = 'c'", "OR is not supported"),
        ("nope = 'x'", "unknown logged model attribute 'nope'"),
        ("NAME = 'alpha'", "unknown logged model attribute 'NAME'"),
        ("lifecycle_stage = 'deleted'", "unknown logged model attribute"),
        ("metrics.acc > 'high'", "must be compared with a number"),
        ("metrics.acc LIKE '1%'", "comparator LIKE is not supported"),
        ("params.alpha > '0.5'", "comparator > is not supported"),
        ("params.alpha = 0.5", "must be compared with a quoted string"),
        ("tags.team IS NULL", "comparator IS NULL is not supported"),
        ("name RLIKE 'a'", "comparator RLIKE is not supported"),
        ("creation_timestamp LIKE '1%'", "comparator LIKE is not supported"),
        ("creation_timestamp > 'yesterday'", "must be compared with a number"),
        ("experiment_id = 'abc'", "experiment_id must be an integer"),
        ("experiment_id > 1", "comparator > is not supported"),
        ("datasets.name = 'eval'", "cannot be searched by 'datasets.name'"),
        ("run.name = 'x'", "cannot be searched by 'run.name'"),
        ("name = alpha", "expected a quoted string"),
        ("name =", "expected a quoted string"),
        ("metrics.acc >> 1", "position"),
    ],
)
def test_bad_filter_is_an_invalid_parameter_naming_the_problem(
    search: Search, filter_string: str, message: str
) -> None:
    with pytest.raises(InvalidParameterValue, match=message.replace("(", r"\(")):
        search(filter_string)


@pytest.mark.parametrize(
    ("order", "message"),
    [
        (LoggedModelOrder("params.alpha"), "ordered by attributes and metrics only"),
        (LoggedModelOrder("tags.team"), "ordered by attributes and metrics only"),
        (LoggedModelOrder("nope"), "cannot be ordered by 'nope'"),
        (LoggedModelOrder("status_message"), "cannot be ordered by 'status_message'"),
        (LoggedModelOrder("name DESC"), "direction with `ascending`"),
        (LoggedModelOrder("metrics."), "expected a key"),
    ],
)
def test_bad_order_by_is_an_invalid_parameter(
    search: Search, order: LoggedModelOrder, message: str
) -> None:
    with pytest.raises(InvalidParameterValue, match=message):
        search(order_by=[order])


def test_dataset_filter_needs_a_name(search: Search) -> None:
    with pytest.raises(InvalidParameterValue, match="dataset_name"):
        search(datasets=[DatasetFilter("")])


def test_docstring_examples_run() -> None:
    result = doctest.testmod(logged_model_search)
    assert result.attempted > 0 and result.failed == 0
