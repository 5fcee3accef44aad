"""The sync engine: spool runs replayed on real target stores, idempotently."""

from __future__ import annotations

import doctest
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cairn.config import Settings
from cairn.entities import Metric, Param, RunBundle, RunStatus, RunTag, ViewType
from cairn.errors import InvalidParameterValue
from cairn.offline import sync as sync_module
from cairn.offline.spool import Spool
from cairn.offline.sync import Result, RunOutcome, SpoolSync, resolve_target
from cairn.store.artifacts import get_artifact_repository
from cairn.store.tracking.base import TrackingStore
from cairn.store.tracking.registry import open_tracking_store
from cairn.store.tracking.rest import RestTrackingStore
from cairn.store.tracking.sql.store import SqlTrackingStore
from cairn.tracking.client import close_stores
from live_server import LiveServer, start_live_server
from offline_training import EXPERIMENT, STEPS, train

GoOffline = Callable[[str | None], None]


@pytest.fixture
def spool(spool_dir: Path) -> Spool:
    return Spool(spool_dir)


@pytest.fixture
def spool_store(spool: Spool) -> Iterator[SqlTrackingStore]:
    store = spool.open_store()
    yield store
    store.close()


@pytest.fixture
def target_dir(tmp_path: Path) -> Path:
    return tmp_path / "target"


def _sync(spool: Spool, target: str, **options: object) -> list[RunOutcome]:
    run_ids = options.pop("run_ids", ())
    with SpoolSync(spool, target, Settings(), **options) as engine:  # type: ignore[arg-type]
        return [engine.sync(item) for item in engine.plan(run_ids)]  # type: ignore[arg-type]


def _results(outcomes: list[RunOutcome]) -> list[Result]:
    return [o.result for o in outcomes]


def _open(target: str) -> TrackingStore:
    return open_tracking_store(target, Settings())


def _points(store: TrackingStore, run_id: str, key: str) -> list[tuple[int, int, float]]:
    return [(m.step, m.timestamp, m.value) for m in store.get_metric_history(run_id, key)]


def _spool_run(store: TrackingStore, experiment: str = "exp", steps: int = 3) -> str:
    found = store.get_experiment_by_name(experiment)
    exp_id = found.experiment_id if found else store.create_experiment(experiment)
    run_id = store.create_run(exp_id, start_time=1000, run_name="spooled").info.run_id
    metrics = [Metric("loss", 1.0 / (s + 1), 2000 + s, s) for s in range(steps)]
    store.log_batch(run_id, metrics, [Param("lr", "0.1")], [RunTag("k", "v")])
    return run_id


# --- the acceptance path: fluent run offline, two syncs, one copy on the server -------------
def test_an_offline_fluent_run_synced_twice_lands_on_the_server_exactly_once(
    live_server: LiveServer, go_offline: GoOffline, spool: Spool, tmp_path: Path
) -> None:
    go_offline(live_server.url)
    run_id = train(tmp_path)
    close_stores()
    server = RestTrackingStore(live_server.url)
    try:
        assert server.get_experiment_by_name(EXPERIMENT) is None  # nothing went online
        target = resolve_target(spool, None, Settings())
        assert target == live_server.url

        assert _results(_sync(spool, target)) == [Result.SYNCED]
        assert _results(_sync(spool, target)) == [Result.UP_TO_DATE]
        (spool.path / "sync-state.json").unlink()  # correctness never rests on the state
        assert _results(_sync(spool, target)) == [Result.SYNCED]

        source = spool.open_store()
        try:
            _assert_same_run(source, server, run_id)
        finally:
            source.close()
        repo = get_artifact_repository(server.get_run(run_id).info.artifact_uri)
        assert repo.read_bytes("reports/report.txt") == f"{STEPS} steps\n".encode()
    finally:
        server.close()


def _assert_same_run(source: TrackingStore, target: TrackingStore, run_id: str) -> None:
    mine, theirs = source.get_run(run_id), target.get_run(run_id)
    for name in ("run_id", "run_name", "user_id", "status", "start_time", "end_time"):
        assert getattr(theirs.info, name) == getattr(mine.info, name), name
    assert theirs.info.status is RunStatus.FINISHED
    assert theirs.data.param_dict == mine.data.param_dict == {"lr": "0.01", "batch_size": "32"}
    assert theirs.data.tag_dict == mine.data.tag_dict
    assert theirs.data.tag_dict["team"] == "vision"
    assert theirs.inputs.dataset_inputs == mine.inputs.dataset_inputs
    for key in ("loss", "acc"):
        points = _points(target, run_id, key)
        assert points == _points(source, run_id, key)
        assert [p[0] for p in points] == list(range(STEPS))
    experiment = target.get_experiment(theirs.info.experiment_id)
    assert experiment.name == EXPERIMENT
    runs = target.search_runs([experiment.experiment_id], run_view_type=ViewType.ALL)
    assert [r.info.run_id for r in runs] == [run_id]


@pytest.mark.parametrize("backend_uri", ["sqlite"], indirect=True)
def test_artifacts_go_through_the_servers_proxy(
    backend_uri: str, spool: Spool, spool_store: SqlTrackingStore, tmp_path: Path
) -> None:
    server = start_live_server(backend_uri, tmp_path / "srv", default_artifact_root=None)
    try:
        run_id = _spool_run(spool_store)
        art = tmp_path / "model.bin"
        art.write_bytes(b"\x00\x01weights")
        local = get_artifact_repository(spool_store.get_run(run_id).info.artifact_uri)
        local.log_artifact(art, "model")

        assert _results(_sync(spool, server.url)) == [Result.SYNCED]
        store = RestTrackingStore(server.url)
        try:
            uri = store.get_run(run_id).info.artifact_uri
            assert uri.startswith("mlflow-artifacts:")
            remote = get_artifact_repository(uri, server.url, transport=store.transport)
            assert remote.read_bytes("model/model.bin") == b"\x00\x01weights"
        finally:
            store.close()
        on_disk = list((tmp_path / "srv" / "proxy").rglob("model.bin"))
        assert len(on_disk) == 1
    finally:
        server.stop()


