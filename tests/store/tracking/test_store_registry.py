"""Which database and artifact root a tracking URI stands for."""

from __future__ import annotations

from pathlib import Path

import pytest

from cairn.config import Settings
from cairn.errors import InvalidParameterValue
from cairn.store.tracking.registry import open_tracking_store, resolve_store_uris
from cairn.store.tracking.rest import RestTrackingStore


def test_unset_uri_uses_project_local_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db, artifacts = resolve_store_uris(None, Settings())
    assert db == f"sqlite:///{tmp_path / 'cairn-data' / 'cairn.db'}"
    assert artifacts == f"file://{tmp_path / 'cairn-data' / 'artifacts'}"


def test_directory_and_file_uri_mean_the_same_layout(tmp_path: Path) -> None:
    plain = resolve_store_uris(str(tmp_path / "d"), Settings())
    as_uri = resolve_store_uris(f"file://{tmp_path / 'd'}", Settings())
    assert plain == as_uri
    assert plain[0].endswith("/d/cairn.db")


def test_database_uri_keeps_artifacts_under_the_configured_root(tmp_path: Path) -> None:
    db, artifacts = resolve_store_uris(
        "postgresql://u@h/db", Settings(artifact_root=str(tmp_path / "art"))
    )
    assert db == "postgresql://u@h/db"
    assert artifacts == f"file://{tmp_path / 'art'}"


def test_unsupported_scheme_is_refused_with_the_choices() -> None:
    with pytest.raises(InvalidParameterValue, match=r"sqlite:///.*http\(s\)://") as info:
        open_tracking_store("ftp://localhost:5000", Settings())
    assert "'ftp'" in info.value.message


@pytest.mark.parametrize("uri", ["http://localhost:5000", "HTTPS://tracking.example.com/prefix"])
def test_server_uris_open_the_rest_store_without_any_io(uri: str) -> None:
    store = open_tracking_store(uri, Settings(http_timeout=7.0, username="u", password="p"))
    try:
        assert isinstance(store, RestTrackingStore)
        assert store.tracking_uri == uri.rstrip("/")
        assert store.transport.config.timeout == 7.0
        assert store.transport.config.authorization() == "Basic dTpw"
    finally:
        store.close()


def test_truncation_off_rejects_long_values(tmp_path: Path) -> None:
    from cairn.entities import Param

    store = open_tracking_store(str(tmp_path), Settings(truncate_long_values=False))
    try:
        run_id = store.create_run("0").info.run_id
        with pytest.raises(InvalidParameterValue, match="limit is 6000"):
            store.log_param(run_id, Param("p", "x" * 6001))
    finally:
        store.close()
