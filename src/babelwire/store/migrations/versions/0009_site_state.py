"""site_state: the generation number cached pages are checked against

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 07:00:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "site_state",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.bulk_insert(table, [{"id": 1, "generation": 0, "changed_at": datetime.now(UTC)}])


def downgrade() -> None:
    op.drop_table("site_state")
