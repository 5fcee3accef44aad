"""The SQL tracking store: SQLite, PostgreSQL and MySQL/MariaDB behind one interface.

Each method opens one transaction and delegates to the module for its resource; the class
only holds the engine and the store-wide settings.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence

import sqlalchemy as sa

from cairn.entities import (
    DatasetInput,
    DatasetSummary,
    Experiment,
    ExperimentTag,
    LifecycleStage,
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
from cairn.entities.run_summary import RunGroup, RunKeys
from cairn.errors import InvalidParameterValue, ResourceAlreadyExists
from cairn.store.db import tables as t
from cairn.store.db.engine import create_db_engine
from cairn.store.db.migrate import ensure_schema
from cairn.store.search import (
    decode_page_token,
    encode_page_token,
    group_source,
    select_experiment_ids,
    select_matching_runs,
    select_run_ids,
)
from cairn.store.tracking import series
from cairn.store.tracking import validation as v
from cairn.store.tracking.base import (
    EXPORT_RUNS_CAP,
    LOGGED_MODELS_MAX_RESULTS_DEFAULT,
    RUN_GROUP_SAMPLE,
    RUN_GROUPS_CAP,
    RUN_KEYS_CAP,
    SEARCH_MAX_RESULTS_CAP,
    SEARCH_MAX_RESULTS_DEFAULT,
    DatasetFilter,
    LoggedModelOrder,
    TrackingStore,
)
from cairn.store.tracking.sql import (
    dataset_summaries,
    experiments,
    imports,
    logged_models,
    metric_chunks,
    run_data,
    run_groups,
    run_models,
    run_stream,
    runs,
)
from cairn.store.tracking.sql import datasets as dataset_links
from cairn.store.tracking.sql import run_keys as run_key_lists
from cairn.store.tracking.sql.mapping import load_experiments, load_runs


def _check_page_size(max_results: int) -> None:
    if isinstance(max_results, bool) or not isinstance(max_results, int):
        raise InvalidParameterValue(f"max_results must be an integer; got {max_results!r}.")
    if not 1 <= max_results <= SEARCH_MAX_RESULTS_CAP:
        raise InvalidParameterValue(
            f"max_results must be between 1 and {SEARCH_MAX_RESULTS_CAP}; got {max_results}."
        )


class SqlTrackingStore(TrackingStore):
    def __init__(
        self, engine: sa.Engine, default_artifact_root: str, *, truncate_long_values: bool = True
    ) -> None:
        self.engine = engine
        self.default_artifact_root = default_artifact_root
        self.truncate_long_values = truncate_long_values

    @classmethod
    def open(
        cls, db_uri: str, default_artifact_root: str, *, truncate_long_values: bool = True
    ) -> SqlTrackingStore:
        """Connect, create the schema on a fresh database and make sure experiment 0 exists."""
        store = cls(
            create_db_engine(db_uri),
            default_artifact_root,
            truncate_long_values=truncate_long_values,
        )
        ensure_schema(store.engine)
        store.ensure_default_experiment()
        return store

    def close(self) -> None:
        self.engine.dispose()

    def ensure_default_experiment(self) -> None:
        """Create experiment 0 ("Default") unless it exists; safe to call at any time."""
        try:
            with self.engine.begin() as conn:
                exp = t.experiments
                query = sa.select(exp.c.experiment_id).where(
                    exp.c.experiment_id == experiments.DEFAULT_EXPERIMENT_ID
                )
                if conn.execute(query).first() is not None:
                    return
                experiments.create(
                    conn,
                    experiments.DEFAULT_EXPERIMENT_NAME,
                    None,
                    (),
                    self.default_artifact_root,
                    experiment_id=experiments.DEFAULT_EXPERIMENT_ID,
                )
        except (ResourceAlreadyExists, sa.exc.IntegrityError):
            pass  # another process seeded it first

    # --- experiments -------------------------------------------------------------------------
    def create_experiment(
        self, name: str, artifact_location: str | None = None, tags: Sequence[ExperimentTag] = ()
    ) -> str:
        with self.engine.begin() as conn:
            return str(
                experiments.create(conn, name, artifact_location, tags, self.default_artifact_root)
            )

    def get_experiment(self, experiment_id: str) -> Experiment:
        with self.engine.connect() as conn:
            return experiments.get(conn, v.parse_experiment_id(experiment_id))

    def get_experiment_by_name(self, name: str) -> Experiment | None:
        with self.engine.connect() as conn:
            return experiments.get_by_name(conn, name)

    def search_experiments(
        self,
        view_type: ViewType = ViewType.ACTIVE_ONLY,
        max_results: int = SEARCH_MAX_RESULTS_DEFAULT,
        filter_string: str | None = None,
        order_by: Sequence[str] = (),
        page_token: str | None = None,
    ) -> Page[Experiment]:
        _check_page_size(max_results)
        offset = decode_page_token(page_token) if page_token else 0
        query = select_experiment_ids(
            filter_string, ViewType.parse(view_type), order_by, offset, max_results + 1
        )
        with self.engine.connect() as conn:
            ids = list(conn.execute(query).scalars())
            token = encode_page_token(offset + max_results) if len(ids) > max_results else None
            return Page(tuple(load_experiments(conn, ids[:max_results])), token)

    def rename_experiment(self, experiment_id: str, new_name: str) -> None:
        with self.engine.begin() as conn:
            experiments.rename(conn, v.parse_experiment_id(experiment_id), new_name)

    def delete_experiment(self, experiment_id: str) -> None:
        with self.engine.begin() as conn:
            experiments.set_lifecycle(
                conn, v.parse_experiment_id(experiment_id), LifecycleStage.DELETED
            )

    def restore_experiment(self, experiment_id: str) -> None:
        with self.engine.begin() as conn:
            experiments.set_lifecycle(
                conn, v.parse_experiment_id(experiment_id), LifecycleStage.ACTIVE
            )

    def set_experiment_tag(self, experiment_id: str, tag: ExperimentTag) -> None:
        with self.engine.begin() as conn:
            experiments.set_tag(conn, v.parse_experiment_id(experiment_id), tag)

    def delete_experiment_tag(self, experiment_id: str, key: str) -> None:
        with self.engine.begin() as conn:
            experiments.delete_tag(conn, v.parse_experiment_id(experiment_id), key)

    # --- runs ----------------------------------------------------------------------------------
    def create_run(
        self,
        experiment_id: str,
        user_id: str = "",
        start_time: int | None = None,
        tags: Sequence[RunTag] = (),
        run_name: str | None = None,
    ) -> Run:
        start = int(time.time() * 1000) if start_time is None else start_time
        with self.engine.begin() as conn:
            return runs.create(
                conn,
                v.parse_experiment_id(experiment_id),
                user_id,
                start,
                tags,
                run_name,
                self.truncate_long_values,
            )

    def get_run(self, run_id: str) -> Run:
        with self.engine.connect() as conn:
            return runs.get(conn, run_id)

    def update_run_info(
        self,
        run_id: str,
        status: RunStatus | None = None,
        end_time: int | None = None,
        run_name: str | None = None,
    ) -> RunInfo:
        with self.engine.begin() as conn:
            return runs.update(conn, run_id, status, end_time, run_name)

    def delete_run(self, run_id: str) -> None:
        with self.engine.begin() as conn:
            runs.set_lifecycle(conn, run_id, LifecycleStage.DELETED)

    def restore_run(self, run_id: str) -> None:
        with self.engine.begin() as conn:
            runs.set_lifecycle(conn, run_id, LifecycleStage.ACTIVE)

    def log_batch(
        self,
        run_id: str,
        metrics: Sequence[Metric] = (),
        params: Sequence[Param] = (),
        tags: Sequence[RunTag] = (),
    ) -> None:
        with self.engine.begin() as conn:
            run_data.log_batch(conn, run_id, metrics, params, tags, self.truncate_long_values)

    def delete_tag(self, run_id: str, key: str) -> None:
        with self.engine.begin() as conn:
            run_data.delete_tag(conn, run_id, key)

    def log_metric_series(
        self,
        run_id: str,
        series: Sequence[MetricSeries] = (),
        params: Sequence[Param] = (),
        tags: Sequence[RunTag] = (),
    ) -> None:
        with self.engine.begin() as conn:
            run_data.log_series(conn, run_id, series, params, tags, self.truncate_long_values)

    def get_metric_series(self, run_id: str, key: str) -> MetricSeries:
        with self.engine.connect() as conn:
            runs.get_row(conn, run_id)
            return metric_chunks.history(conn, run_id, key)

    def get_metrics_at_step(self, run_id: str, keys: Sequence[str], step: int) -> list[Metric]:
        with self.engine.connect() as conn:
            runs.get_row(conn, run_id)
            return metric_chunks.points_at_step(conn, run_id, keys, step)

    def sample_metric_series(
        self,
        run_id: str,
        key: str,
        buckets: int,
        start_step: int | None = None,
        end_step: int | None = None,
    ) -> MetricSeries:
        with self.engine.connect() as conn:
            runs.get_row(conn, run_id)
            raw = metric_chunks.read_series(conn, run_id, key, start_step, end_step)
        return series.sample_min_max(raw, buckets, start_step, end_step)

    def get_metric_history(
        self,
        run_id: str,
        metric_key: str,
        max_results: int | None = None,
        page_token: str | None = None,
    ) -> Page[Metric]:
        with self.engine.connect() as conn:
            return run_data.metric_history(conn, run_id, metric_key, max_results, page_token)

    def search_runs(
        self,
        experiment_ids: Sequence[str],
        filter_string: str | None = None,
        run_view_type: ViewType = ViewType.ACTIVE_ONLY,
        max_results: int = SEARCH_MAX_RESULTS_DEFAULT,
        order_by: Sequence[str] = (),
        page_token: str | None = None,
    ) -> Page[Run]:
        _check_page_size(max_results)
        if not experiment_ids:
            return Page()
        ids = [v.parse_experiment_id(e) for e in experiment_ids]
        offset = decode_page_token(page_token) if page_token else 0
        query = select_run_ids(
            ids, filter_string, ViewType.parse(run_view_type), order_by, offset, max_results + 1
        )
        with self.engine.connect() as conn:
            run_ids = list(conn.execute(query).scalars())
            token = encode_page_token(offset + max_results) if len(run_ids) > max_results else None
            return Page(tuple(load_runs(conn, run_ids[:max_results])), token)

    # --- browsing many runs (cairn-native) -----------------------------------------------------
    def run_keys(self, experiment_ids: Sequence[str], limit: int = RUN_KEYS_CAP) -> RunKeys:
        ids = [v.parse_experiment_id(e) for e in experiment_ids]
        with self.engine.connect() as conn:
            return run_key_lists.run_keys(conn, ids, limit)

    def iter_runs(
        self,
        experiment_ids: Sequence[str],
        filter_string: str | None = None,
        run_view_type: ViewType = ViewType.ACTIVE_ONLY,
        order_by: Sequence[str] = (),
        max_runs: int = EXPORT_RUNS_CAP,
    ) -> Iterator[Run]:
        ids = [v.parse_experiment_id(e) for e in experiment_ids]
        view = ViewType.parse(run_view_type)
        query = select_run_ids(ids, filter_string, view, order_by, 0, max_runs)
        return run_stream.stream_runs(self.engine, query) if ids else iter(())

    def group_runs(
        self,
        experiment_ids: Sequence[str],
        group_by: str,
        metric_keys: Sequence[str] = (),
        filter_string: str | None = None,
        run_view_type: ViewType = ViewType.ACTIVE_ONLY,
        max_groups: int = RUN_GROUPS_CAP,
    ) -> list[RunGroup]:
        ids = [v.parse_experiment_id(e) for e in experiment_ids]
        table, key = group_source(group_by)
        matching = select_matching_runs(ids, filter_string, ViewType.parse(run_view_type))
        if not ids:
            return []
        query = run_groups.GroupQuery(matching, table, key)
        with self.engine.connect() as conn:
            return run_groups.group_runs(conn, query, metric_keys, max_groups, RUN_GROUP_SAMPLE)

    def log_inputs(
        self,
        run_id: str,
        datasets: Sequence[DatasetInput] = (),
        models: Sequence[ModelInput] = (),
    ) -> None:
        with self.engine.begin() as conn:
            dataset_links.log_inputs(conn, run_id, datasets)
            run_models.log_inputs(conn, run_id, models)

    def search_datasets(self, experiment_ids: Sequence[str]) -> list[DatasetSummary]:
        ids = [v.parse_experiment_id(e) for e in experiment_ids]
        with self.engine.connect() as conn:
            return dataset_summaries.search(conn, ids)

    def log_outputs(self, run_id: str, models: Sequence[ModelOutput]) -> None:
        with self.engine.begin() as conn:
            run_models.log_outputs(conn, run_id, models)

    # --- logged models -------------------------------------------------------------------------
    def create_logged_model(
        self,
        experiment_id: str,
        name: str | None = None,
        source_run_id: str | None = None,
        tags: Sequence[LoggedModelTag] = (),
        params: Sequence[LoggedModelParam] = (),
        model_type: str | None = None,
    ) -> LoggedModel:
        with self.engine.begin() as conn:
            return logged_models.create(
                conn,
                v.parse_experiment_id(experiment_id),
                name,
                source_run_id,
                tags,
                params,
                model_type,
            )

    def get_logged_model(self, model_id: str, allow_deleted: bool = False) -> LoggedModel:
        with self.engine.connect() as conn:
            return logged_models.get(conn, model_id, allow_deleted)

    def finalize_logged_model(self, model_id: str, status: LoggedModelStatus) -> LoggedModel:
        with self.engine.begin() as conn:
            return logged_models.finalize(conn, model_id, status)

    def delete_logged_model(self, model_id: str) -> None:
        with self.engine.begin() as conn:
            logged_models.delete(conn, model_id)

    def set_logged_model_tags(self, model_id: str, tags: Sequence[LoggedModelTag]) -> None:
        with self.engine.begin() as conn:
            logged_models.set_tags(conn, model_id, tags)

    def delete_logged_model_tag(self, model_id: str, key: str) -> None:
        with self.engine.begin() as conn:
            logged_models.delete_tag(conn, model_id, key)

    def log_logged_model_params(self, model_id: str, params: Sequence[LoggedModelParam]) -> None:
        with self.engine.begin() as conn:
            logged_models.log_params(conn, model_id, params)

    def search_logged_models(
        self,
        experiment_ids: Sequence[str],
        filter_string: str | None = None,
        datasets: Sequence[DatasetFilter] = (),
        max_results: int = LOGGED_MODELS_MAX_RESULTS_DEFAULT,
        order_by: Sequence[LoggedModelOrder] = (),
        page_token: str | None = None,
    ) -> Page[LoggedModel]:
        with self.engine.connect() as conn:
            return logged_models.search(
                conn, experiment_ids, filter_string, datasets, max_results, order_by, page_token
            )

    # --- offline sync --------------------------------------------------------------------------
    def import_run(self, bundle: RunBundle) -> None:
        with self.engine.begin() as conn:
            imports.import_run(conn, bundle, self.default_artifact_root, self.truncate_long_values)
