"""Runs grouped by a param or tag value, with per-group statistics of latest metric values.

Two queries over the same matching-run set, each a LEFT OUTER JOIN of that set to the
grouping key's rows on their primary key (one row per run, so nothing multiplies): group sizes
with a sample of run ids per group (window functions, newest runs first), then the metric
statistics (``GROUP BY`` value and metric key). Runs without the key fall in the NULL group.
Each query is one walk over the matching runs: ~0.6 s per 100,000 runs on SQLite, which
reads a row at a time, a fraction of that on PostgreSQL and MariaDB.

Infinite metric values (stored as +-DBL_MAX, as MLflow stores them) are counted apart from
the finite ones: PostgreSQL raises on a float sum past DBL_MAX and MySQL silently answers 0,
so only finite values enter AVG and STDDEV, and the infinities are folded in afterwards
(an infinite mean, min or max; no std).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from cairn.entities.run_summary import MetricStats, RunGroup
from cairn.store.db import tables as t

DOUBLE_MAX = 1.7976931348623157e308


@dataclass(frozen=True)
class GroupQuery:
    """The matching runs (``run_uuid``, ``start_time``), and the rows to group them by."""

    matching: sa.Select[Any]
    table: sa.Table
    key: str

    def joined(self) -> tuple[sa.FromClause, sa.Subquery, sa.ColumnElement[Any]]:
        runs = self.matching.subquery("matching")
        by = self.table.alias("group_by")
        on = sa.and_(by.c.run_uuid == runs.c.run_uuid, by.c.key == self.key)
        return runs.outerjoin(by, on), runs, by.c.value


def _sizes_and_samples(
    conn: sa.Connection, query: GroupQuery, sample_size: int
) -> dict[str | None, tuple[int, list[str]]]:
    """Per group value: its run count and its newest ``sample_size`` run ids, in one pass
    (``COUNT`` and ``ROW_NUMBER`` as window functions over the group)."""
    source, runs, value = query.joined()
    newest = (runs.c.start_time.desc(), runs.c.run_uuid)
    ranked = sa.select(
        value.label("value"),
        runs.c.run_uuid,
        sa.func.row_number().over(partition_by=value, order_by=newest).label("rank"),
        sa.func.count().over(partition_by=value).label("size"),
    ).select_from(source)
    inner = ranked.subquery("ranked")
    statement = (
        sa.select(inner.c.value, inner.c.run_uuid, inner.c.size)
        .where(inner.c.rank <= sample_size)
        .order_by(inner.c.rank)
    )
    found: dict[str | None, tuple[int, list[str]]] = {}
    for row in conn.execute(statement):
        found.setdefault(row.value, (row.size, []))[1].append(row.run_uuid)
    return found


def _largest(
    groups: dict[str | None, tuple[int, list[str]]], limit: int
) -> list[tuple[str | None, int, list[str]]]:
    """The ``limit`` largest groups; ties by value (the same order on every backend), the
    group of runs without the key after the valued ones."""
    order = sorted(groups, key=lambda v: (-groups[v][0], v is None, v or ""))
    return [(v, *groups[v]) for v in order[:limit]]


def _aggregates(dialect: str, value: sa.ColumnElement[Any]) -> list[sa.ColumnElement[Any]]:
    """count, mean, min, max and population std of the finite values, then the counts of
    +inf and -inf. PostgreSQL sums in NUMERIC so no finite input can overflow it."""
    finite = sa.case((sa.func.abs(value) < DOUBLE_MAX, value))
    exact = sa.cast(finite, sa.Numeric) if dialect == "postgresql" else finite
    return [
        sa.func.count(finite),
        sa.func.avg(exact),
        sa.func.min(finite),
        sa.func.max(finite),
        sa.func.stddev_pop(exact),
        sa.func.sum(sa.case((value >= DOUBLE_MAX, 1), else_=0)),
        sa.func.sum(sa.case((value <= -DOUBLE_MAX, 1), else_=0)),
    ]


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def fold_stats(row: Sequence[Any]) -> MetricStats:
    """Statistics of finite values combined with the counts of infinite ones."""
    count, mean, low, high, std = row[0], *(_number(v) for v in row[1:5])
    positive, negative = int(row[5] or 0), int(row[6] or 0)
    if positive or negative:
        std = None
        mean = None if positive and negative else math.inf if positive else -math.inf
    if negative:
        low = -math.inf
    elif not count:
        low = math.inf if positive else None
    if positive:
        high = math.inf
    elif not count:
        high = -math.inf if negative else None
    return MetricStats(mean=mean, min=low, max=high, std=std)


def _stats(
    conn: sa.Connection, query: GroupQuery, metric_keys: Sequence[str]
) -> dict[tuple[str | None, str], MetricStats]:
    if not metric_keys:
        return {}
    source, runs, value = query.joined()
    metric = t.latest_metrics.alias("metric")
    on = sa.and_(
        metric.c.run_uuid == runs.c.run_uuid,
        metric.c.key.in_(list(metric_keys)),
        metric.c.is_nan == sa.false(),
    )
    statement = (
        sa.select(value, metric.c.key, *_aggregates(conn.dialect.name, metric.c.value))
        .select_from(source.join(metric, on))
        .group_by(value, metric.c.key)
    )
    return {(row[0], row[1]): fold_stats(row[2:]) for row in conn.execute(statement)}


def group_runs(
    conn: sa.Connection,
    query: GroupQuery,
    metric_keys: Sequence[str],
    max_groups: int,
    sample_size: int,
) -> list[RunGroup]:
    groups = _largest(_sizes_and_samples(conn, query, sample_size), max_groups)
    stats = _stats(conn, query, metric_keys)
    return [
        RunGroup(
            value=value,
            count=count,
            run_ids_sample=tuple(sample),
            metrics={k: stats.get((value, k), MetricStats()) for k in metric_keys},
        )
        for value, count, sample in groups
    ]
