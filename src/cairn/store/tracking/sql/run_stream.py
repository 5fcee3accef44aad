"""Every run of a search, streamed: the ordered id query runs once on a server-side cursor
(``stream_results``), and each chunk of ids is hydrated on a second connection.

One ordered query instead of offset pages: a page at offset N makes the database sort and skip
N runs again, which over a million runs is quadratic. Two connections because MySQL cannot run
another statement on a connection whose streaming cursor is still open.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from cairn.entities import Run
from cairn.store.tracking.sql.mapping import load_runs

CHUNK_RUNS = 500


def stream_runs(engine: sa.Engine, query: sa.Select[Any]) -> Iterator[Run]:
    """The runs whose ids ``query`` selects, in its order, ``CHUNK_RUNS`` at a time."""
    with engine.connect() as ids_conn, engine.connect() as data_conn:
        streaming = ids_conn.execution_options(stream_results=True, yield_per=CHUNK_RUNS)
        result = streaming.execute(query)
        for part in result.partitions(CHUNK_RUNS):
            yield from load_runs(data_conn, [row[0] for row in part])
