"""Model Registry: registered models, versions, their tags and aliases, and the audit history.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from cairn.store.db.types import BigId, LongText, Str

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_MYSQL: dict[str, Any] = {"mysql_charset": "utf8mb4", "mysql_engine": "InnoDB"}


def _registered_model_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["model_key"],
        ["registered_models.model_key"],
        name=op.f(f"fk_{table}_model_key_registered_models"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "registered_models",
        sa.Column("model_key", BigId(), autoincrement=True, nullable=False),
        sa.Column("name", Str(256), nullable=False),
        sa.Column("creation_timestamp", sa.BigInteger(), nullable=False),
        sa.Column("last_updated_timestamp", sa.BigInteger(), nullable=False),
        sa.Column("description", LongText(), nullable=True),
        sa.Column("user_id", Str(256), nullable=True),
        sa.Column("next_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("model_key", name=op.f("pk_registered_models")),
        sa.UniqueConstraint("name", name=op.f("uq_registered_models_name")),
        **_MYSQL,
    )
    op.create_table(
        "registered_model_tags",
        sa.Column("model_key", BigId(), nullable=False),
        sa.Column("key", Str(250), nullable=False),
        sa.Column("value", LongText(), nullable=False),
        _registered_model_fk("registered_model_tags"),
        sa.PrimaryKeyConstraint("model_key", "key", name=op.f("pk_registered_model_tags")),
        **_MYSQL,
    )
    op.create_table(
        "registered_model_aliases",
        sa.Column("model_key", BigId(), nullable=False),
        sa.Column("alias", Str(255), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _registered_model_fk("registered_model_aliases"),
        sa.PrimaryKeyConstraint("model_key", "alias", name=op.f("pk_registered_model_aliases")),
        **_MYSQL,
    )
    op.create_table(
        "model_versions",
        sa.Column("model_key", BigId(), nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("creation_timestamp", sa.BigInteger(), nullable=False),
        sa.Column("last_updated_timestamp", sa.BigInteger(), nullable=False),
        sa.Column("user_id", Str(256), nullable=True),
        sa.Column("current_stage", Str(20), nullable=False),
        sa.Column("description", LongText(), nullable=True),
        sa.Column("source", Str(2200), nullable=False),
        sa.Column("run_id", Str(32), nullable=True),
        sa.Column("run_link", Str(2200), nullable=True),
        sa.Column("status", Str(32), nullable=False),
        sa.Column("status_message", Str(500), nullable=True),
        sa.Column("model_id", Str(36), nullable=True),
        _registered_model_fk("model_versions"),
        sa.PrimaryKeyConstraint("model_key", "version", name=op.f("pk_model_versions")),
        **_MYSQL,
    )
    op.create_table(
        "model_version_tags",
        sa.Column("model_key", BigId(), nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key", Str(250), nullable=False),
        sa.Column("value", LongText(), nullable=False),
        sa.ForeignKeyConstraint(
            ["model_key", "version"],
            ["model_versions.model_key", "model_versions.version"],
            name=op.f("fk_model_version_tags_model_key_model_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("model_key", "version", "key", name=op.f("pk_model_version_tags")),
        **_MYSQL,
    )
    op.create_table(
        "registry_events",
        sa.Column("event_id", BigId(), autoincrement=True, nullable=False),
        sa.Column("name", Str(256), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("event_type", Str(64), nullable=False),
        sa.Column("user_id", Str(256), nullable=True),
        sa.Column("timestamp", sa.BigInteger(), nullable=False),
        sa.Column("details", LongText(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_registry_events")),
        **_MYSQL,
    )
    op.create_index("ix_registry_events_name_timestamp", "registry_events", ["name", "timestamp"])


def downgrade() -> None:
    for name in (
        "registry_events",
        "model_version_tags",
        "model_versions",
        "registered_model_aliases",
        "registered_model_tags",
        "registered_models",
    ):
        op.drop_table(name)
