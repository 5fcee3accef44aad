"""An index on run tag keys, so the distinct tag keys of an experiment are found by hopping
through this index (one seek per key) instead of reading every run's tags.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_tags_key"), "tags", ["key"])


def downgrade() -> None:
    op.drop_index(op.f("ix_tags_key"), table_name="tags")
