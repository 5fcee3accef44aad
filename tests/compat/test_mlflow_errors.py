"""Errors reach the client as ``MlflowException`` with MLflow's error codes (and fast)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException, RestException


def _error_code(call: Callable[[], object]) -> str:
    with pytest.raises(MlflowException) as excinfo:
        call()
    return excinfo.value.error_code


def test_unknown_run_is_resource_does_not_exist(client: MlflowClient) -> None:
    code = _error_code(lambda: client.get_run("0123456789abcdef0123456789abcdef"))

    assert code == "RESOURCE_DOES_NOT_EXIST"


def test_unknown_experiment_is_resource_does_not_exist(client: MlflowClient) -> None:
    assert _error_code(lambda: client.get_experiment("987654321")) == "RESOURCE_DOES_NOT_EXIST"


def test_duplicate_experiment_is_resource_already_exists(
    client: MlflowClient, unique_name: Callable[[str], str]
) -> None:
    name = unique_name("dup")
    client.create_experiment(name)

    assert _error_code(lambda: client.create_experiment(name)) == "RESOURCE_ALREADY_EXISTS"


def test_malformed_filter_is_invalid_parameter_value(
    client: MlflowClient, experiment_id: str
) -> None:
    started = time.monotonic()

    code = _error_code(lambda: client.search_runs([experiment_id], "metrics.acc >>> 0.5"))

    assert code == "INVALID_PARAMETER_VALUE"
    assert time.monotonic() - started < 10  # a 4xx, not a retried 5xx


def test_writes_to_a_deleted_run_are_rejected(client: MlflowClient, experiment_id: str) -> None:
    run_id = client.create_run(experiment_id).info.run_id
    client.delete_run(run_id)

    assert _error_code(lambda: client.log_param(run_id, "p", "v")) == "INVALID_PARAMETER_VALUE"
    assert _error_code(lambda: client.set_tag(run_id, "t", "v")) == "INVALID_PARAMETER_VALUE"


def test_oversize_log_batch_is_a_400(
    client: MlflowClient, experiment_id: str, rest: Callable[..., Any]
) -> None:
    run_id = client.create_run(experiment_id).info.run_id
    metrics = [{"key": f"m{i}", "value": 1.0, "timestamp": 1, "step": 0} for i in range(1001)]

    response = rest("POST", "/runs/log-batch", json={"run_id": run_id, "metrics": metrics})

    assert response.status_code == 400
    assert response.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    assert client.get_run(run_id).data.metrics == {}


def test_rest_exception_carries_the_json_message(client: MlflowClient) -> None:
    with pytest.raises(RestException) as excinfo:
        client.get_run("0123456789abcdef0123456789abcdef")

    assert excinfo.value.get_http_status_code() == 404
    assert "0123456789abcdef0123456789abcdef" in excinfo.value.message
