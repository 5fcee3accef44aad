"""``cairn models history`` and ``cairn models lineage``: the registry's audit trail and where a
registered version came from.

Both read the registry of the tracking URI (``--tracking-uri``; ``CAIRN_REGISTRY_URI`` puts
the registry elsewhere), through the client, so they work on a local store and on a server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cairn.cli._context import CliState, pass_state
from cairn.cli._options import json_option
from cairn.cli._output import (
    add_row,
    console,
    echo_json,
    format_duration,
    format_metric,
    format_time,
    key_value_table,
    new_table,
)
from cairn.cli._render_registry import describe_event, event_json, lineage_json
from cairn.entities import ModelVersion, RegistryEvent
from cairn.entities.lineage import LineageRun, ModelVersionLineage

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table


@click.command("history")
@click.argument("name")
@click.option("--version", type=click.IntRange(min=1), default=None, help="Only this version.")
@json_option
@pass_state
def history_cmd(state: CliState, name: str, version: int | None, as_json: bool) -> None:
    """Show every change to registered model NAME, oldest first: when, who, what changed."""
    events = state.client().get_registry_history(name, version)
    if as_json:
        echo_json({"name": name, "version": version, "events": [event_json(e) for e in events]})
        return
    out = console()
    if not events:
        which = f"version {version} of " if version is not None else ""
        out.print(f"No history recorded for {which}{name!r}.", markup=False)
        return
    out.print(_history_table(name, version, events))


def _history_table(name: str, version: int | None, events: list[RegistryEvent]) -> Table:
    title = f"History of {name}" + (f" v{version}" if version is not None else "")
    table = new_table("When", "Who", "Version", "What", "Details", title=title, keep=("When",))
    for event in events:
        what, details = describe_event(event)
        version_cell = "-" if event.version is None else f"v{event.version}"
        add_row(
            table, format_time(event.timestamp), event.user_id or "-", version_cell, what, details
        )
    return table


@click.command("lineage")
@click.argument("name")
@click.argument("version", type=click.IntRange(min=1))
@json_option
@pass_state
def lineage_cmd(state: CliState, name: str, version: int, as_json: bool) -> None:
    """Show where version VERSION of NAME came from: run, experiment, code, params, metrics
    and datasets."""
    lineage = state.client().get_model_version_lineage(name, version)
    if as_json:
        echo_json(lineage_json(lineage))
        return
    out = console()
    out.print(key_value_table(f"Model version {name} v{version}", _version_rows(lineage)))
    if lineage.run is None:
        out.print(
            "No run is recorded for this version: its lineage ends at its source.", markup=False
        )
        return
    out.print(key_value_table("Run", _run_rows(lineage.run)))
    _print_data(out, lineage)


def _version_rows(lineage: ModelVersionLineage) -> dict[str, object]:
    mv: ModelVersion = lineage.version
    return {
        "Stage": mv.current_stage.value,
        "Aliases": ", ".join(mv.aliases) or "-",
        "Source": mv.source,
        "Logged model": lineage.model_id or "-",
        "Registered": format_time(mv.creation_timestamp),
        "Registered by": mv.user_id or "-",
        "Description": mv.description or "-",
    }


def _run_rows(run: LineageRun) -> dict[str, object]:
    experiment = run.experiment_name or "?"
    return {
        "Run ID": run.run_id,
        "Run name": run.run_name or "-",
        "Status": run.status.name,
        "Started": format_time(run.start_time),
        "Duration": format_duration(run.start_time, run.end_time),
        "User": run.user_id or "-",
        "Experiment": f"{experiment} (id {run.experiment_id})",
        "Git commit": run.git_commit or "-",
        "Source": run.source_name or "-",
        "Source type": run.source_type or "-",
    }


def _print_data(out: Console, lineage: ModelVersionLineage) -> None:
    if lineage.params:
        out.print(key_value_table("Params", dict(sorted(lineage.params.items()))))
    if lineage.metrics:
        metrics = {k: format_metric(v) for k, v in sorted(lineage.metrics.items())}
        out.print(key_value_table("Metrics (latest)", metrics))
    if lineage.datasets:
        table = new_table("Name", "Digest", "Context", "Source type", "Source", title="Datasets")
        for d in lineage.datasets:
            add_row(table, d.name, d.digest, d.context or "-", d.source_type, d.source)
        out.print(table)
