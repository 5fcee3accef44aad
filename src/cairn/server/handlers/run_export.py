"""``POST /api/2.0/cairn/runs/export``: every run of a search as a CSV download.

The file is streamed as the store produces runs, a chunk at a time, so exporting a million
runs costs neither the server's memory nor a wait before the first byte. Cells are made safe
for spreadsheets (OWASP "CSV injection"): text starting with ``= + - @``, a tab or a carriage
return gets a leading ``'`` so Excel or Sheets show it instead of running it as a formula;
numbers, negative ones included, are written as numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from starlette.responses import StreamingResponse

from cairn.entities import Run
from cairn.errors import InvalidParameterValue
from cairn.server.handlers._shared import run_scope
from cairn.server.params import Params
from cairn.server.state import ServerState
from cairn.wire.encode import encode_float

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
FIXED_COLUMNS = ("run_id", "name", "status", "start_time", "end_time", "duration_s", "user")
SOURCE_TAG, USER_TAG = "mlflow.source.name", "mlflow.user"
ROWS_PER_CHUNK = 500

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def safe_cell(text: str) -> str:
    """``text`` as a spreadsheet shows it literally: formula-like text gets a leading ``'``.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("-0.5"), safe_cell("a=b")
    ("'=HYPERLINK(1)", '-0.5', 'a=b')
    """
    if text.startswith(_FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


@dataclass(frozen=True)
class ExportColumns:
    params: tuple[str, ...]
    metrics: tuple[str, ...]
    tags: tuple[str, ...]

    def header(self) -> list[str]:
        return [
            *FIXED_COLUMNS,
            "source",
            *(safe_cell(f"params.{k}") for k in self.params),
            *(safe_cell(f"metrics.{k}") for k in self.metrics),
            *(safe_cell(f"tags.{k}") for k in self.tags),
        ]


def _iso(ms: int | None) -> str:
    if ms is None:
        return ""
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).isoformat(timespec="milliseconds")


def _number(value: float | None) -> str:
    if value is None:
        return ""
    encoded = encode_float(value)
    return encoded if isinstance(encoded, str) else repr(encoded)


def csv_row(run: Run, columns: ExportColumns) -> list[Any]:
    """One run as cells in the order of ``columns.header()``."""
    info, data = run.info, run.data
    tags, params = data.tag_dict, {p.key: p.value for p in data.params}
    latest = {m.key: m.value for m in data.metrics}
    duration = None if info.end_time is None else (info.end_time - info.start_time) / 1000
    return [
        info.run_id,
        safe_cell(info.run_name),
        info.status.name,
        _iso(info.start_time),
        _iso(info.end_time),
        _number(duration),
        safe_cell(info.user_id or tags.get(USER_TAG, "")),
        safe_cell(tags.get(SOURCE_TAG, "")),
        *(safe_cell(params.get(k, "")) for k in columns.params),
        *(_number(latest.get(k)) for k in columns.metrics),
        *(safe_cell(tags.get(k, "")) for k in columns.tags),
    ]


def csv_chunks(runs: Iterator[Run], columns: ExportColumns) -> Iterator[bytes]:
    """The CSV text in pieces of ``ROWS_PER_CHUNK`` rows, header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns.header())
    for count, run in enumerate(runs, 1):
        writer.writerow(csv_row(run, columns))
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _names(chosen: dict[str, Any], kind: str) -> tuple[str, ...]:
    names = chosen.get(kind) or []
    if not isinstance(names, list):
        raise InvalidParameterValue(f"columns.{kind} must be a list of keys.")
    return tuple(dict.fromkeys(str(k) for k in names))


def _columns(state: ServerState, params: Params, experiment_ids: Sequence[str]) -> ExportColumns:
    """The requested columns; without ``columns``, every param and metric key of the
    experiments (and no tags beyond user and source)."""
    chosen = params.raw("columns")
    if chosen is not None and not isinstance(chosen, dict):
        raise InvalidParameterValue("columns must be an object: {params, metrics, tags}.")
    if chosen is not None:
        return ExportColumns(
            _names(chosen, "params"), _names(chosen, "metrics"), _names(chosen, "tags")
        )
    found = state.store.run_keys(experiment_ids)
    return ExportColumns(found.param_keys, found.metric_keys, ())


def export(state: ServerState, params: Params) -> StreamingResponse:
    """Stream every matching run as CSV (``Content-Disposition: attachment``)."""
    experiment_ids, filter_string, view_type = run_scope(params)
    runs = state.store.iter_runs(
        experiment_ids,
        filter_string,
        view_type,
        order_by=[str(o) for o in params.values("order_by")],
    )
    columns = _columns(state, params, experiment_ids)
    return StreamingResponse(
        csv_chunks(runs, columns),
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": 'attachment; filename="runs.csv"'},
    )
