"""items.queued_at: the distributed scheduler's claim on an item's next step

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 18:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_items_status_queued_at", ["status", "queued_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_index("ix_items_status_queued_at")
        batch_op.drop_column("queued_at")
