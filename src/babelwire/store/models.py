"""Tables. Every change here needs an Alembic migration (a test compares the two)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


# The largest id a row can have: ids are INTEGER, 32 bits on PostgreSQL (SQLite's are wider, but one
# rule for both keeps an id in a URL that is past it a 404 or 422 on both, never an overflow error).
MAX_ROW_ID = 2**31 - 1


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite drops the zone; PostgreSQL keeps it)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ReviewStatus:
    PENDING = "pending"
    PUBLISH = "publish"
    HOLD = "hold"
    REJECT = "reject"
    RELEASED = "released"  # held, then released by a person
    REFUSED = "refused"  # held, then rejected by a person
    VISIBLE = ("publish", "released")


class ItemStatus:
    """Where an item is in the flow. Plain strings so both databases store them the same way."""

    NEW = "new"
    FETCHED = "fetched"
    EXTRACTED = "extracted"
    TRANSLATED = "translated"
    PLACED = "placed"  # translated, and given its story (or found to be a copy): the editor's turn
    PUBLISHED = "published"
    HELD = "held"  # the automated editor stopped every translation of it: waiting for a person
    REJECTED = "rejected"
    FAILED = "failed"
    SETTLED = ("published", "held", "rejected")  # the automated editor (or a person) has decided
    EXCLUDED = "excluded"  # an editorial filter rule stopped it before translation (items.excluded_by)
    DUPLICATE = "duplicate"  # a copy of an earlier article (items.copy_of_id): listed under that one
    FINAL = (*SETTLED, EXCLUDED, DUPLICATE)  # nothing moves these on


class SourceRow(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="feed")
    language: Mapped[str | None] = mapped_column(String(16))
    site_url: Mapped[str | None] = mapped_column(String(2000))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # The source's terms forbid full republication: publish title, first paragraph and the link.
    excerpt_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_poll_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Why the source was switched off (after too many consecutive failures, or by a person).
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    # The adaptive poll interval now in use, in seconds (None: the configured default).
    poll_interval: Mapped[int | None] = mapped_column(Integer)
    # Index pages: article URLs must match this regular expression.
    link_pattern: Mapped[str | None] = mapped_column(String(500))
    # WebSub subscription: hub, topic, our HMAC secret, state (requested/active/denied) and lease end.
    websub_hub: Mapped[str | None] = mapped_column(String(2000))
    websub_topic: Mapped[str | None] = mapped_column(String(2000))
    websub_secret: Mapped[str | None] = mapped_column(String(200))
    websub_state: Mapped[str | None] = mapped_column(String(20))
    websub_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    items: Mapped[list[ItemRow]] = relationship(back_populates="source")


class ItemRow(Base):
    """One article found in a source. Unique by URL: the same story in two feeds is one item."""

    __tablename__ = "items"
    __table_args__ = (
        Index("ix_items_status", "status"),
        Index("ix_items_status_queued_at", "status", "queued_at"),
        Index("ix_items_document_key", "document_key"),  # translations join their item by it
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    guid: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str | None] = mapped_column(String(500))
    summary: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20), default=ItemStatus.NEW)
    page_key: Mapped[str | None] = mapped_column(ForeignKey("pages.key"))
    document_key: Mapped[str | None] = mapped_column(ForeignKey("documents.key"))
    error_stage: Mapped[str | None] = mapped_column(String(20))
    error_class: Mapped[str | None] = mapped_column(String(100))
    error_message: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    site_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Distributed mode: when a task for the item's next step was enqueued (None: nothing is, the
    # scheduler may claim it). A step that moves the item on clears it; the scheduler re-enqueues
    # items whose claim is older than distributed.stale_after (lost message, killed worker).
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The feed's categories (tags), one per line: what category filter rules match.
    categories: Mapped[str | None] = mapped_column(Text)
    # The filter rule that excluded it, as a person reads it ("block title ~ /horoscope/ (global)").
    excluded_by: Mapped[str | None] = mapped_column(Text)
    # Stories (stories/, pipeline/story_step.py): the story it belongs to, the earlier article it is a
    # copy of (the same text under another URL), and how similar it was to its story when placed.
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id", ondelete="SET NULL"), index=True)
    copy_of_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"), index=True)
    story_score: Mapped[float | None] = mapped_column(Float)

    source: Mapped[SourceRow] = relationship(back_populates="items")
    document: Mapped[DocumentRow | None] = relationship()


class StoryRow(Base):
    """A story: the articles (any source, any language) that report one event. Ids never change."""

    __tablename__ = "stories"
    __table_args__ = (Index("ix_stories_last_seen_at", "last_seen_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The newest article's date: the top-stories ranking and the clustering window use it.
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StoryEventRow(Base):
    """The stories stage's log, in the order it decided: an article placed in a story, found to be a
    copy, or moved by a person. Every process replays what it has not seen yet (stories/wire.py), so
    all of them decide from the same state; it is also each article's and story's history."""

    __tablename__ = "story_events"
    __table_args__ = (Index("ix_story_events_item_id", "item_id"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # placed | copy | moved
    story_id: Mapped[int | None] = mapped_column(Integer)
    copy_of_id: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)
    # When the article happened, as the stage saw it (its date, else when it arrived).
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    terms_json: Mapped[str] = mapped_column(Text, default="{}")  # stories/terms.py, common language
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)  # MinHash of the original text
    actor: Mapped[str | None] = mapped_column(String(200))  # who moved it (None: the stage)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class FilterRuleRow(Base):
    """An editorial filter rule from the admin or CLI (stories/filters.py); config rules add to these."""

    __tablename__ = "filter_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # None: a global rule; else the source it applies to.
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(10))  # block | keep
    field: Mapped[str] = mapped_column(String(20))  # title | body | url | language | category | any
    pattern: Mapped[str] = mapped_column(String(500))
    regex: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PageRow(Base):
    __tablename__ = "pages"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    final_url: Mapped[str] = mapped_column(String(2000))
    status: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(200), default="")
    html: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DocumentRow(Base):
    __tablename__ = "documents"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    byline: Mapped[str | None] = mapped_column(String(500))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lead_image: Mapped[str | None] = mapped_column(String(2000))
    site_name: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    blocks_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TranslationRow(Base):
    __tablename__ = "translations"
    __table_args__ = (
        UniqueConstraint(
            "document_key", "target_lang", "engine", "model_version", name="uq_translations_version"
        ),
        Index("ix_translations_lang_created", "target_lang", "created_at"),
        # Held and rejected counts (store/counts.py) and /metrics' verdict counts, without a scan.
        Index("ix_translations_review_status_lang", "review_status", "target_lang"),
    )

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_key: Mapped[str] = mapped_column(ForeignKey("documents.key", ondelete="CASCADE"), index=True)
    source_lang: Mapped[str] = mapped_column(String(16))
    target_lang: Mapped[str] = mapped_column(String(16))
    engine: Mapped[str] = mapped_column(String(100))
    model_version: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text)
    blocks_json: Mapped[str] = mapped_column(Text)
    pivot_lang: Mapped[str | None] = mapped_column(String(16))
    # The automated editor's verdict: pending, publish, hold, reject; released / refused by a person.
    review_status: Mapped[str] = mapped_column(String(16), default="pending", server_default="publish")
    review_score: Mapped[float | None] = mapped_column(Float)
    findings_json: Mapped[str | None] = mapped_column(Text)
    # The editor's repairs of flagged sentences (domain.Repair as JSON), shown in the bilingual view and API.
    repairs_json: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ListingRow(Base):
    """One article as a language edition lists it: the item is published and `translation_key` is
    its newest translation into `language` that readers may see.

    Kept by store/listings.py in the same flush as the change it follows, so every list a reader
    asks for (home, source pages, feeds, search, the API, the sitemap, the counts) is an index
    range here instead of a grouping of every translation of the language per request.
    """

    __tablename__ = "listings"
    __table_args__ = (
        Index("ix_listings_language_sort", "language", "sort_at", "item_id"),
        Index("ix_listings_language_source", "language", "source_id", "sort_at", "item_id"),
        Index("ix_listings_language_changed", "language", "changed_at"),
        Index("ix_listings_translation_key", "translation_key"),
    )

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(String(16), primary_key=True)
    translation_key: Mapped[str] = mapped_column(ForeignKey("translations.key", ondelete="CASCADE"))
    source_id: Mapped[int] = mapped_column(Integer)
    # The readers' order: the original's date when known, else when we found or published it.
    sort_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # When this language version last changed (the sitemap's lastmod): newest translation, verdict
    # or publication.
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MemoryRow(Base):
    """Translation memory: one engine output for one normalized input sentence."""

    __tablename__ = "translation_memory"
    __table_args__ = (Index("ix_translation_memory_engine_pair", "engine", "source_lang", "target_lang"),)

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    engine: Mapped[str] = mapped_column(String(100))
    model_version: Mapped[str] = mapped_column(String(200))
    source_lang: Mapped[str] = mapped_column(String(16))
    target_lang: Mapped[str] = mapped_column(String(16))
    source_text: Mapped[str] = mapped_column(Text)
    target_text: Mapped[str] = mapped_column(Text)
    hits: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CredentialRow(Base):
    """Secrets for the web: the admin password and API tokens, stored only as argon2 hashes."""

    __tablename__ = "credentials"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "admin_password" or "api_token"
    secret_hash: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SiteStateRow(Base):
    """One row: a number that grows whenever something readers can see changes (store/changes.py).

    Every web process compares it with the number its cached pages were rendered at, so a
    publish, hold or release by any process on any machine empties every cache at once."""

    __tablename__ = "site_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
