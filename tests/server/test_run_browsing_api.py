"""The cairn-native endpoints behind the web UI's run table: keys, CSV export, groups."""

from __future__ import annotations

import csv
import doctest
import io

import httpx
import pytest

from cairn.server.handlers import run_export
from cairn.server.schemas.native import ExperimentKeysResponse, RunGroupsResponse
from live_server import LiveServer

API = "/api/2.0/mlflow"
CAIRN = "/api/2.0/cairn"


def _experiment(api: httpx.Client, name: str = "browse") -> str:
    response = api.post(f"{API}/experiments/create", json={"name": name})
    assert response.status_code == 200, response.text
    return str(response.json()["experiment_id"])


def _run(
    api: httpx.Client,
    exp_id: str,
    *,
    name: str = "r",
    start: int = 1_700_000_000_000,
    metrics: dict[str, float | str] | None = None,
    params: dict[str, str] | None = None,
    tags: dict[str, str] | None = None,
) -> str:
    body = {"experiment_id": exp_id, "run_name": name, "start_time": start, "user_id": "ada"}
    run_id = str(api.post(f"{API}/runs/create", json=body).json()["run"]["info"]["run_id"])
    batch = {
        "run_id": run_id,
        "metrics": [{"key": k, "value": v, "timestamp": 1} for k, v in (metrics or {}).items()],
        "params": [{"key": k, "value": v} for k, v in (params or {}).items()],
        "tags": [{"key": k, "value": v} for k, v in (tags or {}).items()],
    }
    assert api.post(f"{API}/runs/log-batch", json=batch).status_code == 200
    return run_id


def _csv(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.text)))


def test_keys_list_every_key_of_the_experiments(api: httpx.Client) -> None:
    exp_id = _experiment(api)
    _run(api, exp_id, metrics={"loss": 1.0}, params={"lr": "0.1"}, tags={"team": "a"})
    _run(api, exp_id, metrics={"acc": 1.0}, params={"bs": "8"})
    response = api.get(f"{CAIRN}/experiments/keys", params={"experiment_ids": [exp_id, "0"]})
    assert response.status_code == 200, response.text
    found = ExperimentKeysResponse.model_validate(response.json())
    assert found.metric_keys == ["acc", "loss"]
    assert found.param_keys == ["bs", "lr"]
    assert found.tag_keys == ["mlflow.runName", "team"]


def test_keys_of_unknown_or_no_experiments_are_empty(api: httpx.Client) -> None:
    empty = {"metric_keys": [], "param_keys": [], "tag_keys": []}
    unknown = api.get(f"{CAIRN}/experiments/keys", params={"experiment_ids": "98765"})
    assert unknown.json() == empty
    assert api.get(f"{CAIRN}/experiments/keys").json() == empty
    bad = api.get(f"{CAIRN}/experiments/keys", params={"experiment_ids": "x"})
    assert bad.status_code == 400
    assert bad.json()["error_code"] == "INVALID_PARAMETER_VALUE"


def test_export_streams_every_matching_run_as_csv(api: httpx.Client) -> None:
    exp_id = _experiment(api)
    for i in range(3):
        _run(api, exp_id, name=f"r{i}", start=1_700_000_000_000 + i, metrics={"loss": i / 2})
    body = {"experiment_ids": [exp_id], "filter": "metrics.loss > 0", "order_by": ["metrics.loss"]}
    response = api.post(f"{CAIRN}/runs/export", json=body)
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment")
    rows = _csv(response)
    assert [r["name"] for r in rows] == ["r1", "r2"]
    assert rows[0]["metrics.loss"] == "0.5"
    assert rows[0]["status"] == "RUNNING" and rows[0]["user"] == "ada"
    assert rows[0]["start_time"] == "2023-11-14T22:13:20.001+00:00"
    assert rows[0]["end_time"] == "" and rows[0]["duration_s"] == ""
    assert list(rows[0])[:8] == [
        "run_id",
        "name",
        "status",
        "start_time",
        "end_time",
        "duration_s",
        "user",
        "source",
    ]


def test_export_writes_the_chosen_columns_and_durations(api: httpx.Client) -> None:
    exp_id = _experiment(api)
    run_id = _run(
        api,
        exp_id,
        metrics={"loss": 1.0, "acc": 0.5},
        params={"lr": "0.1"},
        tags={"team": "a", "mlflow.source.name": "train.py"},
    )
    api.post(
        f"{API}/runs/update",
        json={"run_id": run_id, "status": "FINISHED", "end_time": 1_700_000_002_500},
    )
    columns = {"params": ["lr", "missing"], "metrics": ["acc"], "tags": ["team"]}
    rows = _csv(
        api.post(f"{CAIRN}/runs/export", json={"experiment_ids": [exp_id], "columns": columns})
    )
    assert list(rows[0])[8:] == ["params.lr", "params.missing", "metrics.acc", "tags.team"]
    assert rows[0]["params.missing"] == "" and rows[0]["tags.team"] == "a"
    assert (rows[0]["duration_s"], rows[0]["source"], rows[0]["status"]) == (
        "2.5",
        "train.py",
        "FINISHED",
    )
    every = _csv(api.post(f"{CAIRN}/runs/export", json={"experiment_ids": [exp_id]}))
    assert list(every[0])[8:] == ["params.lr", "metrics.acc", "metrics.loss"]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\r=x", "'\r=x"),
        ("-0.5", "-0.5"),
        ("+3", "+3"),
        ("1e-5", "1e-5"),
        ("a=b", "a=b"),
    ],
)
def test_export_defuses_formulas_but_keeps_numbers(
    api: httpx.Client, value: str, cell: str
) -> None:
    exp_id = _experiment(api)
    _run(api, exp_id, name=value, metrics={"neg": -0.25}, params={"p": value}, tags={"t": value})
    columns = {"params": ["p"], "metrics": ["neg"], "tags": ["t"]}
    response = api.post(
        f"{CAIRN}/runs/export", json={"experiment_ids": [exp_id], "columns": columns}
    )
    row = _csv(response)[0]
    assert (row["name"], row["params.p"], row["tags.t"]) == (cell, cell, cell)
    assert row["metrics.neg"] == "-0.25"


