"""``cairn sync``: an offline run uploaded to a real server, once however often it is run."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cairn.cli.main import cli
from cairn.entities import Metric, RunBundle, RunStatus
from cairn.offline.spool import Spool
from cairn.store.artifacts import get_artifact_repository
from cairn.store.tracking.base import TrackingStore
from cairn.store.tracking.rest import RestTrackingStore
from cairn.store.tracking.sql.store import SqlTrackingStore
from cairn.tracking import fluent
from cairn.tracking.client import close_stores
from live_server import LiveServer
from offline_training import EXPERIMENT, STEPS, train


@pytest.fixture(autouse=True)
def _fresh_fluent_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)
    fluent._reset_for_tests()
    yield
    fluent._reset_for_tests()


@pytest.fixture
def spool_dir(tmp_path: Path) -> Path:
    return tmp_path / "spool"


@pytest.fixture
def spool_store(spool_dir: Path) -> Iterator[SqlTrackingStore]:
    store = Spool(spool_dir).open_store()
    yield store
    store.close()


def _sync(*args: str) -> Result:
    return CliRunner().invoke(cli, ["sync", *args])


def _spool_run(store: TrackingStore, *, finished: bool = True) -> str:
    run_id = store.create_run("0", run_name="spooled").info.run_id
    store.log_batch(run_id, [Metric("loss", 0.5, 1000, 0), Metric("loss", 0.25, 1001, 1)])
    if finished:
        store.update_run_info(run_id, RunStatus.FINISHED, end_time=2000)
    return run_id


def test_sync_twice_uploads_an_offline_run_exactly_once(
    live_server: LiveServer, spool_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAIRN_MODE", "offline")
    monkeypatch.setenv("CAIRN_OFFLINE_DIR", str(spool_dir))
    monkeypatch.setenv("CAIRN_TRACKING_URI", live_server.url)
    fluent._reset_for_tests()
    run_id = train(tmp_path)
    close_stores()
    server = RestTrackingStore(live_server.url)
    try:
        assert server.get_experiment_by_name(EXPERIMENT) is None

        first = _sync()  # still CAIRN_MODE=offline: sync must talk to the real target anyway
        assert first.exit_code == 0, first.output
        assert f"1 run synced to {live_server.url}, 0 already up to date." in first.output
        second = _sync()
        assert second.exit_code == 0, second.output
        assert "0 runs synced" in second.output and "1 already up to date" in second.output

        experiment = server.get_experiment_by_name(EXPERIMENT)
        assert experiment is not None
        (run,) = server.search_runs([experiment.experiment_id])
        assert run.info.run_id == run_id and run.info.status is RunStatus.FINISHED
        assert run.data.param_dict == {"lr": "0.01", "batch_size": "32"}
        history = server.get_metric_history(run_id, "loss")
        assert [m.step for m in history] == list(range(STEPS))
        repo = get_artifact_repository(run.info.artifact_uri)
        assert repo.read_bytes("reports/report.txt") == f"{STEPS} steps\n".encode()
    finally:
        server.close()


def test_dry_run_lists_what_would_be_uploaded_and_uploads_nothing(
    spool_dir: Path, spool_store: SqlTrackingStore, tmp_path: Path
) -> None:
    run_id = _spool_run(spool_store)
    target = tmp_path / "target"
    result = _sync("--spool", str(spool_dir), "--to", str(target), "--dry-run")
    assert result.exit_code == 0, result.output
    assert run_id in result.output and "would sync" in result.output
    assert "1 run would be synced" in result.output and "nothing was uploaded" in result.output
    assert not target.exists()


def test_running_runs_are_synced_and_marked(
    spool_dir: Path, spool_store: SqlTrackingStore, tmp_path: Path
) -> None:
    _spool_run(spool_store, finished=False)
    result = _sync("--spool", str(spool_dir), "--to", str(tmp_path / "target"))
    assert result.exit_code == 0, result.output
    assert "RUNNING (still running)" in result.output
    assert "1 run still RUNNING: run cairn sync again after they end." in result.output


def test_a_failed_run_exits_1_after_the_others_are_synced(
    spool_dir: Path, spool_store: SqlTrackingStore, tmp_path: Path
) -> None:
    clashing, fine = _spool_run(spool_store), _spool_run(spool_store)
    target = tmp_path / "target"
    other = SqlTrackingStore.open(f"sqlite:///{target}/cairn.db", (target / "a").as_uri())
    try:
        other.import_run(RunBundle("elsewhere", clashing, "x", "", RunStatus.FINISHED, 1, 2))
    finally:
        other.close()

    result = _sync("--spool", str(spool_dir), "--to", str(target))
    assert result.exit_code == 1
    assert "1 run synced" in result.output and "1 failed" in result.output
    assert f"Run {clashing} failed:" in result.output
    assert fine in result.output


def test_an_unreachable_server_fails_once_up_front(
    spool_dir: Path, spool_store: SqlTrackingStore
) -> None:
    _spool_run(spool_store)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    result = _sync("--spool", str(spool_dir), "--to", closed)
    assert result.exit_code == 1
    assert "Cannot reach the tracking server" in result.output
    assert "run cairn sync again" in result.output


def test_an_empty_spool_has_nothing_to_sync(
    spool_dir: Path, spool_store: SqlTrackingStore, tmp_path: Path
) -> None:
    result = _sync("--spool", str(spool_dir), "--to", str(tmp_path / "target"))
    assert result.exit_code == 0
    assert "nothing to sync" in result.output


def test_a_missing_spool_is_an_error_that_says_what_to_do(tmp_path: Path) -> None:
    result = _sync("--spool", str(tmp_path / "none"), "--to", str(tmp_path / "target"))
    assert result.exit_code == 1
    assert "No offline spool" in result.output and "--spool" in result.output


def test_sync_is_listed_in_the_help() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert "sync" in result.output
