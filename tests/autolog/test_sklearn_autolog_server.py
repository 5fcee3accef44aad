"""Autologging against a live cairn server: the same run, metrics, dataset and model."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

import cairn
from cairn.tracking import fluent
from live_server import LiveServer


def test_fit_logs_to_a_live_server(xy: Any, live_server: LiveServer) -> None:
    cairn.set_tracking_uri(live_server.url)
    x, y = xy
    cairn.autolog()
    model = LogisticRegression().fit(x, y)
    (run,) = cairn.search_runs(output_format="list")
    assert run.data.param_dict["C"] == "1.0"
    assert run.data.metric_dict["training_accuracy_score"] == model.score(x, y)
    expected = cairn.data.from_numpy(x, targets=y).digest
    assert [d.dataset.digest for d in run.inputs.dataset_inputs] == [expected]
    (logged,) = list(fluent.client().search_logged_models([run.info.experiment_id]))
    loaded = cairn.sklearn.load_model(f"models:/{logged.model_id}")
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
