"""source kinds, adaptive polling, disabling, index link patterns and WebSub subscriptions

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 18:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = (
    ("disabled_reason", sa.Text()),
    ("poll_interval", sa.Integer()),
    ("link_pattern", sa.String(length=500)),
    ("websub_hub", sa.String(length=2000)),
    ("websub_topic", sa.String(length=2000)),
    ("websub_secret", sa.String(length=200)),
    ("websub_state", sa.String(length=20)),
    ("websub_expires_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
