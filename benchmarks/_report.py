"""Result rows, targets and tables of ``ingest.py`` (``fmt_value`` serves both side-by-sides).

A measurement is recorded into a named table row per server; a failing workload records
``error`` (or ``LOST DATA``) in its cell and the others go on. The speed-up column reads
"> 1 = cairn faster": cairn/mlflow for rates, mlflow/cairn for times.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from _common import console, fmt_duration, fmt_rate, new_table

# result tables, printed in this order
INGEST = "Ingest through the MLflow API"
READS = "Reading metrics"
OWN = "Fluent logging, cairn's own client (mlflow: MLFLOW_ENABLE_ASYNC_LOGGING=true)"
START = "Start-up and import"
NO_EQUIVALENT = "no equivalent"


class LostData(Exception):
    """A read-back found missing, extra or wrong points."""


@dataclass(frozen=True)
class Target:
    text: str
    check: Callable[[float | None, float | None], bool | None]  # (mlflow, cairn) -> met


def cairn_at_least(value: float, unit: str) -> Target:
    return Target(f"cairn >= {value:,g} {unit}", lambda m, c: None if c is None else c >= value)


def cairn_below(value: float, unit: str) -> Target:
    return Target(f"cairn < {value:g} {unit}", lambda m, c: None if c is None else c < value)


@dataclass
class Row:
    label: str
    unit: str
    higher: bool
    target: Target | None = None
    ratio_target: float | None = None
    values: dict[str, float | str] = field(default_factory=dict)

    def number(self, server: str) -> float | None:
        value = self.values.get(server)
        return value if isinstance(value, float) else None

    def speedup(self) -> float | None:
        mlflow, cairn = self.number("mlflow"), self.number("cairn")
        if mlflow is None or cairn is None or min(mlflow, cairn) <= 0:
            return None
        return cairn / mlflow if self.higher else mlflow / cairn

    def met(self) -> bool | None:
        if self.ratio_target is not None:
            ratio = self.speedup()
            return None if ratio is None else ratio >= self.ratio_target
        if self.target is not None:
            return self.target.check(self.number("mlflow"), self.number("cairn"))
        return None


@dataclass
class Results:
    tables: dict[str, dict[str, Row]] = field(
        default_factory=lambda: {title: {} for title in (INGEST, READS, OWN, START)}
    )
    errors: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)

    def row(self, table: str, label: str, unit: str, higher: bool, **target: Any) -> Row:
        rows = self.tables.setdefault(table, {})
        return rows.setdefault(label, Row(label, unit, higher, **target))

    def record(
        self,
        server: str,
        table: str,
        label: str,
        unit: str,
        higher: bool,
        fn: Callable[[], float | str],
        **target: Any,
    ) -> float | None:
        """Measure ``fn`` into a row, creating the row (with its target) on first use."""
        return self.attempt(server, self.row(table, label, unit, higher, **target), fn)

    def record_cairn(
        self,
        table: str,
        label: str,
        unit: str,
        higher: bool,
        fn: Callable[[], float | str],
        mlflow: str = NO_EQUIVALENT,
        **target: Any,
    ) -> float | None:
        """A cairn-only measure; the mlflow cell says why it is empty."""
        row = self.row(table, label, unit, higher, **target)
        row.values["mlflow"] = mlflow
        return self.attempt("cairn", row, fn)

    def attempt(self, server: str, row: Row, fn: Callable[[], float | str]) -> float | None:
        """Run one measurement, recording its value, an error or lost data; never raises."""
        try:
            value = fn()
        except LostData as exc:
            row.values[server] = "LOST DATA"
            self.lost.append(f"{server}: {row.label}: {exc}")
            console.print(f"  !!! {row.label}: DATA LOST: {exc}", style="bold red", markup=False)
            return None
        except Exception as exc:  # one failing workload must not stop the others
            row.values[server] = "error"
            self.errors.append(f"{server}: {row.label}: {type(exc).__name__}: {exc}")
            console.print(f"  {row.label}: {type(exc).__name__}: {exc}", style="red", markup=False)
            console.print(traceback.format_exc(limit=-4), markup=False)
            return None
        row.values[server] = float(value) if isinstance(value, int | float) else value
        shown = fmt_value(row.unit, row.values[server])
        console.print(f"  {row.label}: {shown} {'' if row.unit in ('s', 'ms', 'µs') else row.unit}")
        return row.number(server)


def fmt_value(unit: str, value: float | str | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value if value.startswith("no ") else f"[red]{value}[/red]"
    if unit == "s":
        return fmt_duration(value)
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "µs":
        return f"{value:.2f} µs" if value < 100 else f"{value:,.0f} µs"
    return fmt_rate(value) if value >= 100 else f"{value:.1f}"


def fmt_ratio(ratio: float | None) -> str:
    if ratio is None:
        return "-"
    return f"{ratio:,.0f}x" if ratio >= 100 else f"{ratio:.1f}x" if ratio >= 10 else f"{ratio:.2f}x"


def print_results(results: Results, servers: tuple[str, ...]) -> None:
    for title, rows in results.tables.items():
        if not rows:
            continue
        table = new_table(
            f"{title} (speed-up: > 1 = cairn faster)",
            "measure",
            "unit",
            *servers,
            "speed-up",
            "target",
            "met",
        )
        for row in rows.values():
            target = f">= {row.ratio_target:g}x" if row.ratio_target else ""
            target = target or (row.target.text if row.target else "")
            met = row.met()
            table.add_row(
                row.label,
                row.unit + (" (higher better)" if row.higher else ""),
                *(fmt_value(row.unit, row.values.get(s)) for s in servers),
                fmt_ratio(row.speedup()),
                target,
                "" if met is None else "yes" if met else "[bold red]NO[/bold red]",
            )
        console.print(table)
