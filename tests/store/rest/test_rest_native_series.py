"""The REST store's columnar methods fall back to MLflow's API on servers without them."""

from __future__ import annotations

import base64
import struct

from rest_stub import FAST, Answer, StubServer

from cairn.entities import MetricSeries
from cairn.store.tracking.rest import RestTrackingStore

NOT_FOUND = Answer(404, "<html>Not Found</html>")


def test_bulk_log_against_mlflow_server_becomes_log_batch_calls(stub: StubServer) -> None:
    stub.answer(NOT_FOUND, Answer())
    store = RestTrackingStore(stub.url, FAST)
    n = 2000
    store.log_metric_series("r" * 32, [MetricSeries("m", range(n), range(n), [0.5] * n)])
    store.log_metric_series("r" * 32, [MetricSeries("m", [0], [0], [0.5])])
    paths = [seen.path for seen in stub.seen]
    assert paths[0] == "/api/2.0/cairn/runs/log-series"
    # learned once: the second call goes straight to log-batch
    assert paths[1:] == ["/api/2.0/mlflow/runs/log-batch"] * 4
    sent = sum(len(seen.json()["metrics"]) for seen in stub.seen[1:])
    assert sent == n + 1
    store.close()


def test_bulk_log_against_cairn_sends_packed_columns(stub: StubServer) -> None:
    store = RestTrackingStore(stub.url, FAST)
    store.log_metric_series("r" * 32, [MetricSeries("m", [3], [7], [0.25])])
    (seen,) = stub.seen
    body = seen.json()
    assert seen.path == "/api/2.0/cairn/runs/log-series" and body["run_id"] == "r" * 32
    (series,) = body["series"]
    assert struct.unpack("<q", base64.b64decode(series["steps"])) == (3,)
    assert struct.unpack("<d", base64.b64decode(series["values"])) == (0.25,)
    store.close()
