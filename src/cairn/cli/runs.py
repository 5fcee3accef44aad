"""``cairn runs``: list, describe, delete and restore runs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from cairn.cli._context import CliState, pass_state
from cairn.cli._errors import hint_on
from cairn.cli._options import VIEWS, json_option, paging_options, view_option
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
from cairn.cli._paging import collect
from cairn.cli._render import run_json
from cairn.entities import Run
from cairn.errors import ResourceDoesNotExist

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

_EXPERIMENT_HINT = "List experiment ids with: cairn experiments list --view all"
_RUN_HINT = "List run ids with: cairn runs list --experiment-id ID --view all"
#: How many metric columns ``runs list`` shows at most when --metric is not given.
DEFAULT_METRIC_COLUMNS = 3
#: Width of the run id, status, start and duration columns with their separators, and of
#: one metric column: a narrow terminal gets fewer default metric columns, never folded ids.
_FIXED_WIDTH = 90
_METRIC_WIDTH = 12


@click.group(name="runs")
def runs_group() -> None:
    """Inspect and manage runs."""


@runs_group.command("list")
@click.option(
    "-e",
    "--experiment-id",
    "experiment_ids",
    multiple=True,
    required=True,
    help="Experiment to list runs of (repeatable).",
)
@click.option("--filter", "filter_string", default=None, help='e.g. "metrics.loss < 0.1".')
@click.option("--order-by", multiple=True, help="e.g. 'metrics.loss ASC' (repeatable).")
@click.option(
    "-m",
    "--metric",
    "metric_keys",
    multiple=True,
    help=f"Metric column to show (repeatable); default: the {DEFAULT_METRIC_COLUMNS} most common.",
)
@view_option
@paging_options
@json_option
@pass_state
def list_cmd(
    state: CliState,
    experiment_ids: tuple[str, ...],
    filter_string: str | None,
    order_by: tuple[str, ...],
    metric_keys: tuple[str, ...],
    view: str,
    max_results: int | None,
    page_token: str | None,
    as_json: bool,
) -> None:
    """List the runs of one or more experiments, newest first."""
    client = state.client()
    for experiment_id in experiment_ids:
        with hint_on(ResourceDoesNotExist, _EXPERIMENT_HINT):
            client.get_experiment(experiment_id)
    found, token = collect(
        lambda size, tok: client.search_runs(
            experiment_ids, filter_string or "", VIEWS[view.lower()], size, order_by, tok
        ),
        max_results,
        page_token,
    )
    if as_json:
        echo_json({"runs": [run_json(r) for r in found], "next_page_token": token})
        return
    out = console()
    fitting = max(0, min(DEFAULT_METRIC_COLUMNS, (out.width - _FIXED_WIDTH) // _METRIC_WIDTH))
    out.print(_runs_table(found, metric_keys or _common_metrics(found, fitting)))
    if token is not None:
        out.print(f"[dim]More runs exist; continue with --page-token {token}[/dim]")


def _common_metrics(found: Sequence[Run], limit: int) -> tuple[str, ...]:
    """The metric keys most runs have, ties broken by name, so columns are mostly filled."""
    counts = Counter(m.key for run in found for m in run.data.metrics)
    ranked = sorted(counts, key=lambda key: (-counts[key], key))
    return tuple(ranked[:limit])


def _runs_table(found: Sequence[Run], metric_keys: Sequence[str]) -> Table:
    table = new_table(
        "Run ID",
        "Name",
        "Status",
        "Start time",
        "Duration",
        *metric_keys,
        keep=("Run ID", "Status", "Start time", "Duration"),
    )
    for run in found:
        info, metrics = run.info, run.data.metric_dict
        add_row(
            table,
            info.run_id,
            info.run_name,
            info.status.name,
            format_time(info.start_time, seconds=False),
            format_duration(info.start_time, info.end_time),
            *(format_metric(metrics[k]) if k in metrics else "-" for k in metric_keys),
        )
    return table


@runs_group.command("describe")
@click.argument("run_id")
@json_option
@pass_state
def describe_cmd(state: CliState, run_id: str, as_json: bool) -> None:
    """Show a run: info, params, latest metrics, tags and datasets."""
    with hint_on(ResourceDoesNotExist, _RUN_HINT):
        run = state.client().get_run(run_id)
    if as_json:
        echo_json({"run": run_json(run)})
        return
    _print_run(console(), run)


def _print_run(out: Console, run: Run) -> None:
    info = run.info
    out.print(
        key_value_table(
            f"Run {info.run_id}",
            {
                "run_name": info.run_name,
                "experiment_id": info.experiment_id,
                "status": info.status.name,
                "lifecycle_stage": info.lifecycle_stage.value,
                "user_id": info.user_id or "-",
                "start_time": format_time(info.start_time),
                "end_time": format_time(info.end_time),
                "duration": format_duration(info.start_time, info.end_time),
                "artifact_uri": info.artifact_uri,
            },
        )
    )
    if run.data.params:
        out.print(key_value_table("Params", run.data.param_dict))
    if run.data.metrics:
        metrics = new_table("Key", "Value", "Step", "Timestamp", title="Metrics (latest)")
        for m in run.data.metrics:
            add_row(metrics, m.key, format_metric(m.value), m.step, format_time(m.timestamp))
        out.print(metrics)
    if run.data.tags:
        out.print(key_value_table("Tags", run.data.tag_dict))
    if run.inputs.dataset_inputs:
        datasets = new_table("Name", "Digest", "Context", "Source type", "Source", title="Datasets")
        for item in run.inputs.dataset_inputs:
            ds = item.dataset
            add_row(datasets, ds.name, ds.digest, item.context or "-", ds.source_type, ds.source)
        out.print(datasets)


@runs_group.command("delete")
@click.argument("run_id")
@pass_state
def delete_cmd(state: CliState, run_id: str) -> None:
    """Soft-delete a run (restore it with 'restore')."""
    with hint_on(ResourceDoesNotExist, _RUN_HINT):
        state.client().delete_run(run_id)
    click.echo(f"Deleted run {run_id}. Undo with: cairn runs restore {run_id}")


@runs_group.command("restore")
@click.argument("run_id")
@pass_state
def restore_cmd(state: CliState, run_id: str) -> None:
    """Restore a deleted run."""
    with hint_on(ResourceDoesNotExist, _RUN_HINT):
        state.client().restore_run(run_id)
    click.echo(f"Restored run {run_id}.")
