"""Hyperparameter searches (``GridSearchCV``, ``RandomizedSearchCV``): the parent run gets
the best params and score and the CV table; the best candidates get nested child runs.

Child runs are created through the client with MLflow's parent tag, not pushed on the fluent
stack, so a failure half-way can never leave the user's active run changed.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from cairn.autologging.config import AutologConfig
from cairn.autologging.sklearn_logging import log_metrics, log_params
from cairn.entities import RunStatus
from cairn.tracking import fluent
from cairn.tracking.context import PARENT_RUN_ID


def is_search(estimator: Any) -> bool:
    return hasattr(estimator, "cv_results_") and hasattr(estimator, "best_params_")


def _cv_results_csv(results: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = list(results)
    writer.writerow(columns)
    for row in range(len(results[columns[0]])):
        writer.writerow([results[column][row] for column in columns])
    return buffer.getvalue()


def _numeric(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number  # NaN (a failed fold) is not logged


def log_search(run_id: str, search: Any, config: AutologConfig) -> None:
    """Best params as ``best_<param>``, ``best_cv_score``, ``cv_results.csv``, child runs."""
    log_params(run_id, {f"best_{key}": value for key, value in search.best_params_.items()})
    if hasattr(search, "best_score_"):
        log_metrics(run_id, {"best_cv_score": float(search.best_score_)})
    fluent.client().log_text(run_id, _cv_results_csv(search.cv_results_), "cv_results.csv")
    _log_child_runs(run_id, search.cv_results_, config.max_tuning_runs)


def _ranked_rows(results: dict[str, Any], limit: int | None) -> list[int]:
    ranks = [int(rank) for rank in results.get("rank_test_score", [])]
    order = sorted(range(len(results["params"])), key=lambda i: ranks[i] if ranks else i)
    return order if limit is None else order[:limit]


def _log_child_runs(parent_id: str, results: dict[str, Any], limit: int | None) -> None:
    client = fluent.client()
    parent = client.get_run(parent_id)
    for position, row in enumerate(_ranked_rows(results, limit)):
        child = client.create_run(
            parent.info.experiment_id,
            tags={PARENT_RUN_ID: parent_id},
            run_name=f"{parent.info.run_name}-{position + 1}",
        )
        child_id = child.info.run_id
        try:
            log_params(child_id, results["params"][row])
            metrics = {
                key: _numeric(values[row])
                for key, values in results.items()
                if not key.startswith("param")
            }
            log_metrics(child_id, {k: v for k, v in metrics.items() if v is not None})
        except BaseException:
            client.set_terminated(child_id, RunStatus.FAILED)
            raise
        client.set_terminated(child_id, RunStatus.FINISHED)
