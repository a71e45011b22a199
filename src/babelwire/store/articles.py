"""The read model of the published site: what a reader sees of one article in one language."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from babelwire.domain import BlockKind, Repair, SourceKind, TranslatedBlock, repairs_from_json
from babelwire.store.models import DocumentRow, ItemRow, ItemStatus, ReviewStatus, SourceRow, TranslationRow


@dataclass(frozen=True)
class ReviewFinding:
    """One thing the automated editor noticed: segment 0 is the title, then the sentences in order."""

    segment: int  # -1: the translation as a whole
    check: str
    severity: str
    message: str


SEVERITIES = ("info", "warning", "error", "critical")  # review/findings.py's, least severe first


def _findings(findings_json: str | None) -> tuple[ReviewFinding, ...]:
    """The stored findings; an unknown severity reads as "info" (it is used in class names)."""
    try:
        raw = json.loads(findings_json or "[]")
    except ValueError:
        return ()
    if not isinstance(raw, list):
        return ()
    return tuple(
        ReviewFinding(
            int(f["segment"]) if isinstance(f.get("segment"), int) else -1,
            str(f.get("check", "")),
            f["severity"] if f.get("severity") in SEVERITIES else "info",
            str(f.get("message", "")),
        )
        for f in raw
        if isinstance(f, dict)
    )


@dataclass(frozen=True)
class PublishedArticle:
    id: int
    language: str
    source_language: str
    title: str
    original_title: str
    original_url: str
    source_name: str
    source_url: str
    author: str | None
    published: datetime | None
    fetched: datetime
    site_published: datetime | None
    engine: str
    model_version: str
    lead_image: str | None
    blocks: tuple[TranslatedBlock, ...]
    # Defaults keep older callers working: the web pages show these, the feeds need not.
    source_id: int = 0
    review_status: str = ReviewStatus.PUBLISH
    review_score: float | None = None
    findings: tuple[ReviewFinding, ...] = ()
    updated: datetime | None = None  # when this translation was made or last decided on
    excerpt_only: bool = False  # the source's terms allow the first paragraph and the link only
    repairs: tuple[Repair, ...] = ()  # what the automated editor re-translated, and what it kept
    # The feed we polled for this story (RSS/Atom/JSON Feed sources); None for sitemaps and index pages.
    source_feed_url: str | None = None

    @property
    def excerpt_block(self) -> TranslatedBlock | None:
        """The first paragraph (else the first block): the excerpt of cards and excerpt-only sources."""
        for block in self.blocks:
            if block.kind == BlockKind.PARAGRAPH:
                return block
        return self.blocks[0] if self.blocks else None

    @property
    def excerpt_html(self) -> str:
        block = self.excerpt_block
        return block.html if block else ""

    @property
    def is_machine_translated(self) -> bool:
        return self.engine != "original"


def published_query(language: str) -> Select[ItemRow, DocumentRow, TranslationRow, SourceRow]:
    """Published items with the newest visible translation into `language`: what readers may see."""
    newest = (
        select(TranslationRow.document_key, func.max(TranslationRow.created_at).label("created"))
        .where(TranslationRow.target_lang == language, TranslationRow.review_status.in_(ReviewStatus.VISIBLE))
        .group_by(TranslationRow.document_key)
        .subquery()
    )
    return (
        select(ItemRow, DocumentRow, TranslationRow, SourceRow)
        .join(DocumentRow, ItemRow.document_key == DocumentRow.key)
        .join(TranslationRow, TranslationRow.document_key == DocumentRow.key)
        .join(
            newest,
            (newest.c.document_key == TranslationRow.document_key)
            & (newest.c.created == TranslationRow.created_at),
        )
        .join(SourceRow, ItemRow.source_id == SourceRow.id)
        .where(ItemRow.status == ItemStatus.PUBLISHED, TranslationRow.target_lang == language)
    )


def article_from_row(
    item: ItemRow, document: DocumentRow, translation: TranslationRow, source: SourceRow
) -> PublishedArticle:
    blocks = tuple(TranslatedBlock.from_json(b) for b in json.loads(translation.blocks_json))
    return PublishedArticle(
        id=item.id,
        language=translation.target_lang,
        source_language=translation.source_lang,
        title=translation.title,
        original_title=document.title,
        original_url=item.url,
        source_name=source.name,
        source_url=source.site_url or source.url,
        author=document.byline or item.author,
        published=document.published_at or item.published_at,
        fetched=document.created_at,
        site_published=item.site_published_at,
        engine=translation.engine,
        model_version=translation.model_version,
        lead_image=document.lead_image,
        blocks=blocks,
        source_id=source.id,
        review_status=translation.review_status,
        review_score=translation.review_score,
        findings=_findings(translation.findings_json),
        updated=translation.reviewed_at or translation.created_at,
        excerpt_only=source.excerpt_only,
        repairs=repairs_from_json(translation.repairs_json),
        source_feed_url=source.url if source.kind == SourceKind.FEED else None,
    )


def newest_first() -> tuple[ColumnElement[Any], ...]:
    """The home page's, feeds' and search's order: the original's date when known, else when found."""
    return (
        func.coalesce(DocumentRow.published_at, ItemRow.published_at, ItemRow.site_published_at).desc(),
        ItemRow.id.desc(),
    )


def latest_articles(
    session: Session, language: str, *, limit: int = 30, offset: int = 0, source_id: int | None = None
) -> list[PublishedArticle]:
    query = published_query(language)
    if source_id is not None:
        query = query.where(ItemRow.source_id == source_id)
    query = query.order_by(*newest_first()).limit(limit).offset(offset)
    return [article_from_row(item, doc, tr, src) for item, doc, tr, src in session.execute(query).all()]


def count_articles(session: Session, language: str, *, source_id: int | None = None) -> int:
    query = published_query(language)
    if source_id is not None:
        query = query.where(ItemRow.source_id == source_id)
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


PublishedRow = tuple[ItemRow, DocumentRow, TranslationRow, SourceRow]


def published_row(session: Session, language: str, item_id: int) -> PublishedRow | None:
    """One published item with its newest visible translation into `language`, as published_query
    would give it, found by index: that query groups every translation of the language, which at
    100k articles costs a scan per article page (most of which no cache has seen yet)."""
    found = session.execute(
        select(ItemRow, DocumentRow, SourceRow)
        .join(DocumentRow, ItemRow.document_key == DocumentRow.key)
        .join(SourceRow, ItemRow.source_id == SourceRow.id)
        .where(ItemRow.id == item_id, ItemRow.status == ItemStatus.PUBLISHED)
    ).first()
    if found is None:
        return None
    item, document, source = found
    translation = session.scalars(
        select(TranslationRow)
        .where(TranslationRow.document_key == document.key, TranslationRow.target_lang == language)
        .where(TranslationRow.review_status.in_(ReviewStatus.VISIBLE))
        .order_by(TranslationRow.created_at.desc())
        .limit(1)
    ).first()
    return None if translation is None else (item, document, translation, source)


def get_article(session: Session, language: str, item_id: int) -> PublishedArticle | None:
    row = published_row(session, language, item_id)
    return None if row is None else article_from_row(*row)


def visible_in(languages: list[str]) -> tuple[ColumnElement[bool], ...]:
    """Translations into one of `languages` that readers may see (the review let them through)."""
    return TranslationRow.target_lang.in_(languages), TranslationRow.review_status.in_(ReviewStatus.VISIBLE)


def published_languages(session: Session, item_id: int, languages: list[str]) -> list[str]:
    """Which of `languages` show this item (for the language switcher), in the order given."""
    rows = session.scalars(
        select(TranslationRow.target_lang)
        .join(ItemRow, ItemRow.document_key == TranslationRow.document_key)
        .where(
            ItemRow.id == item_id,
            ItemRow.status == ItemStatus.PUBLISHED,
            *visible_in(languages),
        )
    )
    found = set(rows)
    return [code for code in languages if code in found]


@dataclass(frozen=True)
class SourceSummary:
    """A source as its page shows it: where it is, and what of it this language edition has."""

    id: int
    name: str
    site_url: str
    language: str | None
    enabled: bool
    articles: int
    latest: datetime | None


def source_summaries(session: Session, language: str, *, source_id: int | None = None) -> list[SourceSummary]:
    """Sources with their published article count in `language`; disabled ones only if they have any."""
    date = func.coalesce(DocumentRow.published_at, ItemRow.published_at, ItemRow.site_published_at)
    counts = (
        published_query(language)
        .with_only_columns(ItemRow.source_id, func.count().label("n"), func.max(date).label("latest"))
        .group_by(ItemRow.source_id)
        .subquery()
    )
    query = (
        select(SourceRow, counts.c.n, counts.c.latest)
        .outerjoin(counts, counts.c.source_id == SourceRow.id)
        .order_by(func.lower(SourceRow.name), SourceRow.id)
    )
    if source_id is not None:
        query = query.where(SourceRow.id == source_id)
    result = []
    for source, count, latest in session.execute(query).all():
        if source_id is None and not source.enabled and not count:
            continue
        result.append(SourceSummary(source.id, source.name, source.site_url or source.url, source.language,
                                    source.enabled, int(count or 0), latest))  # fmt: skip
    return result


# --- Feeds and sitemap (web/feeds.py, web/jsonfeed.py, web/sitemap.py) -----------------------------


@dataclass(frozen=True)
class FeedSource:
    """What a per-source feed needs to know about its source: its name and its terms."""

    id: int
    name: str
    url: str
    language: str | None
    excerpt_only: bool


def get_feed_source(session: Session, source_id: int) -> FeedSource | None:
    source = session.get(SourceRow, source_id)
    if source is None:
        return None
    return FeedSource(
        source.id, source.name, source.site_url or source.url, source.language, source.excerpt_only
    )


@dataclass(frozen=True)
class SitemapEntry:
    """One article's language versions: which languages show it, and when each last changed."""

    item_id: int
    versions: dict[str, datetime]


