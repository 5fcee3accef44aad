"""The top-level group: version, tracking URI resolution, error exits, light import."""

from __future__ import annotations

import doctest
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import cairn.cli.main
from cairn.cli.main import cli
from cairn.version import __version__

Invoke = Callable[..., Result]


def test_version_prints_cairn_and_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"cairn {__version__}\n"


def test_help_lists_every_command_group() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for group in ("experiments", "runs", "db"):
        assert group in result.stdout
    assert "CAIRN_TRACKING_URI" in result.stdout


def test_module_examples_run() -> None:
    assert doctest.testmod(cairn.cli.main).failed == 0


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["nope"])
    assert result.exit_code == 2
    assert "No such command" in result.stderr


def test_tracking_uri_comes_from_cairn_env_var(tmp_path: Path) -> None:
    env = {"CAIRN_TRACKING_URI": str(tmp_path / "a"), "MLFLOW_TRACKING_URI": str(tmp_path / "b")}
    result = CliRunner().invoke(cli, ["experiments", "create", "x"], env=env)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a" / "cairn.db").exists()
    assert not (tmp_path / "b").exists()


def test_tracking_uri_falls_back_to_mlflow_env_var(tmp_path: Path) -> None:
    env = {"MLFLOW_TRACKING_URI": str(tmp_path / "b")}
    result = CliRunner().invoke(cli, ["experiments", "list", "--json"], env=env)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "b" / "cairn.db").exists()


def test_default_tracking_uri_is_cairn_data_in_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["experiments", "list", "--json"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cairn-data" / "cairn.db").exists()


def test_unsupported_tracking_uri_scheme_exits_1_with_advice() -> None:
    result = CliRunner().invoke(cli, ["--tracking-uri", "ftp://host/x", "experiments", "list"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Unsupported tracking URI scheme 'ftp'")
    assert "sqlite:///" in result.stderr
    assert "Traceback" not in result.output


def test_cairn_error_prints_one_line_on_stderr_without_traceback(invoke: Invoke) -> None:
    result = invoke("experiments", "get", "42")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: No experiment with id 42.")
    assert len(result.stderr.strip().splitlines()) == 1


def test_json_output_is_parseable_by_scripts(invoke: Invoke) -> None:
    result = invoke("experiments", "list", "--json")
    assert json.loads(result.stdout)["experiments"][0]["name"] == "Default"


def test_loading_the_cli_imports_nothing_heavy() -> None:
    code = (
        "import sys, cairn.cli.main\n"
        "heavy = {'sqlalchemy', 'alembic', 'pandas', 'numpy', 'rich'}\n"
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_unreachable_database_exits_1_with_advice() -> None:
    uri = "sqlite:////proc/cairn-cannot-create/x.db"
    result = CliRunner().invoke(cli, ["--tracking-uri", uri, "experiments", "list"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Cannot use ")
    assert "tracking URI" in result.stderr


def test_uncreatable_tracking_directory_exits_1_with_advice() -> None:
    result = CliRunner().invoke(
        cli, ["--tracking-uri", "/proc/cairn-nope", "runs", "list", "-e", "0"]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Cannot use /proc/cairn-nope")
