"""Human output: rich tables on stdout, JSON for scripts, and compact value formatting.

rich is imported inside the functions so that loading the command line stays cheap. Cells are
passed as ``Text``, never as markup: an experiment called ``[red]x`` must print as written.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table


def echo_json(payload: Mapping[str, Any]) -> None:
    """Two-space indented JSON; ``allow_nan=False`` guards the NaN-as-string convention."""
    click.echo(json.dumps(payload, indent=2, allow_nan=False))


#: Width used when writing to a pipe or file, instead of rich's 80 columns, so that ids and
#: timestamps in a saved listing are not folded; COLUMNS still wins when set.
PIPE_WIDTH = 200


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    out = Console(stderr=stderr, highlight=False)
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out.width = PIPE_WIDTH
    return out


def new_table(*headers: str, title: str | None = None, keep: tuple[str, ...] = ()) -> Table:
    """A table whose ``keep`` columns (ids, times) are not wrapped; the others fold."""
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    for header in headers:
        if header in keep:
            table.add_column(header, no_wrap=True, overflow="fold", min_width=len(header))
        else:
            table.add_column(header, overflow="fold")
    return table


def add_row(table: Table, *cells: object) -> None:
    from rich.text import Text

    table.add_row(*(Text("" if c is None else str(c)) for c in cells))


def key_value_table(title: str, rows: Mapping[str, object]) -> Table:
    table = new_table("Key", "Value", title=title)
    for key, value in rows.items():
        add_row(table, key, value)
    return table


def format_time(ms: int | None, seconds: bool = True) -> str:
    """Epoch milliseconds as local wall time, to the second (or minute)."""
    if ms is None:
        return "-"
    pattern = "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
    return datetime.fromtimestamp(ms / 1000).strftime(pattern)


def format_duration(start_ms: int | None, end_ms: int | None) -> str:
    if start_ms is None or end_ms is None:
        return "-"
    ms = max(0, end_ms - start_ms)
    if ms < 1000:
        return f"{ms}ms"
    seconds = ms / 1000
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h {minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours:02d}h"


def format_metric(value: float) -> str:
    """Short, but without hiding magnitude: 0.1235, 1.235e+06, NaN, inf."""
    return "NaN" if math.isnan(value) else f"{value:.4g}"
