"""``POST /api/2.0/cairn/runs/import`` over real HTTP: wire shape, errors, prefixes."""

from __future__ import annotations

import base64
import struct
import uuid
from typing import Any

import httpx
import pytest

from cairn.entities import MetricSeries, RunBundle, RunStatus
from cairn.errors import NotImplementedByStore
from cairn.store.tracking.rest import HttpTransport, RestTrackingStore
from cairn.store.tracking.rest import imports as rest_imports
from cairn.store.tracking.rest._api import RestApi
from live_server import LiveServer

IMPORT = "/api/2.0/cairn/runs/import"


def _b64(fmt: str, values: list[Any]) -> str:
    return base64.b64encode(struct.pack(f"<{len(values)}{fmt}", *values)).decode()


def _body(run_id: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "experiment_name": "wire-exp",
        "run_id": run_id,
        "run_name": "from-the-wire",
        "user_id": "bob",
        "status": "FINISHED",
        "start_time": 1000,
        "end_time": 2000,
        "lifecycle_stage": "active",
        "params": [{"key": "lr", "value": "0.1"}],
        "tags": [{"key": "team", "value": "nlp"}],
        "series": [
            {
                "key": "loss",
                "count": 3,
                "steps": _b64("q", [0, 1, 2]),
                "timestamps": _b64("q", [1000, 1001, 1002]),
                "values": _b64("d", [0.9, 0.5, 0.25]),
            }
        ],
        "dataset_inputs": [
            {
                "dataset": {"name": "d", "digest": "abc", "source_type": "local", "source": "/x"},
                "tags": [{"key": "mlflow.data.context", "value": "eval"}],
            }
        ],
    }
    body.update(changes)
    return body


def _history(api: httpx.Client, run_id: str, key: str) -> list[tuple[int, int, float]]:
    reply = api.get(
        "/api/2.0/mlflow/metrics/get-history", params={"run_id": run_id, "metric_key": key}
    )
    return [(m["step"], m["timestamp"], m["value"]) for m in reply.json().get("metrics", [])]


def test_import_creates_the_run_with_its_id_and_every_point(api: httpx.Client) -> None:
    run_id = uuid.uuid4().hex
    reply = api.post(IMPORT, json=_body(run_id))
    assert reply.status_code == 200, reply.text
    assert reply.json() == {}

    run = api.get("/api/2.0/mlflow/runs/get", params={"run_id": run_id}).json()["run"]
    assert run["info"]["run_name"] == "from-the-wire"
    assert (run["info"]["start_time"], run["info"]["end_time"]) == (1000, 2000)
    assert run["info"]["status"] == "FINISHED" and run["info"]["user_id"] == "bob"
    assert run["data"]["params"] == [{"key": "lr", "value": "0.1"}]
    assert {"key": "team", "value": "nlp"} in run["data"]["tags"]
    assert run["inputs"]["dataset_inputs"][0]["dataset"]["name"] == "d"
    expected = [(0, 1000, 0.9), (1, 1001, 0.5), (2, 1002, 0.25)]
    assert _history(api, run_id, "loss") == expected

    assert api.post(IMPORT, json=_body(run_id)).status_code == 200
    assert _history(api, run_id, "loss") == expected


def test_columns_may_be_plain_json_lists(api: httpx.Client) -> None:
    run_id = uuid.uuid4().hex
    series = [{"key": "acc", "steps": [5], "timestamps": [7], "values": [0.75]}]
    assert api.post(IMPORT, json=_body(run_id, series=series)).status_code == 200
    assert _history(api, run_id, "acc") == [(5, 7, 0.75)]


def test_the_endpoint_is_served_under_ajax_api_too(api: httpx.Client) -> None:
    reply = api.post("/ajax-api/2.0/cairn/runs/import", json=_body(uuid.uuid4().hex))
    assert reply.status_code == 200, reply.text


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"run_id": None}, "run_id"),
        ({"experiment_name": None}, "experiment_name"),
        ({"status": "DONE"}, "run status"),
        ({"lifecycle_stage": "gone"}, "lifecycle_stage"),
        ({"series": [{"key": "m", "steps": "%%%", "timestamps": [], "values": []}]}, "series[0]"),
        ({"series": [{"key": "m", "steps": [1, 2], "timestamps": [1], "values": [1]}]}, "lengths"),
        ({"dataset_inputs": [{"tags": []}]}, "dataset_inputs[0]"),
    ],
)
def test_malformed_requests_answer_400(
    api: httpx.Client, changes: dict[str, Any], fragment: str
) -> None:
    body = _body(uuid.uuid4().hex)
    body.update(changes)
    body = {k: v for k, v in body.items() if v is not None}
    reply = api.post(IMPORT, json=body)
    assert reply.status_code == 400
    assert reply.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    assert fragment in reply.json()["message"]


def test_run_id_of_another_experiment_answers_resource_already_exists(api: httpx.Client) -> None:
    run_id = uuid.uuid4().hex
    assert api.post(IMPORT, json=_body(run_id)).status_code == 200
    reply = api.post(IMPORT, json=_body(run_id, experiment_name="elsewhere"))
    assert reply.status_code == 400
    assert reply.json()["error_code"] == "RESOURCE_ALREADY_EXISTS"


def test_the_endpoint_is_documented_in_openapi(api: httpx.Client) -> None:
    assert IMPORT in api.get("/openapi.json").json()["paths"]


@pytest.mark.parametrize("backend_uri", ["sqlite"], indirect=True)
def test_rest_store_says_clearly_when_a_server_has_no_import_endpoint(
    live_server: LiveServer,
) -> None:
    """Every path under this base answers 404, as a server without the endpoint would."""
    store = RestTrackingStore(f"{live_server.url}/not-cairn")
    bundle = RunBundle(
        "e",
        uuid.uuid4().hex,
        "r",
        "",
        RunStatus.FINISHED,
        1,
        2,
        series=(MetricSeries("m", [], [], []),),
    )
    try:
        with pytest.raises(NotImplementedByStore, match="no run import endpoint"):
            store.import_run(bundle)
    finally:
        store.close()


@pytest.mark.parametrize("backend_uri", ["sqlite"], indirect=True)
def test_a_bundle_sent_in_several_requests_converges_on_the_whole_run(
    live_server: LiveServer, api: httpx.Client
) -> None:
    """Big runs travel as several requests of whole keys; each replaces only its keys."""
    run_id = uuid.uuid4().hex
    series = tuple(
        MetricSeries(key, [0, 1, 2], [10, 11, 12], [1.0, 2.0, float(n)])
        for n, key in enumerate(("a", "b", "c"))
    )
    bundle = RunBundle("split", run_id, "r", "", RunStatus.FINISHED, 1, 2, series=series)
    transport = HttpTransport()
    try:
        for _ in range(2):
            rest_imports.import_run(RestApi(live_server.url, transport), bundle, budget=4)
    finally:
        transport.close()
    for n, key in enumerate(("a", "b", "c")):
        assert _history(api, run_id, key) == [(0, 10, 1.0), (1, 11, 2.0), (2, 12, float(n))]
