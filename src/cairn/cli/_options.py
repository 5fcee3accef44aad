"""Options shared by several commands, so they are spelled and documented the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from cairn.entities import ViewType

F = TypeVar("F", bound=Callable[..., Any])

VIEWS = {"active": ViewType.ACTIVE_ONLY, "deleted": ViewType.DELETED_ONLY, "all": ViewType.ALL}


def json_option(func: F) -> F:
    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        help="Print machine-readable JSON instead of a table.",
    )(func)


def view_option(func: F) -> F:
    return click.option(
        "--view",
        type=click.Choice(list(VIEWS), case_sensitive=False),
        default="active",
        show_default=True,
        help="Which lifecycle stage to list.",
    )(func)


def paging_options(func: F) -> F:
    func = click.option(
        "--page-token",
        default=None,
        help="Continue a listing from the next_page_token of an earlier --json answer.",
    )(func)
    return click.option(
        "--max-results",
        type=click.IntRange(min=1),
        default=None,
        help="List at most N items (default: all).",
    )(func)


def parse_tags(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> dict[str, str]:
    """Turn repeated ``--tag key=value`` into a dict; a missing ``=`` is a usage error."""
    tags: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected KEY=VALUE, got {item!r}.")
        tags[key] = value
    return tags
