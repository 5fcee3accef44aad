"""Fluent logging and search: each call logs to the active run (starting one if needed).

Metrics, params and tags are queued by default and stored by a background thread; each of
those functions takes ``synchronous=True`` to write before returning (see docs/logging.md).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cairn.entities import Dataset, Experiment, Metric, Param, Run, RunTag, ViewType
from cairn.tracking.fluent import _active_experiment_id, active_run_id, async_logger, client


def log_param(key: str, value: Any, *, synchronous: bool | None = None) -> Any:
    """Log a param of the active run; queued unless ``synchronous`` (see ``log_metric``)."""
    logger = async_logger(synchronous)
    if logger is None:
        return client().log_param(active_run_id(), key, value)
    logger.log_param(active_run_id(), key, value)
    return value


def log_params(params: Mapping[str, Any], *, synchronous: bool | None = None) -> None:
    logger = async_logger(synchronous)
    if logger is None:
        client().log_batch(active_run_id(), params=[Param(k, str(v)) for k, v in params.items()])
    else:
        logger.log_params(active_run_id(), params)


def log_metric(
    key: str,
    value: float,
    step: int | None = None,
    timestamp: int | None = None,
    *,
    synchronous: bool | None = None,
) -> None:
    """Log a metric point of the active run (starting a run when none is active).

    By default the point is queued and the call returns at once (microseconds); a background
    thread stores it, and ``end_run``/``cairn.flush`` report anything it could not store.
    ``synchronous=True`` (or ``CAIRN_ASYNC_LOGGING=false``) writes before returning and
    raises store errors here. Bad arguments (key, value type) raise here either way.
    """
    logger = async_logger(synchronous)
    if logger is None:
        client().log_metric(active_run_id(), key, value, timestamp, step)
    else:
        logger.log_metric(active_run_id(), key, value, timestamp, step)


def log_metrics(
    metrics: Mapping[str, float],
    step: int | None = None,
    timestamp: int | None = None,
    *,
    synchronous: bool | None = None,
) -> None:
    logger = async_logger(synchronous)
    if logger is not None:
        logger.log_metrics(active_run_id(), metrics, timestamp, step)
        return
    ts = int(time.time() * 1000) if timestamp is None else timestamp
    points = [Metric(k, v, ts, step or 0) for k, v in metrics.items()]
    client().log_batch(active_run_id(), metrics=points)


def set_tag(key: str, value: Any, *, synchronous: bool | None = None) -> None:
    logger = async_logger(synchronous)
    if logger is None:
        client().set_tag(active_run_id(), key, value)
    else:
        logger.set_tag(active_run_id(), key, value)


def set_tags(tags: Mapping[str, Any], *, synchronous: bool | None = None) -> None:
    logger = async_logger(synchronous)
    if logger is None:
        client().log_batch(active_run_id(), tags=[RunTag(k, str(v)) for k, v in tags.items()])
    else:
        logger.set_tags(active_run_id(), tags)


def delete_tag(key: str) -> None:
    client().delete_tag(active_run_id(), key)


def log_artifact(local_path: str | Path, artifact_path: str | None = None) -> None:
    client().log_artifact(active_run_id(), local_path, artifact_path)


def log_artifacts(local_dir: str | Path, artifact_path: str | None = None) -> None:
    client().log_artifacts(active_run_id(), local_dir, artifact_path)


def log_text(text: str, artifact_file: str) -> None:
    client().log_text(active_run_id(), text, artifact_file)


def log_dict(dictionary: Any, artifact_file: str) -> None:
    client().log_dict(active_run_id(), dictionary, artifact_file)


def log_image(image: Any, artifact_file: str) -> None:
    client().log_image(active_run_id(), image, artifact_file)


def log_figure(figure: Any, artifact_file: str) -> None:
    client().log_figure(active_run_id(), figure, artifact_file)


def log_input(
    dataset: Dataset, context: str | None = None, tags: Mapping[str, str] | None = None
) -> None:
    client().log_input(active_run_id(), dataset, context, tags)


def get_run(run_id: str) -> Run:
    return client().get_run(run_id)


def get_experiment(experiment_id: str) -> Experiment:
    return client().get_experiment(experiment_id)


def get_experiment_by_name(name: str) -> Experiment | None:
    return client().get_experiment_by_name(name)


def create_experiment(
    name: str, artifact_location: str | None = None, tags: Mapping[str, Any] | None = None
) -> str:
    return client().create_experiment(name, artifact_location, tags)


def delete_experiment(experiment_id: str) -> None:
    client().delete_experiment(experiment_id)


def search_experiments(
    view_type: ViewType = ViewType.ACTIVE_ONLY,
    max_results: int | None = None,
    filter_string: str | None = None,
    order_by: Sequence[str] | None = None,
) -> list[Experiment]:
    """All matching experiments (following pages), or the first ``max_results``."""
    found: list[Experiment] = []
    token = None
    while max_results is None or len(found) < max_results:
        size = 1000 if max_results is None else min(1000, max_results - len(found))
        page = client().search_experiments(view_type, size, filter_string, order_by, token)
        found.extend(page)
        token = page.next_page_token
        if token is None:
            break
    return found


def _experiment_ids(
    experiment_ids: Sequence[str] | None,
    experiment_names: Sequence[str] | None,
    search_all_experiments: bool,
) -> list[str]:
    if experiment_names:
        found = [client().get_experiment_by_name(name) for name in experiment_names]
        return [e.experiment_id for e in found if e is not None]
    if experiment_ids:
        return [str(e) for e in experiment_ids]
    if search_all_experiments:
        return [e.experiment_id for e in search_experiments(view_type=ViewType.ALL)]
    return [_active_experiment_id()]


def search_runs(
    experiment_ids: Sequence[str] | None = None,
    filter_string: str = "",
    run_view_type: ViewType = ViewType.ACTIVE_ONLY,
    max_results: int = 100_000,
    order_by: Sequence[str] | None = None,
    output_format: str = "pandas",
    search_all_experiments: bool = False,
    experiment_names: Sequence[str] | None = None,
) -> Any:
    """Runs as a pandas DataFrame (one column per metric, param and tag) or as a list.

    With no experiment given, searches the active experiment.
    """
    from cairn.tracking.runs_frame import runs_to_frame

    if output_format not in ("pandas", "list"):
        raise ValueError("output_format must be 'pandas' or 'list'.")
    ids = _experiment_ids(experiment_ids, experiment_names, search_all_experiments)
    runs: list[Run] = []
    token = None
    while len(runs) < max_results:
        size = min(50_000, max_results - len(runs))
        page = client().search_runs(ids, filter_string, run_view_type, size, order_by, token)
        runs.extend(page)
        token = page.next_page_token
        if token is None:
            break
    return runs if output_format == "list" else runs_to_frame(runs)
