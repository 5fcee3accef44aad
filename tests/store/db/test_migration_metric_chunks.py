"""Revision 0003 moves metric points into chunk rows without losing or changing one."""

from __future__ import annotations

import math
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from cairn.store.db import migrate
from cairn.store.db.engine import create_db_engine
from cairn.store.tracking.sql.store import SqlTrackingStore

POINTS = [  # (key, step, timestamp, value, is_nan)
    ("loss", 0, 100, 0.9, False),
    ("loss", 1, 200, 0.5, False),
    ("loss", 2, 300, 0.0, True),
    ("loss", 3, 400, 1.7976931348623157e308, False),
    ("acc", 0, 100, 0.1, False),
]


def _engine_at_0002(path: Path) -> sa.Engine:
    engine = create_db_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO experiments (experiment_id, name, artifact_location, "
                "lifecycle_stage, creation_time, last_update_time) "
                "VALUES (7, 'old', '/tmp/a', 'active', 0, 0)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, "
                "lifecycle_stage, artifact_uri) "
                "VALUES ('r1', 7, 'n', 'u', 'FINISHED', 0, 'active', '/tmp/a/r1')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO metrics (run_uuid, key, step, timestamp, value, is_nan) "
                "VALUES ('r1', :key, :step, :ts, :value, :nan)"
            ),
            [dict(zip(("key", "step", "ts", "value", "nan"), p, strict=True)) for p in POINTS],
        )
    return engine


def _as_tuples(store: SqlTrackingStore, key: str) -> list[tuple[int, int, float]]:
    return [(m.step, m.timestamp, m.value) for m in store.get_metric_history("r1", key)]


def test_upgrade_keeps_every_point_in_history_order(tmp_path: Path) -> None:
    engine = _engine_at_0002(tmp_path / "old.db")
    migrate.upgrade(engine)
    store = SqlTrackingStore(engine, str(tmp_path / "art"))
    try:
        loss = _as_tuples(store, "loss")
        assert [p[:2] for p in loss] == [(0, 100), (1, 200), (2, 300), (3, 400)]
        assert loss[0][2] == 0.9 and math.isnan(loss[2][2]) and loss[3][2] == POINTS[3][3]
        assert _as_tuples(store, "acc") == [(0, 100, 0.1)]
        assert "metrics" not in sa.inspect(store.engine).get_table_names()
    finally:
        engine.dispose()


def test_downgrade_restores_one_row_per_point(tmp_path: Path) -> None:
    engine = _engine_at_0002(tmp_path / "old.db")
    migrate.upgrade(engine)
    with engine.begin() as conn:
        command.downgrade(migrate._alembic_config(conn), "0002")  # type: ignore[arg-type]
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT key, step, timestamp, value, is_nan FROM metrics")
        ).all()
    engine.dispose()
    assert sorted((r.key, r.step, r.timestamp, r.value, bool(r.is_nan)) for r in rows) == sorted(
        POINTS
    )