# --- runs still in progress, lost targets, failures -----------------------------------------
def test_a_running_run_is_synced_and_a_later_sync_completes_it(
    spool: Spool, spool_store: SqlTrackingStore, target_dir: Path
) -> None:
    run_id = _spool_run(spool_store, steps=3)
    (first,) = _sync(spool, str(target_dir))
    assert first.result is Result.SYNCED and first.running

    more = [Metric("loss", 0.01 * s, 3000 + s, s) for s in range(3, 7)]
    spool_store.log_batch(run_id, more)
    spool_store.update_run_info(run_id, RunStatus.FINISHED, end_time=9000)
    (second,) = _sync(spool, str(target_dir))
    assert second.result is Result.SYNCED and not second.running

    target = _open(str(target_dir))
    try:
        assert _points(target, run_id, "loss") == _points(spool_store, run_id, "loss")
        assert len(_points(target, run_id, "loss")) == 7
        info = target.get_run(run_id).info
        assert (info.status, info.end_time) == (RunStatus.FINISHED, 9000)
    finally:
        target.close()


def test_a_run_the_target_lost_is_uploaded_again(
    spool: Spool, spool_store: SqlTrackingStore, target_dir: Path
) -> None:
    _spool_run(spool_store)
    assert _results(_sync(spool, str(target_dir))) == [Result.SYNCED]
    shutil.rmtree(target_dir)
    assert _results(_sync(spool, str(target_dir))) == [Result.SYNCED]
    assert _results(_sync(spool, str(target_dir), force=True)) == [Result.SYNCED]


def test_one_failing_run_does_not_stop_the_others(
    spool: Spool, spool_store: SqlTrackingStore, target_dir: Path
) -> None:
    clashing = _spool_run(spool_store, "exp")
    fine = _spool_run(spool_store, "exp")
    target = _open(str(target_dir))
    try:  # the same id already lives in another experiment there
        target.import_run(RunBundle("other", clashing, "x", "", RunStatus.FINISHED, 1, 2))
    finally:
        target.close()

    outcomes = {o.run_id: o for o in _sync(spool, str(target_dir))}
    assert outcomes[fine].result is Result.SYNCED
    assert outcomes[clashing].result is Result.FAILED
    assert "already exists" in str(outcomes[clashing].error)
    assert "--to" in str(outcomes[clashing].error)  # says what to do


def test_only_the_named_runs_are_synced_and_unknown_ids_fail(
    spool: Spool, spool_store: SqlTrackingStore, target_dir: Path
) -> None:
    wanted = _spool_run(spool_store)
    _spool_run(spool_store)
    outcomes = _sync(spool, str(target_dir), run_ids=(wanted, "feedbeef"))
    assert [(o.run_id, o.result) for o in outcomes] == [
        (wanted, Result.SYNCED),
        ("feedbeef", Result.FAILED),
    ]
    assert "runs list" in str(outcomes[1].error)


def test_deleted_spool_runs_are_skipped_unless_named(
    spool: Spool, spool_store: SqlTrackingStore, target_dir: Path
) -> None:
    deleted = _spool_run(spool_store)
    spool_store.delete_run(deleted)
    assert _sync(spool, str(target_dir)) == []
    (outcome,) = _sync(spool, str(target_dir), run_ids=(deleted,))
    assert outcome.result is Result.SYNCED


def test_a_dry_run_checks_without_touching_the_target(
    spool: Spool, spool_store: SqlTrackingStore, target_dir: Path
) -> None:
    _spool_run(spool_store)
    with SpoolSync(spool, str(target_dir), Settings()) as engine:
        assert [engine.check(item).result for item in engine.plan()] == [Result.WOULD_SYNC]
    assert not target_dir.exists()
    _sync(spool, str(target_dir))
    with SpoolSync(spool, str(target_dir), Settings()) as engine:
        assert [engine.check(item).result for item in engine.plan()] == [Result.UP_TO_DATE]


# --- where to sync ----------------------------------------------------------------------------
def test_the_target_is_the_flag_then_the_recorded_target_then_the_settings(
    spool: Spool, tmp_path: Path
) -> None:
    configured = Settings(tracking_uri="http://configured:5000")
    assert resolve_target(spool, None, configured) == "http://configured:5000"
    spool.record_target("http://recorded:5000")
    assert resolve_target(spool, None, configured) == "http://recorded:5000"
    assert resolve_target(spool, "elsewhere", configured) == str(tmp_path / "elsewhere")


def test_no_target_or_the_spool_itself_is_refused(spool: Spool) -> None:
    with pytest.raises(InvalidParameterValue, match="--to"):
        resolve_target(spool, None, Settings())
    with pytest.raises(InvalidParameterValue, match="spool itself"):
        resolve_target(spool, str(spool.path), Settings())


def test_a_missing_spool_says_where_it_looked(tmp_path: Path, target_dir: Path) -> None:
    with pytest.raises(InvalidParameterValue, match="CAIRN_OFFLINE_DIR"):
        _sync(Spool(tmp_path / "nowhere"), str(target_dir))


def test_docstring_examples_run() -> None:
    result = doctest.testmod(sync_module)
    assert result.failed == 0 and result.attempted > 0
