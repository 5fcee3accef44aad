"""``cairn db``: upgrade a fresh database to head and report the revision."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result

from cairn.cli.main import cli
from cairn.store.db.migrate import head_revision

Invoke = Callable[..., Result]


def _db(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["db", *args])
    return result.exit_code, result.stdout, result.stderr


def test_upgrade_fresh_sqlite_then_current_is_head(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    code, out, err = _db("upgrade", url)
    assert code == 0, err
    assert f"from (empty) to {head_revision()}" in out
    code, out, err = _db("current", url, "--json")
    assert code == 0, err
    assert json.loads(out) == {
        "database": url,
        "current_revision": head_revision(),
        "head_revision": head_revision(),
        "up_to_date": True,
    }


def test_upgrade_twice_says_already_at_head(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    _db("upgrade", url)
    code, out, _ = _db("upgrade", url)
    assert code == 0
    assert f"already at the latest revision {head_revision()}" in out


def test_current_of_missing_file_is_empty_and_creates_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 'none.db'}"
    code, out, _ = _db("current", url)
    assert code == 0
    assert "Current revision: (empty)" in out
    assert f"cairn db upgrade {url}" in out
    assert not (tmp_path / "sub").exists()


def test_upgrade_defaults_to_the_tracking_uri_database(invoke: Invoke, tracking_dir: Path) -> None:
    result = invoke("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert (tracking_dir / "cairn.db").exists()
    current = invoke("db", "current")
    assert f"Current revision: {head_revision()}" in current.stdout


def test_upgrade_accepts_a_tracking_directory(tmp_path: Path) -> None:
    code, _, err = _db("upgrade", str(tmp_path / "dir"))
    assert code == 0, err
    assert (tmp_path / "dir" / "cairn.db").exists()


def test_upgrade_rejects_an_unsupported_url(tmp_path: Path) -> None:
    code, _, err = _db("upgrade", "http://example.com/db")
    assert code == 1
    assert err.startswith("Error: Unsupported tracking URI scheme 'http'")
