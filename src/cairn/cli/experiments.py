"""``cairn experiments``: create, list, inspect, rename, delete and restore experiments."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cairn.cli._context import CliState, pass_state
from cairn.cli._errors import hint_on
from cairn.cli._options import VIEWS, json_option, paging_options, parse_tags, view_option
from cairn.cli._output import (
    add_row,
    console,
    echo_json,
    format_time,
    key_value_table,
    new_table,
)
from cairn.cli._paging import collect
from cairn.cli._render import experiment_json
from cairn.entities import Experiment, LifecycleStage
from cairn.errors import ResourceDoesNotExist

if TYPE_CHECKING:
    from rich.table import Table

_LIST_HINT = "List experiment ids with: cairn experiments list --view all"


@click.group(name="experiments")
def experiments_group() -> None:
    """Manage experiments (named groups of runs)."""


@experiments_group.command("create")
@click.argument("name")
@click.option("-l", "--artifact-location", default=None, help="Root URI for the runs' artifacts.")
@click.option(
    "-t",
    "--tag",
    "tags",
    multiple=True,
    callback=parse_tags,
    metavar="KEY=VALUE",
    help="Tag the experiment (repeatable).",
)
@json_option
@pass_state
def create_cmd(
    state: CliState,
    name: str,
    artifact_location: str | None,
    tags: dict[str, str],
    as_json: bool,
) -> None:
    """Create an experiment called NAME and print its id."""
    experiment_id = state.client().create_experiment(name, artifact_location, tags)
    if as_json:
        echo_json({"experiment_id": experiment_id})
    else:
        click.echo(f"Created experiment {name!r} with id {experiment_id}.")


@experiments_group.command("list")
@view_option
@click.option("--filter", "filter_string", default=None, help="e.g. \"name LIKE 'prod-%'\".")
@click.option(
    "--order-by", multiple=True, help="e.g. 'name ASC' or 'creation_time DESC' (repeatable)."
)
@paging_options
@json_option
@pass_state
def list_cmd(
    state: CliState,
    view: str,
    filter_string: str | None,
    order_by: tuple[str, ...],
    max_results: int | None,
    page_token: str | None,
    as_json: bool,
) -> None:
    """List experiments."""
    client = state.client()
    found, token = collect(
        lambda size, tok: client.search_experiments(
            VIEWS[view.lower()], size, filter_string, order_by, tok
        ),
        max_results,
        page_token,
    )
    if as_json:
        echo_json({"experiments": [experiment_json(e) for e in found], "next_page_token": token})
        return
    table = new_table("ID", "Name", "Stage", "Artifact location", "Created", keep=("ID",))
    for exp in found:
        add_row(
            table,
            exp.experiment_id,
            exp.name,
            exp.lifecycle_stage.value,
            exp.artifact_location,
            format_time(exp.creation_time),
        )
    out = console()
    out.print(table)
    if token is not None:
        out.print(f"[dim]More experiments exist; continue with --page-token {token}[/dim]")


@experiments_group.command("get")
@click.argument("experiment_id")
@json_option
@pass_state
def get_cmd(state: CliState, experiment_id: str, as_json: bool) -> None:
    """Show one experiment and its tags."""
    with hint_on(ResourceDoesNotExist, _LIST_HINT):
        exp = state.client().get_experiment(experiment_id)
    if as_json:
        echo_json({"experiment": experiment_json(exp)})
        return
    out = console()
    out.print(_describe_table(exp))
    if exp.tags:
        out.print(key_value_table("Tags", exp.tag_dict))


def _describe_table(exp: Experiment) -> Table:
    return key_value_table(
        f"Experiment {exp.experiment_id}",
        {
            "name": exp.name,
            "lifecycle_stage": exp.lifecycle_stage.value,
            "artifact_location": exp.artifact_location,
            "creation_time": format_time(exp.creation_time),
            "last_update_time": format_time(exp.last_update_time),
        },
    )


@experiments_group.command("rename")
@click.argument("experiment_id")
@click.argument("new_name")
@pass_state
def rename_cmd(state: CliState, experiment_id: str, new_name: str) -> None:
    """Rename an active experiment."""
    with hint_on(ResourceDoesNotExist, _LIST_HINT):
        state.client().rename_experiment(experiment_id, new_name)
    click.echo(f"Renamed experiment {experiment_id} to {new_name!r}.")


@experiments_group.command("delete")
@click.argument("experiment_id")
@pass_state
def delete_cmd(state: CliState, experiment_id: str) -> None:
    """Soft-delete an experiment and its runs (restore them with 'restore')."""
    _set_stage(state, experiment_id, LifecycleStage.DELETED)


@experiments_group.command("restore")
@click.argument("experiment_id")
@pass_state
def restore_cmd(state: CliState, experiment_id: str) -> None:
    """Restore a deleted experiment and its runs."""
    _set_stage(state, experiment_id, LifecycleStage.ACTIVE)


def _set_stage(state: CliState, experiment_id: str, stage: LifecycleStage) -> None:
    """Delete or restore; an experiment already in ``stage`` is reported, not an error."""
    client = state.client()
    with hint_on(ResourceDoesNotExist, _LIST_HINT):
        exp = client.get_experiment(experiment_id)
    if exp.lifecycle_stage is stage:
        click.echo(f"Experiment {exp.experiment_id} ({exp.name!r}) is already {stage.value}.")
        return
    if stage is LifecycleStage.DELETED:
        client.delete_experiment(experiment_id)
        click.echo(
            f"Deleted experiment {exp.experiment_id} ({exp.name!r}) and its runs. "
            f"Undo with: cairn experiments restore {exp.experiment_id}"
        )
    else:
        client.restore_experiment(experiment_id)
        click.echo(f"Restored experiment {exp.experiment_id} ({exp.name!r}) and its runs.")
