"""items.document_key index: the joins from translations to their item

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 07:20:00

Every count and sitemap query joins translations to items by document_key (sitemap_last_changes,
language_counts, which /metrics and app start-up run). Without an index SQLite's plan walks every
published item for each translation: at 10,000 articles sitemap_last_changes took 294 s, language_counts
longer (benchmarks/web_load.py); with it, under a second.
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_items_document_key", "items", ["document_key"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_items_document_key", table_name="items")
