"""Webhooks on Model Registry events: subscriptions, their events, and delivery attempts.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from cairn.store.db.types import LongText, Str

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_MYSQL: dict[str, Any] = {"mysql_charset": "utf8mb4", "mysql_engine": "InnoDB"}


def _webhook_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["webhook_id"],
        ["webhooks.webhook_id"],
        name=op.f(f"fk_{table}_webhook_id_webhooks"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "webhooks",
        sa.Column("webhook_id", Str(36), nullable=False),
        sa.Column("name", Str(63), nullable=False),
        sa.Column("description", LongText(), nullable=True),
        sa.Column("url", Str(2048), nullable=False),
        sa.Column("secret", Str(1024), nullable=True),
        sa.Column("status", Str(20), nullable=False),
        sa.Column("creation_timestamp", sa.BigInteger(), nullable=False),
        sa.Column("last_updated_timestamp", sa.BigInteger(), nullable=False),
        sa.Column("deleted_timestamp", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("webhook_id", name=op.f("pk_webhooks")),
        **_MYSQL,
    )
    op.create_index("ix_webhooks_creation_timestamp", "webhooks", ["creation_timestamp"])
    op.create_table(
        "webhook_events",
        sa.Column("webhook_id", Str(36), nullable=False),
        sa.Column("entity", Str(32), nullable=False),
        sa.Column("action", Str(32), nullable=False),
        _webhook_fk("webhook_events"),
        sa.PrimaryKeyConstraint("webhook_id", "entity", "action", name=op.f("pk_webhook_events")),
        **_MYSQL,
    )
    op.create_index("ix_webhook_events_entity_action", "webhook_events", ["entity", "action"])
    op.create_table(
        "webhook_deliveries",
        sa.Column("delivery_id", Str(36), nullable=False),
        sa.Column("attempt", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("webhook_id", Str(36), nullable=False),
        sa.Column("entity", Str(32), nullable=False),
        sa.Column("action", Str(32), nullable=False),
        sa.Column("status", Str(20), nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("error_message", Str(1000), nullable=True),
        sa.Column("timestamp", sa.BigInteger(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        _webhook_fk("webhook_deliveries"),
        sa.PrimaryKeyConstraint("delivery_id", "attempt", name=op.f("pk_webhook_deliveries")),
        **_MYSQL,
    )
    op.create_index(
        "ix_webhook_deliveries_webhook_id_timestamp",
        "webhook_deliveries",
        ["webhook_id", "timestamp"],
    )


def downgrade() -> None:
    for name in ("webhook_deliveries", "webhook_events", "webhooks"):
        op.drop_table(name)
