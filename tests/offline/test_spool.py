"""The spool's files, and when a process tracks to it (offline mode, fallback)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from cairn.config import Settings, settings_from_env
from cairn.errors import InvalidParameterValue, ServiceUnavailable
from cairn.offline.spool import Spool
from cairn.store.tracking.registry import open_tracking_store
from cairn.store.tracking.rest import RestTrackingStore
from cairn.store.tracking.sql.store import SqlTrackingStore
from cairn.tracking import fluent
from live_server import LiveServer
from offline_training import EXPERIMENT, train

GoOffline = Callable[[str | None], None]


def _offline(spool_dir: Path, **changes: object) -> Settings:
    return Settings(mode="offline", offline_dir=str(spool_dir), **changes)  # type: ignore[arg-type]


# --- settings and files ---------------------------------------------------------------------
def test_settings_read_the_offline_variables() -> None:
    env = {"CAIRN_MODE": "Offline", "CAIRN_OFFLINE_FALLBACK": "true", "CAIRN_OFFLINE_DIR": "/s"}
    settings = settings_from_env(env)
    assert (settings.mode, settings.offline_fallback, settings.offline_dir) == (
        "offline",
        True,
        "/s",
    )
    default = settings_from_env({})
    assert (default.mode, default.offline_fallback, default.offline_dir) == ("online", False, None)


def test_a_misspelt_mode_is_an_error_not_a_silent_online_run() -> None:
    with pytest.raises(InvalidParameterValue, match="CAIRN_MODE"):
        settings_from_env({"CAIRN_MODE": "ofline"})


def test_the_spool_defaults_to_cairn_offline_in_the_working_directory(tmp_path: Path) -> None:
    assert Spool.from_settings(Settings()).path == (tmp_path / "cairn-offline").resolve()
    assert (
        Spool.from_settings(Settings(offline_dir="elsewhere")).path
        == (tmp_path / "elsewhere").resolve()
    )
    assert Spool.from_settings(Settings(offline_dir="x"), tmp_path / "y").path.name == "y"


def test_recorded_targets_do_not_depend_on_the_working_directory(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    assert spool.read_target() is None
    assert spool.record_target(None) == str((tmp_path / "cairn-data").resolve())
    assert spool.record_target("runs-dir") == str((tmp_path / "runs-dir").resolve())
    assert spool.record_target("http://srv:5000") == "http://srv:5000"
    assert spool.read_target() == "http://srv:5000"  # the latest intended target wins


def test_sync_state_is_kept_per_target(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    spool.record_synced("http://a", "r1", {"fingerprint": "f1"})
    spool.record_synced("http://b", "r1", {"fingerprint": "f2"})
    assert spool.synced_runs("http://a")["r1"]["fingerprint"] == "f1"
    assert spool.synced_runs("http://b")["r1"]["fingerprint"] == "f2"
    assert spool.synced_runs("http://c") == {}


def test_a_damaged_spool_file_says_which_file_to_delete(tmp_path: Path) -> None:
    (tmp_path / "target.json").write_text("{not json")
    with pytest.raises(InvalidParameterValue, match=r"target\.json is damaged\. Delete it"):
        Spool(tmp_path).read_target()


# --- choosing the store ---------------------------------------------------------------------
def test_offline_mode_opens_the_spool_whatever_the_tracking_uri(
    spool_dir: Path, closed_url: str
) -> None:
    started = time.monotonic()
    store = open_tracking_store(closed_url, _offline(spool_dir))
    try:
        assert isinstance(store, SqlTrackingStore)
        assert store.engine.url.database == str(spool_dir / "cairn.db")
        assert store.default_artifact_root == (spool_dir / "artifacts").as_uri()
    finally:
        store.close()
    assert time.monotonic() - started < 1.5  # no health check in offline mode
    assert Spool(spool_dir).read_target() == closed_url


def test_fallback_tracks_to_the_spool_and_warns_once_when_the_server_is_down(
    spool_dir: Path, closed_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(offline_fallback=True, offline_dir=str(spool_dir), http_max_retries=0)
    stores = [open_tracking_store(closed_url, settings) for _ in range(2)]
    for store in stores:
        assert isinstance(store, SqlTrackingStore)
        store.close()
    err = capsys.readouterr().err
    assert err.count("is not reachable") == 1
    assert str(spool_dir) in err and "cairn sync" in err
    assert Spool(spool_dir).read_target() == closed_url


def test_without_fallback_an_unreachable_server_fails_as_before(
    spool_dir: Path, closed_url: str
) -> None:
    settings = Settings(offline_dir=str(spool_dir), http_max_retries=0)
    store = open_tracking_store(closed_url, settings)
    try:
        assert isinstance(store, RestTrackingStore)
        with pytest.raises(ServiceUnavailable, match=r"Connection refused|failed"):
            store.search_experiments()
    finally:
        store.close()
    assert not spool_dir.exists()


@pytest.mark.parametrize("backend_uri", ["sqlite"], indirect=True)
def test_fallback_keeps_a_server_that_answers(live_server: LiveServer, spool_dir: Path) -> None:
    store = open_tracking_store(live_server.url, Settings(offline_fallback=True))
    try:
        assert isinstance(store, RestTrackingStore)
    finally:
        store.close()
    assert not spool_dir.exists()


def test_fallback_never_applies_to_local_stores(tmp_path: Path, spool_dir: Path) -> None:
    settings = Settings(offline_fallback=True, offline_dir=str(spool_dir))
    store = open_tracking_store(str(tmp_path / "local"), settings)
    try:
        assert isinstance(store, SqlTrackingStore)
        assert store.engine.url.database == str(tmp_path / "local" / "cairn.db")
    finally:
        store.close()
    assert not spool_dir.exists()


# --- through the fluent API -----------------------------------------------------------------
def test_a_fluent_run_falls_back_to_the_spool_when_the_server_is_down(
    tmp_path: Path,
    spool_dir: Path,
    closed_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CAIRN_TRACKING_URI", closed_url)
    monkeypatch.setenv("CAIRN_OFFLINE_FALLBACK", "true")
    monkeypatch.setenv("CAIRN_OFFLINE_DIR", str(spool_dir))
    fluent._reset_for_tests()
    run_id = train(tmp_path)

    assert "is not reachable" in capsys.readouterr().err
    store = Spool(spool_dir).open_store()
    try:
        run = store.get_run(run_id)
        assert run.data.param_dict == {"lr": "0.01", "batch_size": "32"}
        experiment = store.get_experiment(run.info.experiment_id)
        assert experiment.name == EXPERIMENT
    finally:
        store.close()


def test_a_fluent_run_in_offline_mode_writes_artifacts_into_the_spool(
    tmp_path: Path, spool_dir: Path, closed_url: str, go_offline: GoOffline
) -> None:
    go_offline(closed_url)
    run_id = train(tmp_path)
    artifacts = list((spool_dir / "artifacts").rglob("report.txt"))
    assert [p.relative_to(spool_dir / "artifacts").parts[1:] for p in artifacts] == [
        (run_id, "artifacts", "reports", "report.txt")
    ]
