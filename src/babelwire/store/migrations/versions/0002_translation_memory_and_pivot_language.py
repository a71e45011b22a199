"""translation memory and pivot language

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 16:09:37.394754
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "translation_memory",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("engine", sa.String(length=100), nullable=False),
        sa.Column("model_version", sa.String(length=200), nullable=False),
        sa.Column("source_lang", sa.String(length=16), nullable=False),
        sa.Column("target_lang", sa.String(length=16), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("target_text", sa.Text(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_translation_memory")),
    )
    with op.batch_alter_table("translation_memory", schema=None) as batch_op:
        batch_op.create_index(
            "ix_translation_memory_engine_pair", ["engine", "source_lang", "target_lang"], unique=False
        )

    with op.batch_alter_table("translations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pivot_lang", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("translations", schema=None) as batch_op:
        batch_op.drop_column("pivot_lang")

    with op.batch_alter_table("translation_memory", schema=None) as batch_op:
        batch_op.drop_index("ix_translation_memory_engine_pair")

    op.drop_table("translation_memory")
