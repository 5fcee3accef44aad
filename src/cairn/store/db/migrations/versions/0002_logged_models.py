"""Logged models (MLflow 3.x): models, their tags, params and metrics, and run inputs/outputs.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from cairn.store.db.types import LongText, Str

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _model_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["model_id"],
        ["logged_models.model_id"],
        name=op.f(f"fk_{table}_model_id_logged_models"),
        ondelete="CASCADE",
    )


def _run_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["run_uuid"],
        ["runs.run_uuid"],
        name=op.f(f"fk_{table}_run_uuid_runs"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "logged_models",
        sa.Column("model_id", Str(36), nullable=False),
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.Column("name", Str(500), nullable=False),
        sa.Column("artifact_location", Str(2200), nullable=False),
        sa.Column("creation_timestamp", sa.BigInteger(), nullable=False),
        sa.Column("last_updated_timestamp", sa.BigInteger(), nullable=False),
        sa.Column("status", Str(32), nullable=False),
        sa.Column("lifecycle_stage", Str(32), nullable=False),
        sa.Column("model_type", Str(500), nullable=True),
        sa.Column("source_run_id", Str(32), nullable=True),
        sa.Column("status_message", Str(1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiments.experiment_id"],
            name=op.f("fk_logged_models_experiment_id_experiments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("model_id", name=op.f("pk_logged_models")),
        mysql_charset="utf8mb4",
        mysql_engine="InnoDB",
    )
    op.create_index(
        "ix_logged_models_experiment_id_creation_timestamp",
        "logged_models",
        ["experiment_id", "creation_timestamp"],
    )
    for name in ("logged_model_tags", "logged_model_params"):
        op.create_table(
            name,
            sa.Column("model_id", Str(36), nullable=False),
            sa.Column("key", Str(255), nullable=False),
            sa.Column("value", LongText(), nullable=False),
            _model_fk(name),
            sa.PrimaryKeyConstraint("model_id", "key", name=op.f(f"pk_{name}")),
            mysql_charset="utf8mb4",
            mysql_engine="InnoDB",
        )
    op.create_table(
        "logged_model_metrics",
        sa.Column("model_id", Str(36), nullable=False),
        sa.Column("key", Str(250), nullable=False),
        sa.Column("timestamp", sa.BigInteger(), nullable=False),
        sa.Column("step", sa.BigInteger(), nullable=False),
        sa.Column("run_uuid", Str(32), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("is_nan", sa.Boolean(), nullable=False),
        sa.Column("dataset_name", Str(500), nullable=True),
        sa.Column("dataset_digest", Str(36), nullable=True),
        _model_fk("logged_model_metrics"),
        _run_fk("logged_model_metrics"),
        sa.PrimaryKeyConstraint(
            "model_id",
            "key",
            "timestamp",
            "step",
            "run_uuid",
            name=op.f("pk_logged_model_metrics"),
        ),
        mysql_charset="utf8mb4",
        mysql_engine="InnoDB",
    )
    op.create_index(
        "ix_logged_model_metrics_key_model_id", "logged_model_metrics", ["key", "model_id"]
    )
    op.create_index("ix_logged_model_metrics_run_uuid", "logged_model_metrics", ["run_uuid"])
    op.create_table(
        "run_model_inputs",
        sa.Column("run_uuid", Str(32), nullable=False),
        sa.Column("model_id", Str(36), nullable=False),
        _model_fk("run_model_inputs"),
        _run_fk("run_model_inputs"),
        sa.PrimaryKeyConstraint("run_uuid", "model_id", name=op.f("pk_run_model_inputs")),
        mysql_charset="utf8mb4",
        mysql_engine="InnoDB",
    )
    op.create_index("ix_run_model_inputs_model_id", "run_model_inputs", ["model_id"])
    op.create_table(
        "run_model_outputs",
        sa.Column("run_uuid", Str(32), nullable=False),
        sa.Column("model_id", Str(36), nullable=False),
        sa.Column("step", sa.BigInteger(), nullable=False),
        _model_fk("run_model_outputs"),
        _run_fk("run_model_outputs"),
        sa.PrimaryKeyConstraint("run_uuid", "model_id", "step", name=op.f("pk_run_model_outputs")),
        mysql_charset="utf8mb4",
        mysql_engine="InnoDB",
    )
    op.create_index("ix_run_model_outputs_model_id", "run_model_outputs", ["model_id"])


def downgrade() -> None:
    # Indexes go with their tables; dropping one first would fail on MySQL, where it backs a
    # foreign key.
    for name in (
        "run_model_outputs",
        "run_model_inputs",
        "logged_model_metrics",
        "logged_model_params",
        "logged_model_tags",
        "logged_models",
    ):
        op.drop_table(name)