def _sitemap_visible(languages: list[str]) -> Select[int]:
    return (
        select(ItemRow.id)
        .join(TranslationRow, TranslationRow.document_key == ItemRow.document_key)
        .where(
            ItemRow.status == ItemStatus.PUBLISHED,
            *visible_in(languages),
        )
        .group_by(ItemRow.id)
    )


def count_sitemap_items(session: Session, languages: list[str]) -> int:
    """Published items visible in at least one of `languages` (sizes the sitemap index)."""
    subquery = _sitemap_visible(languages).subquery()
    return int(session.scalar(select(func.count()).select_from(subquery)) or 0)


def sitemap_entries(
    session: Session, languages: list[str], *, limit: int = 10_000, offset: int = 0
) -> list[SitemapEntry]:
    """A page of published items in id order, each with its visible languages and last change."""
    page = _sitemap_visible(languages).order_by(ItemRow.id).limit(limit).offset(offset).subquery()
    rows = session.execute(
        select(
            ItemRow.id,
            TranslationRow.target_lang,
            func.max(TranslationRow.created_at),
            func.max(TranslationRow.reviewed_at),
            ItemRow.site_published_at,
        )
        .join(page, page.c.id == ItemRow.id)
        .join(TranslationRow, TranslationRow.document_key == ItemRow.document_key)
        .where(
            *visible_in(languages),
        )
        .group_by(ItemRow.id, TranslationRow.target_lang, ItemRow.site_published_at)
        .order_by(ItemRow.id)
    ).all()
    entries: dict[int, dict[str, datetime]] = {}
    for item_id, language, created, reviewed, site_published in rows:
        stamps = [stamp for stamp in (created, reviewed, site_published) if stamp is not None]
        entries.setdefault(item_id, {})[language] = max(stamps)
    return [SitemapEntry(item_id, versions) for item_id, versions in entries.items()]


def sitemap_last_changes(session: Session, languages: list[str]) -> dict[str, datetime]:
    """When each language's edition last changed (a home page's lastmod)."""
    rows = session.execute(
        select(
            TranslationRow.target_lang,
            func.max(TranslationRow.created_at),
            func.max(TranslationRow.reviewed_at),
            func.max(ItemRow.site_published_at),
        )
        .join(ItemRow, TranslationRow.document_key == ItemRow.document_key)
        .where(
            ItemRow.status == ItemStatus.PUBLISHED,
            *visible_in(languages),
        )
        .group_by(TranslationRow.target_lang)
    ).all()
    changes: dict[str, datetime] = {}
    for language, *stamps in rows:
        known = [stamp for stamp in stamps if stamp is not None]
        if known:
            changes[language] = max(known)
    return changes
