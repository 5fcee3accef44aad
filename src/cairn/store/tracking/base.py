"""The tracking store interface: everything the client needs from a backend.

One implementation per backend (SQL now, REST against a server later); a single contract test
suite runs against each of them, so behaviour, including which error a bad call raises, is the
same whichever store a user points cairn at.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cairn.entities import (
    DatasetInput,
    DatasetSummary,
    Experiment,
    ExperimentTag,
    LoggedModel,
    LoggedModelParam,
    LoggedModelStatus,
    LoggedModelTag,
    Metric,
    MetricSeries,
    ModelInput,
    ModelOutput,
    Page,
    Param,
    Run,
    RunBundle,
    RunInfo,
    RunStatus,
    RunTag,
    ViewType,
)
from cairn.errors import NotImplementedByStore

if TYPE_CHECKING:  # the UI's browsing reads; their entities load with the store
    from cairn.entities.run_summary import RunGroup, RunKeys

#: MLflow's default and cap for search_runs; experiments have no default (the client sends one).
SEARCH_MAX_RESULTS_DEFAULT = 1000
SEARCH_MAX_RESULTS_CAP = 50000
#: MLflow's server default page size for logged-model searches.
LOGGED_MODELS_MAX_RESULTS_DEFAULT = 100
#: Piece sizes when a store without a native bulk path emulates ``log_metric_series``: within
#: MLflow's per-batch limits (1,000 metrics, 100 params, 100 tags, 1,000 items in all).
BULK_FALLBACK_METRICS = 800
BULK_FALLBACK_PARAMS_TAGS = 100
#: Caps of the run-browsing reads (cairn-native): keys per kind, runs per export, groups per
#: grouping and run ids shown per group.
RUN_KEYS_CAP = 2000
EXPORT_RUNS_CAP = 1_000_000
RUN_GROUPS_CAP = 1000
RUN_GROUP_SAMPLE = 50


@dataclass(frozen=True)
class LoggedModelOrder:
    """One ``order_by`` entry of a logged-model search; a metric order may name a dataset."""

    field_name: str
    ascending: bool = True
    dataset_name: str | None = None
    dataset_digest: str | None = None


@dataclass(frozen=True)
class DatasetFilter:
    """Restrict a logged-model search (and its metric filters) to metrics of one dataset."""

    dataset_name: str
    dataset_digest: str | None = None


class TrackingStore(abc.ABC):
    def close(self) -> None:  # noqa: B027 - optional hook; stores without resources skip it
        """Release connections and pools; the store must not be used afterwards."""

    # --- experiments -------------------------------------------------------------------------
    @abc.abstractmethod
    def create_experiment(
        self,
        name: str,
        artifact_location: str | None = None,
        tags: Sequence[ExperimentTag] = (),
    ) -> str:
        """Create an experiment and return its id; names are unique, deleted ones included."""

    @abc.abstractmethod
    def get_experiment(self, experiment_id: str) -> Experiment: ...

    @abc.abstractmethod
    def get_experiment_by_name(self, name: str) -> Experiment | None:
        """None when no experiment (active or deleted) has this name."""

    @abc.abstractmethod
    def search_experiments(
        self,
        view_type: ViewType = ViewType.ACTIVE_ONLY,
        max_results: int = SEARCH_MAX_RESULTS_DEFAULT,
        filter_string: str | None = None,
        order_by: Sequence[str] = (),
        page_token: str | None = None,
    ) -> Page[Experiment]: ...

    @abc.abstractmethod
    def rename_experiment(self, experiment_id: str, new_name: str) -> None: ...

    @abc.abstractmethod
    def delete_experiment(self, experiment_id: str) -> None:
        """Soft-delete the experiment and every run in it."""

    @abc.abstractmethod
    def restore_experiment(self, experiment_id: str) -> None:
        """Restore the experiment and every run in it."""

    @abc.abstractmethod
    def set_experiment_tag(self, experiment_id: str, tag: ExperimentTag) -> None: ...

    @abc.abstractmethod
    def delete_experiment_tag(self, experiment_id: str, key: str) -> None: ...

    # --- runs ----------------------------------------------------------------------------------
    @abc.abstractmethod
    def create_run(
        self,
        experiment_id: str,
        user_id: str = "",
        start_time: int | None = None,
        tags: Sequence[RunTag] = (),
        run_name: str | None = None,
    ) -> Run: ...

    @abc.abstractmethod
    def get_run(self, run_id: str) -> Run:
        """The run with its latest metric values; deleted runs are returned too."""

    @abc.abstractmethod
    def update_run_info(
        self,
        run_id: str,
        status: RunStatus | None = None,
        end_time: int | None = None,
        run_name: str | None = None,
    ) -> RunInfo:
        """Change only the fields given (a rename leaves the status alone)."""

    @abc.abstractmethod
    def delete_run(self, run_id: str) -> None: ...

    @abc.abstractmethod
    def restore_run(self, run_id: str) -> None: ...

    @abc.abstractmethod
    def log_batch(
        self,
        run_id: str,
        metrics: Sequence[Metric] = (),
        params: Sequence[Param] = (),
        tags: Sequence[RunTag] = (),
    ) -> None:
        """All-or-nothing: one invalid item and nothing of the batch is written."""

    def log_metric(self, run_id: str, metric: Metric) -> None:
        self.log_batch(run_id, metrics=[metric])

    def log_param(self, run_id: str, param: Param) -> None:
        self.log_batch(run_id, params=[param])

    def set_tag(self, run_id: str, tag: RunTag) -> None:
        self.log_batch(run_id, tags=[tag])

    @abc.abstractmethod
    def delete_tag(self, run_id: str, key: str) -> None: ...

    @abc.abstractmethod
    def get_metric_history(
        self,
        run_id: str,
        metric_key: str,
        max_results: int | None = None,
        page_token: str | None = None,
    ) -> Page[Metric]:
        """Every point of one metric, ordered by timestamp, step, value."""

    # --- bulk metrics (cairn-native; the MLflow API has no columnar path) ---------------------
    def log_metric_series(
        self,
        run_id: str,
        series: Sequence[MetricSeries] = (),
        params: Sequence[Param] = (),
        tags: Sequence[RunTag] = (),
    ) -> None:
        """Bulk ingest without MLflow's 1,000-item limit; all-or-nothing in the SQL store.

        This default goes through ``log_batch`` in MLflow-sized pieces (so it is not atomic
        across pieces); the SQL store writes one transaction and the REST store one request
        to the native endpoint.
        """
        points = [p for s in series for p in s.points()]
        size, small = BULK_FALLBACK_METRICS, BULK_FALLBACK_PARAMS_TAGS
        pieces = max(-(-len(points) // size), -(-len(params) // small), -(-len(tags) // small), 1)
        for i in range(pieces):
            self.log_batch(
                run_id,
                points[i * size : (i + 1) * size],
                params[i * small : (i + 1) * small],
                tags[i * small : (i + 1) * small],
            )

    def _full_history(self, run_id: str, key: str) -> Iterator[Metric]:
        """Every point of one metric, page after page, for the defaults below."""
        token = None
        while True:
            page = self.get_metric_history(run_id, key, 25_000, token)
            yield from page
            token = page.next_page_token
            if token is None:
                return

    def get_metric_series(self, run_id: str, key: str) -> MetricSeries:
        """The whole history of one metric as columns, in ``get_metric_history`` order."""
        return MetricSeries.from_points(key, list(self._full_history(run_id, key)))

    def get_metrics_at_step(self, run_id: str, keys: Sequence[str], step: int) -> list[Metric]:
        """The points of ``keys`` logged at ``step`` and not yet attributed to a logged model:
        what MLflow 3 re-logs as a model's metrics when the model is logged at that step.

        This default reads each key's whole history (as MLflow's client does); the SQL store
        reads only the chunks whose step range holds ``step``.
        """
        return [
            m
            for key in keys
            for m in self._full_history(run_id, key)
            if m.step == step and m.model_id is None
        ]

    def sample_metric_series(
        self,
        run_id: str,
        key: str,
        buckets: int,
        start_step: int | None = None,
        end_step: int | None = None,
    ) -> MetricSeries:
        """At most ``2 * buckets + 2`` points ordered by step: per equal-width step bucket the
        lowest and highest value, plus the first and last point, so a chart of the sample
        shows every spike the full history has."""
        from cairn.store.tracking.series import sample_min_max

        return sample_min_max(self.get_metric_series(run_id, key), buckets, start_step, end_step)

    @abc.abstractmethod
    def search_runs(
        self,
        experiment_ids: Sequence[str],
        filter_string: str | None = None,
        run_view_type: ViewType = ViewType.ACTIVE_ONLY,
        max_results: int = SEARCH_MAX_RESULTS_DEFAULT,
        order_by: Sequence[str] = (),
        page_token: str | None = None,
    ) -> Page[Run]: ...

    @abc.abstractmethod
    def log_inputs(
        self,
        run_id: str,
        datasets: Sequence[DatasetInput] = (),
        models: Sequence[ModelInput] = (),
    ) -> None:
        """Link datasets (stored once per experiment by name and digest) and logged models the
        run consumed."""

    @abc.abstractmethod
    def search_datasets(self, experiment_ids: Sequence[str]) -> list[DatasetSummary]:
        """The distinct (dataset, context) pairs the runs of these experiments logged."""

    @abc.abstractmethod
    def log_outputs(self, run_id: str, models: Sequence[ModelOutput]) -> None:
        """Record logged models as outputs of a run (every 3.x ``log_model`` does this)."""

    # --- logged models -------------------------------------------------------------------------
    @abc.abstractmethod
    def create_logged_model(
        self,
        experiment_id: str,
        name: str | None = None,
        source_run_id: str | None = None,
        tags: Sequence[LoggedModelTag] = (),
        params: Sequence[LoggedModelParam] = (),
        model_type: str | None = None,
    ) -> LoggedModel:
        """A new PENDING model ``m-<32 hex>`` whose artifacts live under
        ``<experiment artifact location>/models/<model_id>/artifacts``; a random name when
        none is given."""

    @abc.abstractmethod
    def get_logged_model(self, model_id: str, allow_deleted: bool = False) -> LoggedModel: ...

    @abc.abstractmethod
    def finalize_logged_model(self, model_id: str, status: LoggedModelStatus) -> LoggedModel: ...

    @abc.abstractmethod
    def delete_logged_model(self, model_id: str) -> None:
        """Soft delete: the model disappears from searches and plain gets."""

    @abc.abstractmethod
    def set_logged_model_tags(self, model_id: str, tags: Sequence[LoggedModelTag]) -> None: ...

    @abc.abstractmethod
    def delete_logged_model_tag(self, model_id: str, key: str) -> None: ...

    @abc.abstractmethod
    def log_logged_model_params(
        self, model_id: str, params: Sequence[LoggedModelParam]
    ) -> None: ...

    @abc.abstractmethod
    def search_logged_models(
        self,
        experiment_ids: Sequence[str],
        filter_string: str | None = None,
        datasets: Sequence[DatasetFilter] = (),
        max_results: int = LOGGED_MODELS_MAX_RESULTS_DEFAULT,
        order_by: Sequence[LoggedModelOrder] = (),
        page_token: str | None = None,
    ) -> Page[LoggedModel]: ...

    # --- offline sync (cairn-native) -----------------------------------------------------------
    @abc.abstractmethod
    def import_run(self, bundle: RunBundle) -> None:
        """Recreate a run from another store under its own id, idempotently.

        The experiment is found by name or created. A new run gets the target experiment's
        artifact location + ``/<run_id>/artifacts``; an existing one (same id, same
        experiment) has its info overwritten, params added (a changed value is an error),
        tags upserted and, for every metric key in the bundle, its points *replaced*: importing
        the same bundle twice, or a longer version of the run later, leaves exactly the
        bundle's points. A run id that lives in another experiment is an error. The SQL store
        writes all of it in one transaction, so a failed import writes nothing.
        """

    # --- browsing many runs (cairn-native; the web UI's run table) ------------------------------
    def run_keys(self, experiment_ids: Sequence[str], limit: int = RUN_KEYS_CAP) -> RunKeys:
        """The distinct metric, param and tag keys of the runs (any lifecycle stage) of these
        experiments, sorted, at most ``limit`` of each: a filter box's autocomplete and a
        column chooser. Unknown experiments contribute nothing."""
        raise NotImplementedByStore("This tracking store cannot list run keys.")

    def iter_runs(
        self,
        experiment_ids: Sequence[str],
        filter_string: str | None = None,
        run_view_type: ViewType = ViewType.ACTIVE_ONLY,
        order_by: Sequence[str] = (),
        max_runs: int = EXPORT_RUNS_CAP,
    ) -> Iterator[Run]:
        """Every matching run (up to ``max_runs``) in ``search_runs`` order, produced a chunk
        at a time so an export of a million runs never sits in memory. Arguments are checked
        before the first run is produced: a bad filter raises here, not mid-stream."""
        raise NotImplementedByStore("This tracking store cannot stream runs.")

    def group_runs(
        self,
        experiment_ids: Sequence[str],
        group_by: str,
        metric_keys: Sequence[str] = (),
        filter_string: str | None = None,
        run_view_type: ViewType = ViewType.ACTIVE_ONLY,
        max_groups: int = RUN_GROUPS_CAP,
    ) -> list[RunGroup]:
        """The matching runs grouped by the value of ``group_by`` (``params.<key>`` or
        ``tags.<key>``), runs without the key in the ``None`` group, with the mean, min, max
        and population std of each metric's latest value per group. Largest groups first
        (ties by value), at most ``max_groups``."""
        raise NotImplementedByStore("This tracking store cannot group runs.")
