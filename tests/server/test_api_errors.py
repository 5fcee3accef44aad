"""Every user error answers the reference's error code and a 4xx status, and writes nothing."""

from __future__ import annotations

import httpx
import pytest

API = "/api/2.0/mlflow"


def _error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error_code"] == code
    return str(body["message"])


def _run_id(api: httpx.Client) -> str:
    response = api.post(f"{API}/runs/create", json={"experiment_id": "0"})
    return str(response.json()["run"]["info"]["run_id"])


def test_unknown_run_is_404(api: httpx.Client) -> None:
    response = api.get(f"{API}/runs/get", params={"run_id": "f" * 32})
    _error(response, 404, "RESOURCE_DOES_NOT_EXIST")


def test_unknown_experiment_name_is_404_which_clients_read_as_none(api: httpx.Client) -> None:
    response = api.get(f"{API}/experiments/get-by-name", params={"experiment_name": "nope"})
    _error(response, 404, "RESOURCE_DOES_NOT_EXIST")


def test_duplicate_experiment_name_is_400_not_409(api: httpx.Client) -> None:
    api.post(f"{API}/experiments/create", json={"name": "twice"})
    response = api.post(f"{API}/experiments/create", json={"name": "twice"})
    _error(response, 400, "RESOURCE_ALREADY_EXISTS")


def test_changing_a_param_is_refused_and_keeps_the_first_value(api: httpx.Client) -> None:
    run_id = _run_id(api)
    api.post(f"{API}/runs/log-parameter", json={"run_id": run_id, "key": "lr", "value": "0.1"})
    same = api.post(
        f"{API}/runs/log-parameter", json={"run_id": run_id, "key": "lr", "value": "0.1"}
    )
    assert same.status_code == 200
    changed = api.post(
        f"{API}/runs/log-parameter", json={"run_id": run_id, "key": "lr", "value": "0.2"}
    )
    _error(changed, 400, "INVALID_PARAMETER_VALUE")
    params = api.get(f"{API}/runs/get", params={"run_id": run_id}).json()["run"]["data"]["params"]
    assert params == [{"key": "lr", "value": "0.1"}]


def test_oversized_batch_is_refused_whole(api: httpx.Client) -> None:
    run_id = _run_id(api)
    metrics = [{"key": "m", "value": i, "timestamp": i, "step": i} for i in range(1001)]
    response = api.post(f"{API}/runs/log-batch", json={"run_id": run_id, "metrics": metrics})
    _error(response, 400, "INVALID_PARAMETER_VALUE")
    history = api.get(f"{API}/metrics/get-history", params={"run_id": run_id, "metric_key": "m"})
    assert history.json() == {}


def test_batch_item_without_timestamp_names_its_path(api: httpx.Client) -> None:
    run_id = _run_id(api)
    metrics = [{"key": "m", "value": 1}]
    response = api.post(f"{API}/runs/log-batch", json={"run_id": run_id, "metrics": metrics})
    assert "metrics[0].timestamp" in _error(response, 400, "INVALID_PARAMETER_VALUE")


def test_duplicate_param_keys_in_one_batch_are_refused(api: httpx.Client) -> None:
    run_id = _run_id(api)
    params = [{"key": "a", "value": "1"}, {"key": "a", "value": "2"}]
    response = api.post(f"{API}/runs/log-batch", json={"run_id": run_id, "params": params})
    _error(response, 400, "INVALID_PARAMETER_VALUE")


@pytest.mark.parametrize(
    "bad", ["metrics.x >", "params.a = unquoted", "foo.bar = 'x'", "a = 'b' OR"]
)
def test_malformed_filters_are_400(api: httpx.Client, bad: str) -> None:
    response = api.post(f"{API}/runs/search", json={"experiment_ids": ["0"], "filter": bad})
    _error(response, 400, "INVALID_PARAMETER_VALUE")


def test_malformed_json_counts_as_empty_and_fails_required_field_check(api: httpx.Client) -> None:
    response = api.post(
        f"{API}/experiments/create",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert "'name'" in _error(response, 400, "INVALID_PARAMETER_VALUE")


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_post_needs_json_content_type(api: httpx.Client, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = api.post(f"{API}/experiments/create", content=b'{"name": "x"}', headers=headers)
    _error(response, 400, "INVALID_PARAMETER_VALUE")
    missing = api.get(f"{API}/experiments/get-by-name", params={"experiment_name": "x"})
    assert missing.status_code == 404


def test_search_runs_page_size_above_cap_is_400(api: httpx.Client) -> None:
    response = api.post(f"{API}/runs/search", json={"experiment_ids": ["0"], "max_results": 50001})
    _error(response, 400, "INVALID_PARAMETER_VALUE")


def test_search_experiments_without_page_size_is_400_like_mlflow(api: httpx.Client) -> None:
    response = api.post(f"{API}/experiments/search", json={})
    _error(response, 400, "INVALID_PARAMETER_VALUE")


def test_bad_page_token_is_400(api: httpx.Client) -> None:
    response = api.post(
        f"{API}/runs/search", json={"experiment_ids": ["0"], "page_token": "garbage!"}
    )
    _error(response, 400, "INVALID_PARAMETER_VALUE")


def test_unknown_route_is_endpoint_not_found_json(api: httpx.Client) -> None:
    _error(api.get(f"{API}/no/such/thing"), 404, "ENDPOINT_NOT_FOUND")


def test_wrong_method_is_405(api: httpx.Client) -> None:
    response = api.get(f"{API}/runs/search")
    assert response.status_code == 405


def test_renaming_a_deleted_experiment_is_invalid_state(api: httpx.Client) -> None:
    exp_id = api.post(f"{API}/experiments/create", json={"name": "gone"}).json()["experiment_id"]
    api.post(f"{API}/experiments/delete", json={"experiment_id": exp_id})
    response = api.post(
        f"{API}/experiments/update", json={"experiment_id": exp_id, "new_name": "x"}
    )
    _error(response, 500, "INVALID_STATE")


def test_writes_to_a_deleted_run_are_refused(api: httpx.Client) -> None:
    run_id = _run_id(api)
    api.post(f"{API}/runs/delete", json={"run_id": run_id})
    response = api.post(f"{API}/runs/set-tag", json={"run_id": run_id, "key": "k", "value": "v"})
    _error(response, 400, "INVALID_PARAMETER_VALUE")


def test_presigned_urls_are_not_implemented_for_local_stores(api: httpx.Client) -> None:
    run_id = _run_id(api)
    response = api.post(
        f"{API}/artifacts/presigned-upload-url", json={"run_id": run_id, "path": "a.txt"}
    )
    _error(response, 501, "NOT_IMPLEMENTED")
