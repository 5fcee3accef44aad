"""cairn's native metric endpoints over raw HTTP: bodies, errors and the shapes they return."""

from __future__ import annotations

import base64
import struct

import httpx
import pytest

pytestmark = pytest.mark.parametrize("backend_uri", ["sqlite"], indirect=True)

NATIVE = "/api/2.0/cairn"


def _run(api: httpx.Client) -> str:
    response = api.post("/api/2.0/mlflow/runs/create", json={"experiment_id": "0"})
    return str(response.json()["run"]["info"]["run_id"])


def test_plain_list_columns_are_accepted(api: httpx.Client) -> None:
    run_id = _run(api)
    body = {
        "run_id": run_id,
        "series": [{"key": "loss", "steps": [0, 1], "timestamps": [5, 6], "values": [0.9, 0.4]}],
        "params": [{"key": "lr", "value": "0.1"}],
    }
    assert api.post(f"{NATIVE}/runs/log-series", json=body).json() == {}
    got = api.get(f"{NATIVE}/metrics/series", params={"run_id": run_id, "metric_key": "loss"})
    series = got.json()["series"]
    assert series["count"] == 2
    assert struct.unpack("<2d", base64.b64decode(series["values"])) == (0.9, 0.4)
    history = api.get(
        "/api/2.0/mlflow/metrics/get-history", params={"run_id": run_id, "metric_key": "loss"}
    ).json()["metrics"]
    assert [m["value"] for m in history] == [0.9, 0.4]


@pytest.mark.parametrize(
    "series",
    [
        [{"key": "m", "steps": "not base64!", "timestamps": [], "values": []}],
        [{"key": "m", "steps": [0, 1], "timestamps": [0], "values": [1.0]}],
        [{"steps": [0], "timestamps": [0], "values": [1.0]}],
    ],
)
def test_malformed_series_is_a_400_that_writes_nothing(
    api: httpx.Client, series: list[dict[str, object]]
) -> None:
    run_id = _run(api)
    body = {"run_id": run_id, "series": series, "tags": [{"key": "t", "value": "v"}]}
    response = api.post(f"{NATIVE}/runs/log-series", json=body)
    assert response.status_code == 400
    assert response.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    assert "series[0]" in response.json()["message"]
    run = api.get("/api/2.0/mlflow/runs/get", params={"run_id": run_id}).json()["run"]
    assert "tags" not in run["data"] or all(t["key"] != "t" for t in run["data"]["tags"])


def test_sampled_bounds_its_bucket_count(api: httpx.Client) -> None:
    run_id = _run(api)
    for buckets in (0, 100_001):
        response = api.get(
            f"{NATIVE}/metrics/sampled",
            params={"run_id": run_id, "metric_key": "m", "buckets": buckets},
        )
        assert response.status_code == 400 and "buckets" in response.json()["message"]


def test_series_of_unknown_run_is_404(api: httpx.Client) -> None:
    response = api.get(f"{NATIVE}/metrics/series", params={"run_id": "f" * 32, "metric_key": "m"})
    assert response.status_code == 404
    assert response.json()["error_code"] == "RESOURCE_DOES_NOT_EXIST"
