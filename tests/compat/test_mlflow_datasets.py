"""Dataset inputs: ``mlflow.log_input(mlflow.data.from_pandas(...))``."""

from __future__ import annotations

import json

import mlflow
import mlflow.data
import pandas as pd
import pytest
from mlflow import MlflowClient

# mlflow's dataset digest calls DataFrame.all(0) positionally, which pandas 3 deprecates.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Starting with pandas version 4.0 all arguments of all:pandas.errors.Pandas4Warning"
)


def test_log_input_links_a_dataset_once(fluent: str, client: MlflowClient) -> None:
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [0, 1, 0]})
    dataset = mlflow.data.from_pandas(frame, name="toy", targets="y")

    with mlflow.start_run() as run:
        mlflow.log_input(dataset, context="training")
        mlflow.log_input(dataset, context="training")  # same dataset and context: one link

    inputs = client.get_run(run.info.run_id).inputs.dataset_inputs
    assert len(inputs) == 1
    got = inputs[0].dataset
    assert got.name == "toy"
    assert got.digest == dataset.digest
    assert got.source_type == "code"
    # MLflow's server leaves the (possibly large) schema out of runs; returning it is harmless.
    assert got.schema is None or json.loads(got.schema) == {
        "mlflow_colspec": json.loads(dataset.schema.to_json())
    }
    assert json.loads(got.profile) == {"num_rows": 3, "num_elements": 6}
    assert {t.key: t.value for t in inputs[0].tags} == {"mlflow.data.context": "training"}
    searched = client.search_runs([fluent])[0].inputs.dataset_inputs
    assert [d.dataset.digest for d in searched] == [dataset.digest]
