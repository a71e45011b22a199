"""review verdicts on translations

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 16:30:37.880835
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("translations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("review_status", sa.String(length=16), server_default="publish", nullable=False)
        )
        batch_op.add_column(sa.Column("review_score", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("findings_json", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("translations", schema=None) as batch_op:
        batch_op.drop_column("reviewed_at")
        batch_op.drop_column("findings_json")
        batch_op.drop_column("review_score")
        batch_op.drop_column("review_status")
