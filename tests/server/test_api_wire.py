"""Wire encoding through a live server: what MLflow clients depend on byte for byte."""

from __future__ import annotations

import httpx

API = "/api/2.0/mlflow"


def _run(api: httpx.Client, **extra: object) -> dict:
    body = {"experiment_id": "0", "start_time": 1000, **extra}
    response = api.post(f"{API}/runs/create", json=body)
    assert response.status_code == 200, response.text
    return response.json()["run"]


def test_run_json_has_both_ids_and_numbers_as_numbers(api: httpx.Client) -> None:
    info = _run(api, run_name="r1")["info"]
    assert info["run_id"] == info["run_uuid"]
    assert info["status"] == "RUNNING"
    assert info["start_time"] == 1000
    assert "end_time" not in info
    assert info["lifecycle_stage"] == "active"


def test_nan_and_infinity_round_trip_as_mlflow_encodes_them(api: httpx.Client) -> None:
    run_id = _run(api)["info"]["run_id"]
    metrics = [
        {"key": "nan", "value": "NaN", "timestamp": 1, "step": 0},
        {"key": "inf", "value": "Infinity", "timestamp": 1},
        {"key": "neg", "value": "-Infinity", "timestamp": "1"},
    ]
    assert (
        api.post(f"{API}/runs/log-batch", json={"run_id": run_id, "metrics": metrics}).json() == {}
    )
    data = api.get(f"{API}/runs/get", params={"run_id": run_id}).json()["run"]["data"]
    values = {m["key"]: m["value"] for m in data["metrics"]}
    assert values == {"nan": "NaN", "inf": 1.7976931348623157e308, "neg": -1.7976931348623157e308}


def test_empty_results_are_empty_objects(api: httpx.Client) -> None:
    found = api.post(f"{API}/runs/search", json={"experiment_ids": ["0"]})
    assert found.json() == {}
    run_id = _run(api)["info"]["run_id"]
    history = api.get(f"{API}/metrics/get-history", params={"run_id": run_id, "metric_key": "x"})
    assert history.json() == {}


def test_get_falls_back_to_a_json_body_without_query(api: httpx.Client) -> None:
    run_id = _run(api)["info"]["run_id"]
    response = api.request("GET", f"{API}/runs/get", json={"run_id": run_id})
    assert response.json()["run"]["info"]["run_id"] == run_id


def test_camel_case_request_fields_work(api: httpx.Client) -> None:
    response = api.post(f"{API}/experiments/create", json={"name": "camel"})
    exp_id = response.json()["experiment_id"]
    got = api.get(f"{API}/experiments/get", params={"experimentId": exp_id}).json()
    assert got["experiment"]["name"] == "camel"


def test_ajax_prefix_serves_the_same_handlers(api: httpx.Client) -> None:
    run_id = _run(api)["info"]["run_id"]
    response = api.get("/ajax-api/2.0/mlflow/runs/get", params={"run_id": run_id})
    assert response.json()["run"]["info"]["run_id"] == run_id


def test_search_experiments_pages_with_mlflow_tokens(api: httpx.Client) -> None:
    for name in ("a", "b", "c"):
        api.post(f"{API}/experiments/create", json={"name": name})
    first = api.post(f"{API}/experiments/search", json={"max_results": 2}).json()
    assert len(first["experiments"]) == 2
    second = api.post(
        f"{API}/experiments/search", json={"max_results": 2, "page_token": first["next_page_token"]}
    ).json()
    names = [e["name"] for e in first["experiments"] + second["experiments"]]
    assert sorted(names) == ["Default", "a", "b", "c"]
    assert "next_page_token" not in second


def test_bulk_interval_samples_keep_first_and_last_points(api: httpx.Client) -> None:
    run_id = _run(api)["info"]["run_id"]
    metrics = [{"key": "loss", "value": i, "timestamp": i, "step": i} for i in range(100)]
    api.post(f"{API}/runs/log-batch", json={"run_id": run_id, "metrics": metrics})
    response = api.get(
        f"{API}/metrics/get-history-bulk-interval",
        params={"run_ids": run_id, "metric_key": "loss", "max_results": 10},
    )
    points = response.json()["metrics"]
    steps = [p["step"] for p in points]
    assert len(steps) == 10 and steps[0] == 0 and steps[-1] == 99
    assert all(p["run_id"] == run_id for p in points)


def test_bulk_interval_needs_both_step_bounds(api: httpx.Client) -> None:
    run_id = _run(api)["info"]["run_id"]
    response = api.get(
        f"{API}/metrics/get-history-bulk-interval",
        params={"run_ids": run_id, "metric_key": "loss", "start_step": 1},
    )
    assert response.status_code == 400
    assert response.json()["error_code"] == "INVALID_PARAMETER_VALUE"


def test_service_endpoints(api: httpx.Client) -> None:
    assert api.get("/health").text == "OK"
    assert api.get("/version").status_code == 200
    info = api.get("/api/3.0/mlflow/server-info").json()
    assert info["store_type"] == "SqlStore"
    spec = api.get("/openapi.json").json()
    assert f"{API}/runs/search" in spec["paths"]
    assert "/ajax-api/2.0/mlflow/runs/search" not in spec["paths"]


def test_every_response_carries_nosniff(api: httpx.Client) -> None:
    for response in (api.get("/health"), api.get(f"{API}/runs/get"), api.get("/nope")):
        assert response.headers["x-content-type-options"] == "nosniff"
