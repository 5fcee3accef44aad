"""GridSearchCV / RandomizedSearchCV: a parent run with the best params and child runs."""

from __future__ import annotations

from typing import Any

from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV

import cairn
from cairn.entities import RunStatus
from cairn.tracking import fluent


def test_grid_search_logs_parent_and_best_ranked_children(xy: Any) -> None:
    cairn.autolog(max_tuning_runs=2, log_models=False)
    search = GridSearchCV(LogisticRegression(), {"C": [0.01, 0.1, 1.0]}, cv=3)
    assert search.fit(*xy) is search
    runs = cairn.search_runs(output_format="list")
    parents = [r for r in runs if "mlflow.parentRunId" not in r.data.tag_dict]
    assert len(parents) == 1
    parent = parents[0]
    assert parent.data.param_dict["best_C"] == str(search.best_params_["C"])
    assert parent.data.param_dict["estimator__C"] == "1.0"
    assert parent.data.metric_dict["best_cv_score"] == search.best_score_
    assert "training_accuracy_score" in parent.data.metric_dict
    table = fluent.client().load_text(parent.info.run_id, "cv_results.csv")
    assert table.splitlines()[0].startswith("mean_fit_time,")
    assert len(table.splitlines()) == 4
    children = [r for r in runs if r.data.tag_dict.get("mlflow.parentRunId") == parent.info.run_id]
    assert len(children) == 2
    ranked = sorted(range(3), key=lambda i: search.cv_results_["rank_test_score"][i])[:2]
    expected = {str(search.cv_results_["params"][i]["C"]) for i in ranked}
    assert {c.data.param_dict["C"] for c in children} == expected
    for child in children:
        assert "mean_test_score" in child.data.metric_dict
        assert child.info.status == RunStatus.FINISHED