def test_export_defuses_formula_keys_in_the_header(api: httpx.Client) -> None:
    exp_id = _experiment(api)
    _run(api, exp_id)
    columns = {"tags": ["=x"]}
    response = api.post(
        f"{CAIRN}/runs/export", json={"experiment_ids": [exp_id], "columns": columns}
    )
    assert response.text.splitlines()[0].endswith(",tags.=x")


def test_export_of_many_runs_arrives_whole(api: httpx.Client, live_server: LiveServer) -> None:
    """More runs than one streamed chunk (500), newest first as ``runs/search`` orders them."""
    exp_id = _experiment(api)
    for i in range(1100):
        live_server.store.create_run(exp_id, start_time=i)
    rows = _csv(api.post(f"{CAIRN}/runs/export", json={"experiment_ids": [exp_id]}))
    assert len({r["run_id"] for r in rows}) == len(rows) == 1100
    assert rows[0]["start_time"] == "1970-01-01T00:00:01.099+00:00"
    assert rows[-1]["start_time"] == "1970-01-01T00:00:00.000+00:00"


@pytest.mark.parametrize(
    "body",
    [
        {"experiment_ids": ["0"], "filter": "metrics.loss >"},
        {"experiment_ids": ["0"], "order_by": ["bogus.key"]},
        {"experiment_ids": ["x"]},
        {"experiment_ids": ["0"], "columns": ["lr"]},
        {"experiment_ids": ["0"], "columns": {"params": "lr"}},
    ],
)
def test_export_rejects_bad_requests_before_streaming(
    api: httpx.Client, body: dict[str, object]
) -> None:
    response = api.post(f"{CAIRN}/runs/export", json=body)
    assert response.status_code == 400
    assert response.json()["error_code"] == "INVALID_PARAMETER_VALUE"


def test_export_of_an_unknown_experiment_is_a_header_only(api: httpx.Client) -> None:
    response = api.post(f"{CAIRN}/runs/export", json={"experiment_ids": ["98765"]})
    assert response.status_code == 200
    assert response.text.splitlines() == [
        "run_id,name,status,start_time,end_time,duration_s,user,source"
    ]


def test_groups_answer_per_value_statistics(api: httpx.Client) -> None:
    exp_id = _experiment(api)
    for i, lr in enumerate(["0.1", "0.1", "0.2"]):
        _run(api, exp_id, metrics={"loss": float(i)}, params={"lr": lr})
    _run(api, exp_id, metrics={"loss": "NaN"})
    body = {"experiment_ids": [exp_id], "group_by": "params.lr", "metrics": ["loss", "acc"]}
    response = api.post(f"{CAIRN}/runs/groups", json=body)
    assert response.status_code == 200, response.text
    RunGroupsResponse.model_validate(response.json())
    groups = response.json()["groups"]
    assert [(g["value"], g["count"]) for g in groups] == [("0.1", 2), ("0.2", 1), (None, 1)]
    assert groups[0]["metrics"]["loss"] == {"mean": 0.5, "min": 0.0, "max": 1.0, "std": 0.5}
    assert groups[0]["metrics"]["acc"] == {"mean": None, "min": None, "max": None, "std": None}
    assert groups[2]["metrics"]["loss"]["mean"] is None  # its only value is NaN
    assert len(groups[0]["run_ids_sample"]) == 2


def test_groups_of_unknown_experiments_are_empty(api: httpx.Client) -> None:
    body = {"experiment_ids": ["98765"], "group_by": "tags.team"}
    assert api.post(f"{CAIRN}/runs/groups", json=body).json() == {"groups": []}


@pytest.mark.parametrize(
    "body",
    [
        {"experiment_ids": ["0"]},
        {"experiment_ids": ["0"], "group_by": "metrics.loss"},
        {"experiment_ids": ["0"], "group_by": "params.lr", "filter": "params.lr = "},
        {"experiment_ids": ["0"], "group_by": "params.lr", "run_view_type": "SOME"},
        {
            "experiment_ids": ["0"],
            "group_by": "params.lr",
            "metrics": [f"m{i}" for i in range(101)],
        },
    ],
)
def test_groups_reject_bad_requests(api: httpx.Client, body: dict[str, object]) -> None:
    response = api.post(f"{CAIRN}/runs/groups", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["error_code"] == "INVALID_PARAMETER_VALUE"


def test_export_docstring_examples_run() -> None:
    result = doctest.testmod(run_export)
    assert result.attempted > 0
    assert result.failed == 0
