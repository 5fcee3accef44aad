"""``cairn sync``: upload the runs tracked offline (``CAIRN_MODE=offline``) to their store.

Thin over ``cairn.offline.sync``: resolve the spool and the target, show a progress bar, print
one row per run and a summary; exit 1 when any run failed (the others are still uploaded).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from cairn.cli._context import CliState, pass_state
from cairn.cli._output import add_row, console, new_table

if TYPE_CHECKING:
    from rich.table import Table

    from cairn.offline.export import SpoolRun
    from cairn.offline.sync import RunOutcome, SpoolSync


@click.command("sync")
@click.option(
    "--spool",
    "spool_dir",
    default=None,
    metavar="DIR",
    help="The offline spool.  [default: $CAIRN_OFFLINE_DIR, else ./cairn-offline]",
)
@click.option(
    "--to",
    "to",
    default=None,
    metavar="URI",
    help="Where to upload.  [default: the target the spool recorded, else --tracking-uri]",
)
@click.option(
    "--run-id", "run_ids", multiple=True, metavar="ID", help="Sync only this run (repeatable)."
)
@click.option("--dry-run", is_flag=True, help="Show what would be uploaded; change nothing.")
@click.option("--force", is_flag=True, help="Upload runs again even if they look up to date.")
@pass_state
def sync_command(
    state: CliState,
    spool_dir: str | None,
    to: str | None,
    run_ids: tuple[str, ...],
    dry_run: bool,
    force: bool,
) -> None:
    """Upload runs tracked offline to the tracking store; safe to repeat.

    Runs keep their ids, names, times, params, tags, every metric point and their
    artifacts; running it again duplicates nothing. Runs still RUNNING are uploaded as far
    as they got: sync again once they end.
    """
    from cairn.offline.spool import Spool
    from cairn.offline.sync import SpoolSync, resolve_target

    spool = Spool.from_settings(state.settings, spool_dir)
    target = resolve_target(spool, to, state.settings)
    with SpoolSync(spool, target, state.settings, force=force) as engine:
        planned = engine.plan(run_ids)
        if not planned:
            click.echo(f"No runs in the spool at {spool.path}; nothing to sync.")
            return
        if not dry_run:
            engine.connect()
        outcomes = _with_progress(engine, planned, dry_run)
    out = console()
    out.print(_outcome_table(outcomes))
    for outcome in outcomes:
        if outcome.error:
            click.echo(f"Run {outcome.run_id} failed: {outcome.error}", err=True)
    click.echo(_summary(outcomes, _shown(target), dry_run))
    if any(o.error for o in outcomes):
        raise click.exceptions.Exit(1)


def _with_progress(
    engine: SpoolSync, planned: Sequence[SpoolRun], dry_run: bool
) -> list[RunOutcome]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    outcomes = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    verb = "Checking" if dry_run else "Syncing"
    err = console(stderr=True)
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task(f"{verb} runs", total=len(planned))
        for item in planned:
            progress.update(task, description=f"{verb} {item.run_id[:12]}")
            outcomes.append(engine.check(item) if dry_run else engine.sync(item))
            progress.advance(task)
    return outcomes


def _outcome_table(outcomes: Sequence[RunOutcome]) -> Table:
    table = new_table(
        "Run ID",
        "Name",
        "Experiment",
        "Status",
        "Points",
        "Files",
        "Result",
        keep=("Run ID", "Status", "Result"),
    )
    for o in outcomes:
        status = "" if o.status is None else o.status.name
        if o.running:
            status += " (still running)"
        add_row(
            table,
            o.run_id,
            o.run_name,
            o.experiment_name,
            status,
            o.points,
            o.files,
            o.result.value,
        )
    return table


def _summary(outcomes: Sequence[RunOutcome], target: str, dry_run: bool) -> str:
    from cairn.offline.sync import Result

    def count(result: Result) -> int:
        return sum(1 for o in outcomes if o.result is result)

    done = count(Result.WOULD_SYNC) if dry_run else count(Result.SYNCED)
    verb = "would be synced" if dry_run else "synced"
    parts = [f"{_runs(done)} {verb} to {target}", f"{count(Result.UP_TO_DATE)} already up to date"]
    if count(Result.FAILED):
        parts.append(f"{count(Result.FAILED)} failed")
    line = ", ".join(parts) + "."
    if dry_run:
        line += " Dry run: nothing was uploaded."
    running = sum(1 for o in outcomes if o.running and o.result is not Result.FAILED)
    if running:
        line += f" {_runs(running)} still RUNNING: run cairn sync again after they end."
    return line


def _runs(n: int) -> str:
    return f"{n} run" if n == 1 else f"{n} runs"


def _shown(target: str) -> str:
    """The target without credentials a URI may carry."""
    from cairn.store.tracking.rest.config import redact_url

    return redact_url(target) if "://" in target and target.startswith("http") else target
