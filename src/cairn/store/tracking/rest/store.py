"""``RestTrackingStore``: the ``TrackingStore`` interface over MLflow's REST API.

Every method makes the call MLflow's own client makes (method, path, fields, ``run_id`` *and*
``run_uuid`` where its proto has both) against ``<tracking_uri>/api/2.0/mlflow/...``, so the same
store talks to a cairn server or a stock MLflow server. Responses are decoded with
``cairn.wire``; error envelopes come back as the same typed ``CairnError``s the SQL store
raises, so the contract suite holds for both.

>>> store = RestTrackingStore("http://127.0.0.1:5000")  # no I/O until the first call
>>> store.api_url("runs/get")
'http://127.0.0.1:5000/api/2.0/mlflow/runs/get'
>>> store.close()
"""

from __future__ import annotations

from collections.abc import Sequence

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
from cairn.errors import ResourceDoesNotExist
from cairn.store.tracking.base import (
    LOGGED_MODELS_MAX_RESULTS_DEFAULT,
    SEARCH_MAX_RESULTS_DEFAULT,
    DatasetFilter,
    LoggedModelOrder,
    TrackingStore,
)
from cairn.store.tracking.rest import _bodies as b
from cairn.store.tracking.rest import imports, logged_models
from cairn.store.tracking.rest._api import AJAX_PREFIX, RestApi, check_tracking_uri
from cairn.store.tracking.rest.http import HttpConfig, HttpTransport
from cairn.store.tracking.rest.series import NativeSeries
from cairn.wire import (
    decode_dataset_summary,
    decode_experiment,
    decode_metric,
    decode_run,
    decode_run_info,
    encode_dataset_input,
)


