"""``cairn server`` / ``cairn ui``: which store and artifact folders the flags lead to.

Starting the real server from the CLI is covered by tests/compat, which runs every test
against ``python -m cairn.cli.main server``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cairn.cli._context import CliState
from cairn.cli.main import cli
from cairn.cli.server import ServeOptions, build_settings
from cairn.config import Settings


def _options(**overrides: object) -> ServeOptions:
    values: dict[str, object] = {
        "host": "127.0.0.1",
        "port": 5000,
        "workers": 1,
        "backend_store_uri": None,
        "registry_store_uri": None,
        "default_artifact_root": None,
        "artifacts_destination": None,
        "serve_artifacts": True,
        "artifacts_only": False,
        "static_prefix": "",
        "allowed_hosts": "",
        "cors_allowed_origins": "",
        "webhooks_allow_private": False,
        "access_log": False,
    }
    values.update(overrides)
    return ServeOptions(**values)  # type: ignore[arg-type]


def test_defaults_serve_the_embedded_data_dir_through_the_proxy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = build_settings(CliState(None, Settings()), _options())
    assert settings.backend_store_uri == f"sqlite:///{tmp_path / 'cairn-data' / 'cairn.db'}"
    assert settings.artifacts_destination == (tmp_path / "cairn-data" / "artifacts").as_uri()
    assert settings.artifact_root == "mlflow-artifacts:/"


def test_a_directory_backend_keeps_its_artifacts_inside(tmp_path: Path) -> None:
    settings = build_settings(
        CliState(None, Settings()), _options(backend_store_uri=str(tmp_path / "team"))
    )
    assert settings.backend_store_uri.endswith("/team/cairn.db")
    assert settings.artifacts_destination == (tmp_path / "team" / "artifacts").as_uri()


def test_without_the_proxy_new_experiments_use_the_destination(tmp_path: Path) -> None:
    settings = build_settings(
        CliState(None, Settings()),
        _options(
            backend_store_uri=str(tmp_path),
            artifacts_destination=str(tmp_path / "files"),
            serve_artifacts=False,
            allowed_hosts="a.example, *.corp",
        ),
    )
    assert settings.artifact_root == (tmp_path / "files").as_uri()
    assert settings.allowed_hosts == ("a.example", "*.corp")


@pytest.mark.parametrize("command", ["server", "ui"])
def test_both_commands_take_mlflows_flags(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    for flag in ("--backend-store-uri", "--artifacts-destination", "--workers", "--static-prefix"):
        assert flag in result.output
