"""``CairnClient``: the explicit, id-based API (MLflow's ``MlflowClient`` names).

The fluent API (``cairn.start_run`` ...) is a thin layer over this client; the Model Registry
methods come from :mod:`cairn.tracking.registry_client`. Stores are opened once per URI and
process (:mod:`cairn.tracking.store_cache`), so engines and connection pools are reused.

Logging here is synchronous by default (errors raise at the call); ``synchronous=False``
queues the write for the same background sender the fluent API uses. Every read and every
synchronous write of run data first waits for that URI's queued writes, so a process always
reads its own writes, in order (see docs/logging.md).

>>> import tempfile
>>> client = CairnClient(tempfile.mkdtemp())
>>> run = client.create_run("0", run_name="demo")
>>> client.log_metric(run.info.run_id, "loss", 0.25, step=1)
>>> client.get_run(run.info.run_id).data.metric_dict
{'loss': 0.25}
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cairn.config import Settings, settings_from_env
from cairn.entities import (
    Dataset,
    DatasetInput,
    Experiment,
    ExperimentTag,
    FileInfo,
    InputTag,
    LoggedModel,
    LoggedModelStatus,
    Metric,
    MetricSeries,
    ModelOutput,
    Page,
    Param,
    Run,
    RunInfo,
    RunStatus,
    RunTag,
    ViewType,
)
from cairn.store.artifacts import ArtifactRepository, get_artifact_repository
from cairn.store.tracking.base import (
    LOGGED_MODELS_MAX_RESULTS_DEFAULT,
    SEARCH_MAX_RESULTS_DEFAULT,
    LoggedModelOrder,
    TrackingStore,
)
from cairn.tracking import artifact_encoding as enc
from cairn.tracking import logged_models as lm
from cairn.tracking._current import current_registry_uri, current_uri
from cairn.tracking.batch_split import split_batch
from cairn.tracking.delivery import AsyncLogger, DeliveryOptions, registry
from cairn.tracking.registry_client import RegistryClientMixin
from cairn.tracking.store_cache import close_stores, store_for

__all__ = ["CairnClient", "close_stores", "now_ms"]


def now_ms() -> int:
    return int(time.time() * 1000)


class CairnClient(RegistryClientMixin):
    def __init__(
        self,
        tracking_uri: str | None = None,
        registry_uri: str | None = None,
        settings: Settings | None = None,
    ) -> None:
        """``registry_uri`` defaults to ``cairn.set_registry_uri``, then ``CAIRN_REGISTRY_URI``
        / ``MLFLOW_REGISTRY_URI``, then this client's tracking URI (as in MLflow)."""
        self._settings = settings or settings_from_env()
        self.tracking_uri = tracking_uri or current_uri() or self._settings.tracking_uri
        registry_uri = registry_uri or current_registry_uri() or self._settings.registry_uri
        self.registry_uri = registry_uri or self.tracking_uri
        self._store: TrackingStore | None = None
        #: run id -> artifact URI, fixed when a run is created; saves a whole ``get_run`` (7
        #: queries) per ``log_dict``/``log_artifact``, which autologging calls several times.
        self._artifact_uris: dict[str, str] = {}

    @property
    def store(self) -> TrackingStore:
        if self._store is None:
            self._store = store_for(self.tracking_uri, self._settings)
        return self._store

    # --- asynchronous logging ------------------------------------------------------------------
    def async_logger(self) -> AsyncLogger:
        """The queue-and-return logger of this client's store (one per store and process)."""
        return registry.logger_for(
            (self.tracking_uri, self._settings),
            self.tracking_uri,
            self.store,
            DeliveryOptions.from_settings(self._settings),
            self._settings.truncate_long_values,
        )

    def settle(self) -> None:
        """Wait for this URI's queued writes (a no-op when none are pending); losses stay
        recorded for :meth:`flush` or ``end_run`` to report."""
        registry.settle(self.tracking_uri)

    def flush(self, timeout: float | None = None) -> None:
        """Block until everything logged asynchronously to this URI is stored.

        Raises ``LoggingIncomplete`` naming what could not be delivered (each loss once), or
        what is still queued when ``timeout`` seconds pass first.
        """
        registry.flush(self.tracking_uri, timeout)

    def report_losses(self) -> None:
        """Raise ``LoggingIncomplete`` for losses not reported yet, without waiting."""
        registry.report_losses(self.tracking_uri)

    # --- experiments -------------------------------------------------------------------------
    def create_experiment(
        self,
        name: str,
        artifact_location: str | None = None,
        tags: Mapping[str, Any] | None = None,
    ) -> str:
        exp_tags = [ExperimentTag(k, str(v)) for k, v in (tags or {}).items()]
        return self.store.create_experiment(name, artifact_location, exp_tags)

    def get_experiment(self, experiment_id: str) -> Experiment:
        return self.store.get_experiment(str(experiment_id))

    def get_experiment_by_name(self, name: str) -> Experiment | None:
        return self.store.get_experiment_by_name(name)

    def search_experiments(
        self,
        view_type: ViewType = ViewType.ACTIVE_ONLY,
        max_results: int = SEARCH_MAX_RESULTS_DEFAULT,
        filter_string: str | None = None,
        order_by: Sequence[str] | None = None,
        page_token: str | None = None,
    ) -> Page[Experiment]:
        return self.store.search_experiments(
            view_type, max_results, filter_string, order_by or (), page_token
        )

    def rename_experiment(self, experiment_id: str, new_name: str) -> None:
        self.store.rename_experiment(str(experiment_id), new_name)

    def delete_experiment(self, experiment_id: str) -> None:
        self.store.delete_experiment(str(experiment_id))

    def restore_experiment(self, experiment_id: str) -> None:
        self.store.restore_experiment(str(experiment_id))

    def set_experiment_tag(self, experiment_id: str, key: str, value: Any) -> None:
        self.store.set_experiment_tag(str(experiment_id), ExperimentTag(key, str(value)))

    def delete_experiment_tag(self, experiment_id: str, key: str) -> None:
        self.store.delete_experiment_tag(str(experiment_id), key)

    # --- runs ----------------------------------------------------------------------------------
    def create_run(
        self,
        experiment_id: str,
        start_time: int | None = None,
        tags: Mapping[str, Any] | None = None,
        run_name: str | None = None,
    ) -> Run:
        run_tags = [RunTag(k, str(v)) for k, v in (tags or {}).items()]
        user = (tags or {}).get("mlflow.user", self._settings.username or "")
        return self.store.create_run(
            str(experiment_id),
            str(user),
            now_ms() if start_time is None else start_time,
            run_tags,
            run_name,
        )

    def get_run(self, run_id: str) -> Run:
        self.settle()
        return self.store.get_run(run_id)

    def update_run(
        self, run_id: str, status: RunStatus | str | None = None, name: str | None = None
    ) -> RunInfo:
        parsed = RunStatus.parse(status) if status is not None else None
        self.settle()
        return self.store.update_run_info(run_id, status=parsed, run_name=name)

    def set_terminated(
        self, run_id: str, status: RunStatus | str = RunStatus.FINISHED, end_time: int | None = None
    ) -> RunInfo:
        self.settle()
        return self.store.update_run_info(
            run_id, status=RunStatus.parse(status), end_time=end_time or now_ms()
        )

    def delete_run(self, run_id: str) -> None:
        self.settle()
        self.store.delete_run(run_id)

    def restore_run(self, run_id: str) -> None:
        self.settle()
        self.store.restore_run(run_id)

    def search_runs(
        self,
        experiment_ids: Sequence[str],
        filter_string: str = "",
        run_view_type: ViewType = ViewType.ACTIVE_ONLY,
        max_results: int = SEARCH_MAX_RESULTS_DEFAULT,
        order_by: Sequence[str] | None = None,
        page_token: str | None = None,
    ) -> Page[Run]:
        ids = [str(e) for e in experiment_ids]
        self.settle()
        return self.store.search_runs(
            ids, filter_string or None, run_view_type, max_results, order_by or (), page_token
        )

    # --- run data ------------------------------------------------------------------------------
    def log_param(self, run_id: str, key: str, value: Any, synchronous: bool = True) -> Any:
        if not synchronous:
            self.async_logger().log_param(run_id, key, value)
            return value
        self.settle()
        self.store.log_param(run_id, Param(key, str(value)))
        return value

    def log_metric(
        self,
        run_id: str,
        key: str,
        value: float,
        timestamp: int | None = None,
        step: int | None = None,
        synchronous: bool = True,
    ) -> None:
        if not synchronous:
            self.async_logger().log_metric(run_id, key, value, timestamp, step)
            return
        ts = now_ms() if timestamp is None else timestamp
        self.settle()
        self.store.log_metric(run_id, Metric(key, value, ts, step or 0))

    def set_tag(self, run_id: str, key: str, value: Any, synchronous: bool = True) -> None:
        if not synchronous:
            self.async_logger().set_tag(run_id, key, value)
            return
        self.settle()
        self.store.set_tag(run_id, RunTag(key, str(value)))

    def delete_tag(self, run_id: str, key: str) -> None:
        self.settle()
        self.store.delete_tag(run_id, key)

    def log_batch(
        self,
        run_id: str,
        metrics: Sequence[Metric] = (),
        params: Sequence[Param] = (),
        tags: Sequence[RunTag] = (),
        synchronous: bool = True,
    ) -> None:
        """Any number of items: split into chunks that respect the per-request limits."""
        if not synchronous:
            self.async_logger().log_batch(run_id, metrics, params, tags)
            return
        self.settle()
        for batch_metrics, batch_params, batch_tags in split_batch(metrics, params, tags):
            self.store.log_batch(run_id, batch_metrics, batch_params, batch_tags)

    def log_metric_series(self, run_id: str, series: Sequence[MetricSeries]) -> None:
        """Metrics as columns (cairn-native): one store call, no per-point objects; ~30x
        faster than ``log_batch`` for thousands of points (MLflow servers get log-batch)."""
        self.settle()
        self.store.log_metric_series(run_id, series)

    def get_metric_history(self, run_id: str, key: str) -> list[Metric]:
        self.settle()
        points: list[Metric] = []
        token: str | None = None
        while True:
            page = self.store.get_metric_history(run_id, key, 25000, token)
            points.extend(page)
            token = page.next_page_token
            if token is None:
                return points

    def log_inputs(self, run_id: str, datasets: Sequence[DatasetInput]) -> None:
        self.settle()
        self.store.log_inputs(run_id, datasets)

    def log_input(
        self,
        run_id: str,
        dataset: Dataset,
        context: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        input_tags = [InputTag(k, str(v)) for k, v in (tags or {}).items()]
        if context:
            input_tags.append(InputTag("mlflow.data.context", context))
        self.store.log_inputs(run_id, [DatasetInput(dataset, tuple(input_tags))])

    def log_outputs(self, run_id: str, models: Sequence[ModelOutput]) -> None:
        self.settle()
        self.store.log_outputs(run_id, models)

    # --- logged models (MLflow 3.x) ------------------------------------------------------------
    def create_logged_model(
        self,
        experiment_id: str,
        name: str | None = None,
        source_run_id: str | None = None,
        params: Mapping[str, Any] | None = None,
        tags: Mapping[str, Any] | None = None,
        model_type: str | None = None,
    ) -> LoggedModel:
        """A new PENDING model; ``log_model`` finalizes it once its files are uploaded."""
        tag_items, param_items = lm.model_tags(tags or {}), lm.model_params(params or {})
        return self.store.create_logged_model(
            str(experiment_id), name, source_run_id, tag_items, param_items, model_type
        )

    def get_logged_model(self, model_id: str) -> LoggedModel:
        self.settle()  # its metrics may still be queued
        return self.store.get_logged_model(model_id)

    def finalize_logged_model(
        self, model_id: str, status: LoggedModelStatus | str | int
    ) -> LoggedModel:
        return self.store.finalize_logged_model(model_id, LoggedModelStatus.parse(status))

    def set_logged_model_tags(self, model_id: str, tags: Mapping[str, Any]) -> None:
        self.store.set_logged_model_tags(model_id, lm.model_tags(tags))

    def log_model_params(self, model_id: str, params: Mapping[str, Any]) -> None:
        self.store.log_logged_model_params(model_id, lm.model_params(params))

    def search_logged_models(
        self,
        experiment_ids: Sequence[str],
        filter_string: str | None = None,
        max_results: int = LOGGED_MODELS_MAX_RESULTS_DEFAULT,
        order_by: Sequence[LoggedModelOrder | Mapping[str, Any]] | None = None,
        page_token: str | None = None,
    ) -> Page[LoggedModel]:
        """``order_by`` entries may be MLflow's dicts (``{"field_name": ..., "ascending":
        ...}``) as well as ``LoggedModelOrder``."""
        orders = lm.search_orders(order_by)
        self.settle()
        return self.store.search_logged_models(
            [str(e) for e in experiment_ids], filter_string, (), max_results, orders, page_token
        )

    def log_model_artifacts(self, model_id: str, local_dir: str | Path) -> None:
        """Upload a saved model directory to the logged model's artifact location."""
        location = self.get_logged_model(model_id).artifact_location
        self.artifact_repository(location).log_artifacts(local_dir)

    # --- artifacts -----------------------------------------------------------------------------
    def artifact_repository(self, artifact_uri: str) -> ArtifactRepository:
        """The repository of any artifact root this client's store hands out (a run's, a
        logged model's), reaching a server's proxy through the REST store's connection pool."""
        transport = getattr(self.store, "transport", None)
        return get_artifact_repository(artifact_uri, self.tracking_uri, transport=transport)

    def _repo(self, run_id: str) -> ArtifactRepository:
        """The run's artifact repository. ``mlflow-artifacts:`` URIs resolve against the
        tracking URI, and a server's proxy is reached through the REST store's connection pool
        (same retries and credentials)."""
        uri = self._artifact_uris.get(run_id)
        if uri is None:
            uri = self.get_run(run_id).info.artifact_uri
            if len(self._artifact_uris) >= 10_000:
                self._artifact_uris.clear()
            self._artifact_uris[run_id] = uri
        return self.artifact_repository(uri)

    def log_artifact(
        self, run_id: str, local_path: str | Path, artifact_path: str | None = None
    ) -> None:
        self._repo(run_id).log_artifact(local_path, artifact_path)

    def log_artifacts(
        self, run_id: str, local_dir: str | Path, artifact_path: str | None = None
    ) -> None:
        self._repo(run_id).log_artifacts(local_dir, artifact_path)

    def log_text(self, run_id: str, text: str, artifact_file: str) -> None:
        self._repo(run_id).log_bytes(enc.encode_text(text), artifact_file)

    def log_dict(self, run_id: str, dictionary: Any, artifact_file: str) -> None:
        self._repo(run_id).log_bytes(enc.encode_dict(dictionary, artifact_file), artifact_file)

    def log_image(self, run_id: str, image: Any, artifact_file: str) -> None:
        self._repo(run_id).log_bytes(enc.encode_image(image, artifact_file), artifact_file)

    def log_figure(self, run_id: str, figure: Any, artifact_file: str) -> None:
        self._repo(run_id).log_bytes(enc.encode_figure(figure, artifact_file), artifact_file)

    def list_artifacts(self, run_id: str, path: str | None = None) -> list[FileInfo]:
        return self._repo(run_id).list_artifacts(path)

    def download_artifacts(
        self, run_id: str, path: str, dst_path: str | Path | None = None
    ) -> Path:
        return self._repo(run_id).download_artifacts(path, dst_path)

    def load_text(self, run_id: str, artifact_file: str) -> str:
        return self._repo(run_id).read_bytes(artifact_file).decode("utf-8")

    def load_dict(self, run_id: str, artifact_file: str) -> Any:
        return enc.decode_dict(self._repo(run_id).read_bytes(artifact_file), artifact_file)
