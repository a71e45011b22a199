"""listings: each language edition's published articles, kept at write time

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 14:30:00

The reader-facing lists grouped every visible translation of a language per request (the home page
took 18 s on SQLite and 5 s on PostgreSQL at 100,000 articles, benchmarks/web_load.py); the listings
table holds the answer, written in the flush that changes it (store/listings.py). The backfill uses
that module's rule, so an upgraded store lists exactly what a new one would.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from babelwire.store.listings import rebuild_listings

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "listings",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("translation_key", sa.String(length=64), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("sort_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_listings_item_id_items"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["translation_key"],
            ["translations.key"],
            name=op.f("fk_listings_translation_key_translations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "language", name=op.f("pk_listings")),
    )
    op.create_index("ix_listings_language_sort", "listings", ["language", "sort_at", "item_id"])
    op.create_index(
        "ix_listings_language_source", "listings", ["language", "source_id", "sort_at", "item_id"]
    )
    op.create_index("ix_listings_language_changed", "listings", ["language", "changed_at"])
    op.create_index("ix_listings_translation_key", "listings", ["translation_key"])
    op.create_index("ix_translations_review_status_lang", "translations", ["review_status", "target_lang"])
    rebuild_listings(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_translations_review_status_lang", table_name="translations")
    op.drop_table("listings")
