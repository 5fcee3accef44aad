"""The ``cairn`` command: global options, error handling, and the command groups.

>>> from click.testing import CliRunner
>>> CliRunner().invoke(cli, ["--version"]).output.startswith("cairn ")
True
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import click

from cairn.cli import db, experiments, models, runs, server, sync
from cairn.cli._context import CliState
from cairn.cli._errors import describe_failure
from cairn.config import settings_from_env
from cairn.version import __version__


class CairnGroup(click.Group):
    """Prints a cairn error as ``Error: <message>`` on stderr and exits 1, without a traceback.

    Usage errors keep click's exit code 2; unexpected exceptions still show their traceback,
    because they are bugs to report.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            message = describe_failure(exc)
            if message is None:
                raise
            raise click.ClickException(message) from exc


@click.group(cls=CairnGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, "--version", "-V", prog_name="cairn", message="%(prog)s %(version)s"
)
@click.option(
    "--tracking-uri",
    envvar=["CAIRN_TRACKING_URI", "MLFLOW_TRACKING_URI"],
    show_envvar=True,
    default=None,
    metavar="URI",
    help="Where to track: a directory (SQLite + artifacts inside it), sqlite:///file.db, "
    "postgresql://... or mysql://...  [default: ./cairn-data]",
)
@click.pass_context
def cli(ctx: click.Context, tracking_uri: str | None) -> None:
    """cairn: track experiments and runs, MLflow-compatible."""
    ctx.obj = CliState(tracking_uri, replace(settings_from_env(), tracking_uri=tracking_uri))


cli.add_command(experiments.experiments_group)
cli.add_command(runs.runs_group)
cli.add_command(db.db_group)
cli.add_command(server.server_command)
cli.add_command(server.ui_command)
cli.add_command(sync.sync_command)
cli.add_command(models.models_group)


if __name__ == "__main__":  # pragma: no cover
    cli()
