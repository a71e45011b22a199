"""stories, their event log, editorial filter rules; items gain story, copy, categories, exclusion

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 18:30:00

Issue 12. `stories` ids are given by the stories stage (stable, never renumbered); `story_events`
is the stage's log, replayed by every process that assigns stories; `filter_rules` are the rules
managed in the admin and CLI. Existing items keep no story: the stage places only what arrives.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("last_seen_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stories")),
    )
    op.create_index("ix_stories_last_seen_at", "stories", ["last_seen_at"])
    op.create_table(
        "story_events",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=True),
        sa.Column("copy_of_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("published_at", UTC_DATETIME, nullable=False),
        sa.Column("terms_json", sa.Text(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_story_events_item_id_items"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_story_events")),
    )
    op.create_index("ix_story_events_item_id", "story_events", ["item_id"])
    op.create_table(
        "filter_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("pattern", sa.String(length=500), nullable=False),
        sa.Column("regex", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_filter_rules_source_id_sources"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_filter_rules")),
    )
    op.create_index(op.f("ix_filter_rules_source_id"), "filter_rules", ["source_id"])
    with op.batch_alter_table("items") as batch:
        batch.add_column(sa.Column("categories", sa.Text(), nullable=True))
        batch.add_column(sa.Column("excluded_by", sa.Text(), nullable=True))
        batch.add_column(sa.Column("story_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("copy_of_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("story_score", sa.Float(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_items_story_id_stories"), "stories", ["story_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_foreign_key(
            batch.f("fk_items_copy_of_id_items"), "items", ["copy_of_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index(batch.f("ix_items_story_id"), ["story_id"])
        batch.create_index(batch.f("ix_items_copy_of_id"), ["copy_of_id"])


def downgrade() -> None:
    with op.batch_alter_table("items") as batch:
        batch.drop_index(batch.f("ix_items_copy_of_id"))
        batch.drop_index(batch.f("ix_items_story_id"))
        batch.drop_constraint(batch.f("fk_items_copy_of_id_items"), type_="foreignkey")
        batch.drop_constraint(batch.f("fk_items_story_id_stories"), type_="foreignkey")
        for column in ("story_score", "copy_of_id", "story_id", "excluded_by", "categories"):
            batch.drop_column(column)
    op.drop_index(op.f("ix_filter_rules_source_id"), table_name="filter_rules")
    op.drop_table("filter_rules")
    op.drop_index("ix_story_events_item_id", table_name="story_events")
    op.drop_table("story_events")
    op.drop_index("ix_stories_last_seen_at", table_name="stories")
    op.drop_table("stories")
