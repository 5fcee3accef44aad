"""Helpers shared by the benchmark scripts: output, timing statistics, scratch directories."""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

# Wide enough for the result tables when the output is piped to a file.
console = Console(highlight=False, width=None if sys.stdout.isatty() else 150)


def data_dir(path: str | None, prefix: str) -> Path:
    """The benchmark's tracking directory: the given one, or a fresh temporary one."""
    if path:
        target = Path(path).expanduser().resolve()
        target.mkdir(parents=True, exist_ok=True)
        return target
    return Path(tempfile.mkdtemp(prefix=prefix))


def machine_line() -> str:
    """One line naming the machine, so pasted figures say where they came from."""
    import sqlite3

    import sqlalchemy

    import cairn

    return (
        f"{dt.date.today().isoformat()} | {platform.platform()} | {os.cpu_count()} CPUs | "
        f"Python {platform.python_version()} | SQLite {sqlite3.sqlite_version} | "
        f"SQLAlchemy {sqlalchemy.__version__} | cairn {cairn.__version__}"
    )


def db_size_mb(directory: Path) -> float:
    """Size of the embedded database (main file plus WAL), in MiB."""
    total = sum(p.stat().st_size for p in directory.glob("*.db*") if p.is_file())
    return total / 2**20


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sample."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def latency_stats(seconds: Sequence[float]) -> tuple[float, float, float, float]:
    """(p50, p95, max, mean) in milliseconds."""
    ms = [s * 1000 for s in seconds]
    return statistics.median(ms), percentile(ms, 95), max(ms), statistics.fmean(ms)


def fmt_rate(value: float) -> str:
    return f"{value:,.0f}"


def fmt_duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    if seconds < 120:
        return f"{seconds:.2f} s"
    return f"{seconds / 60:.1f} min"


def new_table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left")
    for i, name in enumerate(columns):
        table.add_column(name, justify="left" if i == 0 else "right")
    return table
