"""Contract: ``import_run`` recreates a run under its own id, idempotently, on every store.

The ``store`` fixture runs each test on the SQL store and on the REST store against a live
server (so the native import endpoint is covered too), over every SQL backend.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import replace

import pytest

from cairn.entities import (
    Dataset,
    DatasetInput,
    InputTag,
    LifecycleStage,
    MetricSeries,
    Param,
    RunBundle,
    RunStatus,
    RunTag,
)
from cairn.errors import InvalidParameterValue, ResourceAlreadyExists
from cairn.store.tracking.base import TrackingStore

START = 1_700_000_000_000


def _series(key: str, count: int, offset: float = 0.0) -> MetricSeries:
    return MetricSeries(
        key,
        list(range(count)),
        [START + 10 * i for i in range(count)],
        [offset + 1.0 / (i + 1) for i in range(count)],
    )


def _bundle(
    run_id: str | None = None, experiment: str = "offline-exp", **changes: object
) -> RunBundle:
    dataset = Dataset("train", "d1g3st", "local", '{"uri": "/data/train.csv"}')
    bundle = RunBundle(
        experiment_name=experiment,
        run_id=run_id or uuid.uuid4().hex,
        run_name="spooled-run",
        user_id="alice",
        status=RunStatus.FINISHED,
        start_time=START,
        end_time=START + 5_000,
        params=(Param("lr", "0.01"), Param("layers", "4")),
        tags=(RunTag("team", "vision"), RunTag("mlflow.runName", "spooled-run")),
        series=(_series("loss", 5), _series("acc", 3, 0.5)),
        dataset_inputs=(DatasetInput(dataset, (InputTag("mlflow.data.context", "training"),)),),
    )
    return replace(bundle, **changes)  # type: ignore[arg-type]


def _points(store: TrackingStore, run_id: str, key: str) -> list[tuple[int, int, float]]:
    return sorted((m.step, m.timestamp, m.value) for m in store.get_metric_history(run_id, key))


def _expected(series: MetricSeries) -> list[tuple[int, int, float]]:
    return sorted(zip(series.steps, series.timestamps, series.values, strict=True))


def test_import_creates_the_experiment_and_the_run_under_its_own_id(store: TrackingStore) -> None:
    bundle = _bundle()
    store.import_run(bundle)

    experiment = store.get_experiment_by_name("offline-exp")
    assert experiment is not None
    run = store.get_run(bundle.run_id)
    info = run.info
    assert (info.experiment_id, info.run_name, info.user_id) == (
        experiment.experiment_id,
        "spooled-run",
        "alice",
    )
    assert (info.status, info.start_time, info.end_time) == (
        RunStatus.FINISHED,
        START,
        START + 5_000,
    )
    assert info.lifecycle_stage is LifecycleStage.ACTIVE
    location = experiment.artifact_location.rstrip("/")
    assert info.artifact_uri == f"{location}/{bundle.run_id}/artifacts"
    assert run.data.param_dict == {"lr": "0.01", "layers": "4"}
    assert run.data.tag_dict == {"team": "vision", "mlflow.runName": "spooled-run"}
    assert run.data.metric_dict == {"loss": pytest.approx(0.2), "acc": pytest.approx(0.5 + 1 / 3)}
    for series in bundle.series:
        assert _points(store, bundle.run_id, series.key) == _expected(series)
    (dataset_input,) = run.inputs.dataset_inputs
    assert dataset_input.dataset.name == "train" and dataset_input.context == "training"


def test_import_into_an_existing_experiment_found_by_name(store: TrackingStore) -> None:
    experiment_id = store.create_experiment("offline-exp")
    bundle = _bundle()
    store.import_run(bundle)
    assert store.get_run(bundle.run_id).info.experiment_id == experiment_id


def test_importing_twice_leaves_every_point_once(store: TrackingStore) -> None:
    bundle = _bundle()
    store.import_run(bundle)
    store.import_run(bundle)
    for series in bundle.series:
        assert _points(store, bundle.run_id, series.key) == _expected(series)
    run = store.get_run(bundle.run_id)
    assert len(run.inputs.dataset_inputs) == 1
    assert len(store.search_runs([run.info.experiment_id]).items) == 1


def test_a_longer_version_of_the_run_replaces_its_points_and_info(store: TrackingStore) -> None:
    """Synced mid-training, then again after it finished: the target holds the final run."""
    running = _bundle(status=RunStatus.RUNNING, end_time=None, series=(_series("loss", 3),))
    store.import_run(running)
    assert store.get_run(running.run_id).info.status is RunStatus.RUNNING

    final = replace(
        running,
        status=RunStatus.FINISHED,
        end_time=START + 9_000,
        params=(*running.params, Param("epochs", "10")),
        tags=(RunTag("team", "detection"), RunTag("stage", "done")),
        series=(_series("loss", 8), _series("val_loss", 2)),
    )
    store.import_run(final)

    run = store.get_run(final.run_id)
    assert (run.info.status, run.info.end_time) == (RunStatus.FINISHED, START + 9_000)
    assert run.data.param_dict == {"lr": "0.01", "layers": "4", "epochs": "10"}
    assert run.data.tag_dict["team"] == "detection" and run.data.tag_dict["stage"] == "done"
    assert _points(store, final.run_id, "loss") == _expected(_series("loss", 8))
    assert _points(store, final.run_id, "val_loss") == _expected(_series("val_loss", 2))
    assert run.data.metric_dict["loss"] == pytest.approx(1 / 8)


def test_metric_keys_missing_from_the_bundle_are_left_alone(store: TrackingStore) -> None:
    bundle = _bundle()
    store.import_run(bundle)
    store.import_run(replace(bundle, series=(_series("loss", 2),)))
    assert _points(store, bundle.run_id, "loss") == _expected(_series("loss", 2))
    assert _points(store, bundle.run_id, "acc") == _expected(_series("acc", 3, 0.5))


def test_changed_param_value_is_refused_and_nothing_is_written(store: TrackingStore) -> None:
    bundle = _bundle()
    store.import_run(bundle)
    changed = replace(
        bundle,
        status=RunStatus.FAILED,
        params=(Param("lr", "0.5"), Param("new", "1")),
        tags=(RunTag("later", "x"),),
        series=(_series("loss", 9),),
    )
    with pytest.raises(InvalidParameterValue, match="lr"):
        store.import_run(changed)

    run = store.get_run(bundle.run_id)
    assert run.info.status is RunStatus.FINISHED
    assert run.data.param_dict == {"lr": "0.01", "layers": "4"}
    assert "later" not in run.data.tag_dict
    assert _points(store, bundle.run_id, "loss") == _expected(_series("loss", 5))


def test_run_id_living_in_another_experiment_is_refused_and_nothing_is_written(
    store: TrackingStore,
) -> None:
    bundle = _bundle(experiment="first")
    store.import_run(bundle)
    with pytest.raises(ResourceAlreadyExists, match=bundle.run_id):
        store.import_run(replace(bundle, experiment_name="second", tags=(RunTag("x", "y"),)))
    assert store.get_experiment_by_name("second") is None
    assert "x" not in store.get_run(bundle.run_id).data.tag_dict


def test_run_name_comes_from_the_bundle_and_updates_the_name_tag(store: TrackingStore) -> None:
    bundle = _bundle()
    store.import_run(bundle)
    store.import_run(replace(bundle, run_name="renamed"))
    run = store.get_run(bundle.run_id)
    assert run.info.run_name == "renamed" and run.data.tag_dict["mlflow.runName"] == "renamed"


def test_a_deleted_run_is_imported_deleted(store: TrackingStore) -> None:
    bundle = _bundle(lifecycle_stage=LifecycleStage.DELETED)
    store.import_run(bundle)
    assert store.get_run(bundle.run_id).info.lifecycle_stage is LifecycleStage.DELETED
    store.import_run(replace(bundle, lifecycle_stage=LifecycleStage.ACTIVE))
    assert store.get_run(bundle.run_id).info.lifecycle_stage is LifecycleStage.ACTIVE


def test_import_into_a_deleted_experiment_is_refused(store: TrackingStore) -> None:
    store.delete_experiment(store.create_experiment("offline-exp"))
    bundle = _bundle()
    with pytest.raises(InvalidParameterValue, match="deleted"):
        store.import_run(bundle)


def test_non_finite_values_survive_the_import(store: TrackingStore) -> None:
    values = [math.nan, math.inf, -math.inf, 1.5]
    series = MetricSeries("odd", [0, 1, 2, 3], [START] * 4, values)
    bundle = _bundle(series=(series,))
    store.import_run(bundle)
    got = [m.value for m in store.get_metric_history(bundle.run_id, "odd")]
    by_step = {m.step: m.value for m in store.get_metric_history(bundle.run_id, "odd")}
    assert len(got) == 4 and math.isnan(by_step[0]) and by_step[3] == 1.5
    assert by_step[1] > 1e308 and by_step[2] < -1e308


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"run_id": "not a valid id!"}, "run id"),
        ({"experiment_name": ""}, "(?i)experiment.name"),
        ({"params": (Param("a", "1"), Param("a", "2"))}, "twice"),
        ({"series": (_series("m", 1), _series("m", 2))}, "twice"),
        ({"series": (_series("../bad", 1),)}, "metric key"),
    ],
)
def test_invalid_bundles_are_refused(
    store: TrackingStore, changes: dict[str, object], match: str
) -> None:
    with pytest.raises(InvalidParameterValue, match=match):
        store.import_run(_bundle(**changes))
    assert store.get_experiment_by_name("offline-exp") is None