class RestTrackingStore(TrackingStore):
    """A tracking server reached over HTTP; thread-safe, one connection pool per store.

    Pass ``transport`` to share a pool (and its credentials) between stores.
    """

    def __init__(
        self,
        tracking_uri: str,
        config: HttpConfig | None = None,
        *,
        transport: HttpTransport | None = None,
    ) -> None:
        self.tracking_uri = check_tracking_uri(tracking_uri)
        self.transport = transport or HttpTransport(config, auth_origin=self.tracking_uri)
        self._api = RestApi(self.tracking_uri, self.transport)
        self._series = NativeSeries(self._api)

    def close(self) -> None:
        self.transport.close()

    def api_url(self, endpoint: str) -> str:
        return self._api.url(endpoint)

    # --- experiments -------------------------------------------------------------------------
    def create_experiment(
        self,
        name: str,
        artifact_location: str | None = None,
        tags: Sequence[ExperimentTag] = (),
    ) -> str:
        body = {"name": name, "artifact_location": artifact_location, "tags": b.key_values(tags)}
        return str(self._api.post("experiments/create", body, idempotent=False)["experiment_id"])

    def get_experiment(self, experiment_id: str) -> Experiment:
        data = self._api.get("experiments/get", {"experiment_id": str(experiment_id)})
        return decode_experiment(data["experiment"])

    def get_experiment_by_name(self, name: str) -> Experiment | None:
        try:
            data = self._api.get("experiments/get-by-name", {"experiment_name": name})
        except ResourceDoesNotExist:
            return None
        return decode_experiment(data["experiment"])

    def search_experiments(
        self,
        view_type: ViewType = ViewType.ACTIVE_ONLY,
        max_results: int = SEARCH_MAX_RESULTS_DEFAULT,
        filter_string: str | None = None,
        order_by: Sequence[str] = (),
        page_token: str | None = None,
    ) -> Page[Experiment]:
        body = {
            "view_type": ViewType.parse(view_type).name,
            "max_results": max_results,
            "page_token": page_token,
            "order_by": list(order_by),
            "filter": filter_string,
        }
        data = self._api.post("experiments/search", body, idempotent=True)
        items = tuple(decode_experiment(e) for e in data.get("experiments", ()))
        return Page(items, data.get("next_page_token") or None)

    def rename_experiment(self, experiment_id: str, new_name: str) -> None:
        body = {"experiment_id": str(experiment_id), "new_name": new_name}
        self._api.post("experiments/update", body, idempotent=False)

    def delete_experiment(self, experiment_id: str) -> None:
        self._api.post(
            "experiments/delete", {"experiment_id": str(experiment_id)}, idempotent=False
        )

    def restore_experiment(self, experiment_id: str) -> None:
        self._api.post(
            "experiments/restore", {"experiment_id": str(experiment_id)}, idempotent=False
        )

    def set_experiment_tag(self, experiment_id: str, tag: ExperimentTag) -> None:
        body = {"experiment_id": str(experiment_id), "key": tag.key, "value": tag.value}
        self._api.post("experiments/set-experiment-tag", body, idempotent=True)

    def delete_experiment_tag(self, experiment_id: str, key: str) -> None:
        body = {"experiment_id": str(experiment_id), "key": key}
        self._api.post("experiments/delete-experiment-tag", body, idempotent=False)

    # --- runs ----------------------------------------------------------------------------------
    def create_run(
        self,
        experiment_id: str,
        user_id: str = "",
        start_time: int | None = None,
        tags: Sequence[RunTag] = (),
        run_name: str | None = None,
    ) -> Run:
        """``start_time`` None is left out of the request: the server then uses its clock."""
        body = {
            "experiment_id": str(experiment_id),
            "user_id": user_id,
            "start_time": start_time,
            "tags": b.key_values(tags),
            "run_name": run_name,
        }
        return decode_run(self._api.post("runs/create", body, idempotent=False)["run"])

    def get_run(self, run_id: str) -> Run:
        return decode_run(self._api.get("runs/get", {"run_uuid": run_id, "run_id": run_id})["run"])

    def update_run_info(
        self,
        run_id: str,
        status: RunStatus | None = None,
        end_time: int | None = None,
        run_name: str | None = None,
    ) -> RunInfo:
        body = {
            "run_uuid": run_id,
            "run_id": run_id,
            "status": None if status is None else RunStatus.parse(status).name,
            "end_time": end_time,
            "run_name": run_name,
        }
        return decode_run_info(self._api.post("runs/update", body, idempotent=True)["run_info"])

    def delete_run(self, run_id: str) -> None:
        self._api.post("runs/delete", {"run_id": run_id}, idempotent=True)

    def restore_run(self, run_id: str) -> None:
        self._api.post("runs/restore", {"run_id": run_id}, idempotent=True)

    def log_batch(
        self,
        run_id: str,
        metrics: Sequence[Metric] = (),
        params: Sequence[Param] = (),
        tags: Sequence[RunTag] = (),
    ) -> None:
        body = {
            "run_id": run_id,
            "metrics": [b.metric_body(m) for m in metrics],
            "params": b.key_values(params),
            "tags": b.key_values(tags),
        }
        self._api.post("runs/log-batch", body, idempotent=True)

    def log_metric_series(
        self,
        run_id: str,
        series: Sequence[MetricSeries] = (),
        params: Sequence[Param] = (),
        tags: Sequence[RunTag] = (),
    ) -> None:
        """One request to cairn's native endpoint; MLflow-sized log-batch calls elsewhere."""
        self._series.log(
            run_id,
            series,
            params,
            tags,
            lambda: super(RestTrackingStore, self).log_metric_series(run_id, series, params, tags),
        )

    def get_metric_series(self, run_id: str, key: str) -> MetricSeries:
        return self._series.history(
            run_id, key, lambda: super(RestTrackingStore, self).get_metric_series(run_id, key)
        )

    def sample_metric_series(
        self,
        run_id: str,
        key: str,
        buckets: int,
        start_step: int | None = None,
        end_step: int | None = None,
    ) -> MetricSeries:
        return self._series.sampled(
            run_id,
            key,
            buckets,
            (start_step, end_step),
            lambda: super(RestTrackingStore, self).sample_metric_series(
                run_id, key, buckets, start_step, end_step
            ),
        )

    def log_metric(self, run_id: str, metric: Metric) -> None:
        body = {"run_uuid": run_id, "run_id": run_id, **b.metric_body(metric)}
        self._api.post("runs/log-metric", body, idempotent=True)

    def log_param(self, run_id: str, param: Param) -> None:
        body = {"run_uuid": run_id, "run_id": run_id, "key": param.key, "value": param.value}
        self._api.post("runs/log-parameter", body, idempotent=True)

    def set_tag(self, run_id: str, tag: RunTag) -> None:
        body = {"run_uuid": run_id, "run_id": run_id, "key": tag.key, "value": tag.value}
        self._api.post("runs/set-tag", body, idempotent=True)

    def delete_tag(self, run_id: str, key: str) -> None:
        self._api.post("runs/delete-tag", {"run_id": run_id, "key": key}, idempotent=False)

    def get_metric_history(
        self,
        run_id: str,
        metric_key: str,
        max_results: int | None = None,
        page_token: str | None = None,
    ) -> Page[Metric]:
        """One page when ``max_results`` is given; otherwise every point, following the
        server's page tokens (a server may page even when asked for everything)."""
        if max_results is not None:
            return self._metric_page(run_id, metric_key, max_results, page_token)
        if page_token is None:  # the whole history: packed columns beat paged JSON ~20x
            return Page(tuple(self.get_metric_series(run_id, metric_key).points()))
        points: list[Metric] = []
        token: str | None = page_token
        while True:
            page = self._metric_page(run_id, metric_key, None, token)
            points.extend(page)
            token = page.next_page_token
            if not token:
                return Page(tuple(points))

    def _metric_page(
        self, run_id: str, metric_key: str, max_results: int | None, page_token: str | None
    ) -> Page[Metric]:
        fields = {
            "run_uuid": run_id,
            "run_id": run_id,
            "metric_key": metric_key,
            "max_results": max_results,
            "page_token": page_token,
        }
        data = self._api.get("metrics/get-history", fields)
        items = tuple(decode_metric(m) for m in data.get("metrics", ()))
        return Page(items, data.get("next_page_token") or None)

    def search_runs(
        self,
        experiment_ids: Sequence[str],
        filter_string: str | None = None,
        run_view_type: ViewType = ViewType.ACTIVE_ONLY,
        max_results: int = SEARCH_MAX_RESULTS_DEFAULT,
        order_by: Sequence[str] = (),
        page_token: str | None = None,
    ) -> Page[Run]:
        body = {
            "experiment_ids": [str(e) for e in experiment_ids],
            "filter": filter_string,
            "run_view_type": ViewType.parse(run_view_type).name,
            "max_results": max_results,
            "order_by": list(order_by),
            "page_token": page_token,
        }
        data = self._api.post("runs/search", body, idempotent=True)
        items = tuple(decode_run(r) for r in data.get("runs", ()))
        return Page(items, data.get("next_page_token") or None)

    def log_inputs(
        self,
        run_id: str,
        datasets: Sequence[DatasetInput] = (),
        models: Sequence[ModelInput] = (),
    ) -> None:
        body = {
            "run_id": run_id,
            "datasets": [encode_dataset_input(d) for d in datasets],
            "models": [{"model_id": m.model_id} for m in models],
        }
        self._api.post("runs/log-inputs", body, idempotent=True)

    def search_datasets(self, experiment_ids: Sequence[str]) -> list[DatasetSummary]:
        """MLflow serves this UI endpoint under ``/ajax-api`` only, so that is where it goes."""
        body = {"experiment_ids": [str(e) for e in experiment_ids]}
        url = self._api.url("experiments/search-datasets", AJAX_PREFIX)
        data = self.transport.request_json("POST", url, body=body, idempotent=True)
        return [decode_dataset_summary(s) for s in data.get("dataset_summaries", ())]

    def log_outputs(self, run_id: str, models: Sequence[ModelOutput]) -> None:
        body = {
            "run_id": run_id,
            "models": [{"model_id": m.model_id, "step": m.step} for m in models],
        }
        self._api.post("runs/outputs", body, idempotent=True)

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
        return logged_models.create(
            self._api, experiment_id, name, source_run_id, tags, params, model_type
        )

    def get_logged_model(self, model_id: str, allow_deleted: bool = False) -> LoggedModel:
        return logged_models.get(self._api, model_id, allow_deleted)

    def finalize_logged_model(self, model_id: str, status: LoggedModelStatus) -> LoggedModel:
        return logged_models.finalize(self._api, model_id, status)

    def delete_logged_model(self, model_id: str) -> None:
        logged_models.delete(self._api, model_id)

    def set_logged_model_tags(self, model_id: str, tags: Sequence[LoggedModelTag]) -> None:
        logged_models.set_tags(self._api, model_id, tags)

    def delete_logged_model_tag(self, model_id: str, key: str) -> None:
        logged_models.delete_tag(self._api, model_id, key)

    def log_logged_model_params(self, model_id: str, params: Sequence[LoggedModelParam]) -> None:
        logged_models.log_params(self._api, model_id, params)

    def search_logged_models(
        self,
        experiment_ids: Sequence[str],
        filter_string: str | None = None,
        datasets: Sequence[DatasetFilter] = (),
        max_results: int = LOGGED_MODELS_MAX_RESULTS_DEFAULT,
        order_by: Sequence[LoggedModelOrder] = (),
        page_token: str | None = None,
    ) -> Page[LoggedModel]:
        return logged_models.search(
            self._api, experiment_ids, filter_string, datasets, max_results, order_by, page_token
        )

    # --- offline sync (cairn-native endpoint) ----------------------------------------------------
    def import_run(self, bundle: RunBundle) -> None:
        imports.import_run(self._api, bundle)
