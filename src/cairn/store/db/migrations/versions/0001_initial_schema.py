"""Initial schema: experiments, runs, params, tags, metrics, datasets, inputs.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from cairn.store.db.types import LongText, Str

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "experiments",
        sa.Column("experiment_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", Str(500), nullable=False),
        sa.Column("artifact_location", Str(2048), nullable=False),
        sa.Column("lifecycle_stage", Str(32), nullable=False),
        sa.Column("creation_time", sa.BigInteger(), nullable=False),
        sa.Column("last_update_time", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("experiment_id", name=op.f("pk_experiments")),
        sa.UniqueConstraint("name", name=op.f("uq_experiments_name")),
        mysql_charset="utf8mb4",
        mysql_engine="InnoDB",
        sqlite_autoincrement=True,
    )
    op.create_table(
        "inputs",
        sa.Column("input_uuid", Str(36), nullable=False),
        sa.Column("source_type", Str(36), nullable=False),
        sa.Column("source_id", Str(36), nullable=False),
        sa.Column("destination_type", Str(36), nullable=False),
        sa.Column("destination_id", Str(36), nullable=False),
        sa.PrimaryKeyConstraint("input_uuid", name=op.f("pk_inputs")),
        sa.UniqueConstraint(
            "source_type",
            "source_id",
            "destination_type",
            "destination_id",
            name=op.f("uq_inputs_source_type_source_id_destination_type_destination_id"),
        ),
        mysql_charset="utf8mb4",
        mysql_engine="InnoDB",
    )
    with op.batch_alter_table("inputs", schema=None) as batch_op:
        batch_op.create_index("ix_inputs_destination_id", ["destination_id"], unique=False)

    op.create_table(
        "datasets",
        sa.Column("dataset_uuid", Str(36), nullable=False),
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.Column("name", Str(500), nullable=False),
        sa.Column("digest", Str(36), nullable=False),
        sa.Column("source_type", Str(36), nullable=False),
        sa.Column("source", LongText(), nullable=False),
        sa.Column("schema", LongText(), nullable=True),
        sa.Column("profile", LongText(), nullable=True),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiments.experiment_id"],
            name=op.f("fk_datasets_experiment_id_experiments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dataset_uuid", name=op.f("pk_datasets")),
        sa.UniqueConstraint(
            "experiment_id", "name", "digest", name=op.f("uq_datasets_experiment_id_name_digest")
        ),
        mysql_charset="utf8mb4",
        mysql_engine="InnoDB",
    )
    op.create_table(
        "experiment_tags",
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.Column("key", Str(250), nullable=False),
        sa.Column("value", LongText(), nullable=False),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiments.experiment_id"],
            name=op.f("fk_experiment_tags_experiment_id_experiments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("experiment_id", "key", name=op.f("pk_experiment_tags")),
        mysql_charset="utf8mb4",
        mysql_engine="InnoDB",
    )
    op.create_table(
        "input_tags",
        sa.Column("input_uuid", Str(36), nullable=False),
        sa.Column("name", Str(255), nullable=False),
        sa.Column("value", Str(500), nullable=False),
        sa.ForeignKeyConstraint(
            ["input_uuid"],
            ["inputs.input_uuid"],
            name=op.f("fk_input_tags_input_uuid_inputs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("input_uuid", "name", name=op.f("pk_input_tags")),
        mysql_charset="utf8mb4",
        mysql_engine="InnoDB",
    )
    op.create_table(
        "runs",
        sa.Column("run_uuid", Str(32), nullable=False),
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.Column("name", Str(250), nullable=False),
        sa.Column("user_id", Str(256), nullable=False),
        sa.Column("status", Str(20), nullable=False),
        sa.Column("start_time", sa.BigInteger(), nullable=False),
        sa.Column("end_time", sa.BigInteger(), nullable=True),
        sa.Column("deleted_time", sa.BigInteger(), nullable=True),
        sa.Column("lifecycle_stage", Str(20), nullable=False),
        sa.Column("artifact_uri", Str(2200), nullable=False),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiments.experiment_id"],
            name=op.f("fk_runs_experiment_id_experiments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_uuid", name=op.f("pk_runs")),
        mysql_charset="utf8mb4",
        mysql_engine="InnoDB",
    )
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_runs_experiment_id_start_time", ["experiment_id", "start_time"], unique=False
        )

    op.create_table(
        "latest_metrics",
        sa.Column("run_uuid", Str(32), nullable=False),
        sa.Column("key", Str(250), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("timestamp", sa.BigInteger(), nullable=False),
        sa.Column("step", sa.BigInteger(), nullable=False),
        sa.Column("is_nan", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_uuid"],
            ["runs.run_uuid"],
            name=op.f("fk_latest_metrics_run_uuid_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_uuid", "key", name=op.f("pk_latest_metrics")),
        mysql_charset="utf8mb4",
        mysql_engine="InnoDB",
    )
    with op.batch_alter_table("latest_metrics", schema=None) as batch_op:
        batch_op.create_index("ix_latest_metrics_key_value", ["key", "value"], unique=False)

    op.create_table(
        "metrics",
        sa.Column("run_uuid", Str(32), nullable=False),
        sa.Column("key", Str(250), nullable=False),
        sa.Column("step", sa.BigInteger(), nullable=False),
        sa.Column("timestamp", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("is_nan", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_uuid"],
            ["runs.run_uuid"],
            name=op.f("fk_metrics_run_uuid_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "run_uuid", "key", "step", "timestamp", "value", "is_nan", name=op.f("pk_metrics")
        ),
        mysql_charset="utf8mb4",
        mysql_engine="InnoDB",
    )
    op.create_table(
        "params",
        sa.Column("run_uuid", Str(32), nullable=False),
        sa.Column("key", Str(250), nullable=False),
        sa.Column("value", Str(6000), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_uuid"],
            ["runs.run_uuid"],
            name=op.f("fk_params_run_uuid_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_uuid", "key", name=op.f("pk_params")),
        mysql_charset="utf8mb4",
        mysql_engine="InnoDB",
    )
    if op.get_bind().dialect.name == "postgresql":  # B-tree entries cap near 2.7 KB there
        op.create_index("ix_params_key", "params", ["key"], unique=False)
    else:
        op.create_index(
            "ix_params_key_value", "params", ["key", "value"], mysql_length={"value": 255}
        )

    op.create_table(
        "tags",
        sa.Column("run_uuid", Str(32), nullable=False),
        sa.Column("key", Str(250), nullable=False),
        sa.Column("value", LongText(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_uuid"], ["runs.run_uuid"], name=op.f("fk_tags_run_uuid_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("run_uuid", "key", name=op.f("pk_tags")),
        mysql_charset="utf8mb4",
        mysql_engine="InnoDB",
    )


def downgrade() -> None:
    op.drop_table("tags")
    op.drop_table("params")
    op.drop_table("metrics")
    with op.batch_alter_table("latest_metrics", schema=None) as batch_op:
        batch_op.drop_index("ix_latest_metrics_key_value")

    op.drop_table("latest_metrics")
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.drop_index("ix_runs_experiment_id_start_time")

    op.drop_table("runs")
    op.drop_table("input_tags")
    op.drop_table("experiment_tags")
    op.drop_table("datasets")
    with op.batch_alter_table("inputs", schema=None) as batch_op:
        batch_op.drop_index("ix_inputs_destination_id")

    op.drop_table("inputs")
    op.drop_table("experiments")
