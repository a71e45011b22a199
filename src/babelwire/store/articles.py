"""The read model of the published site: what a reader sees of one article in one language."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, defer

from babelwire.domain import BlockKind, Repair, SourceKind, TranslatedBlock, repairs_from_json
from babelwire.store.keyset import Slice, Window, read_window
from babelwire.store.models import DocumentRow, ItemRow, ListingRow, ReviewStatus, SourceRow, TranslationRow


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
    """Published items with the newest visible translation into `language`: what readers may see.

    Read from the listings table (store/listings.py), so filters on ListingRow's columns and
    the readers' order (store/keyset.py) are served by its indexes."""
    return (
        select(ItemRow, DocumentRow, TranslationRow, SourceRow)
        .select_from(ListingRow)
        .join(ItemRow, ItemRow.id == ListingRow.item_id)
        .join(DocumentRow, ItemRow.document_key == DocumentRow.key)
        .join(TranslationRow, TranslationRow.key == ListingRow.translation_key)
        .join(SourceRow, ItemRow.source_id == SourceRow.id)
        .where(ListingRow.language == language)
        # The original's body is as long as the translation's and no published view reads it.
        .options(defer(DocumentRow.blocks_json), defer(DocumentRow.description))
    )


def count_listed(session: Session, language: str, *conditions: ColumnElement[bool]) -> int:
    """How many articles `language` lists under these conditions on ListingRow (an index count)."""
    query = select(func.count()).select_from(ListingRow).where(ListingRow.language == language, *conditions)
    return int(session.scalar(query) or 0)


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


def listed_articles(
    session: Session, language: str, window: Window, *conditions: ColumnElement[bool]
) -> tuple[list[PublishedArticle], Slice]:
    """The articles `language` lists in `window` under these conditions on ListingRow, newest first,
    with the window's cursors (store/keyset.py) for the links to the pages around it."""
    found = read_window(session, published_query(language).where(*conditions), window)
    return [article_from_row(*row) for row in found.rows], found


def latest_articles(
    session: Session, language: str, *, limit: int = 30, offset: int = 0, source_id: int | None = None
) -> list[PublishedArticle]:
    conditions = () if source_id is None else (ListingRow.source_id == source_id,)
    return listed_articles(session, language, Window(limit, offset), *conditions)[0]


def count_articles(session: Session, language: str, *, source_id: int | None = None) -> int:
    return count_listed(
        session, language, *(() if source_id is None else (ListingRow.source_id == source_id,))
    )


PublishedRow = tuple[ItemRow, DocumentRow, TranslationRow, SourceRow]


def published_row(session: Session, language: str, item_id: int) -> PublishedRow | None:
    """One published item with its newest visible translation into `language` (its listing)."""
    found = session.execute(published_query(language).where(ListingRow.item_id == item_id)).first()
    return None if found is None else (found[0], found[1], found[2], found[3])


def get_article(session: Session, language: str, item_id: int) -> PublishedArticle | None:
    row = published_row(session, language, item_id)
    return None if row is None else article_from_row(*row)


def published_languages(session: Session, item_id: int, languages: list[str]) -> list[str]:
    """Which of `languages` show this item (for the language switcher), in the order given."""
    found = set(session.scalars(select(ListingRow.language).where(ListingRow.item_id == item_id)))
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
    counts = (
        select(ListingRow.source_id, func.count().label("n"), func.max(ListingRow.sort_at).label("latest"))
        .where(ListingRow.language == language)
        .group_by(ListingRow.source_id)
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


def count_sitemap_items(session: Session, languages: list[str]) -> int:
    """Published items visible in at least one of `languages` (sizes the sitemap index)."""
    listed = select(ListingRow.item_id).where(ListingRow.language.in_(languages)).distinct().subquery()
    return int(session.scalar(select(func.count()).select_from(listed)) or 0)


def sitemap_entries(
    session: Session, languages: list[str], *, limit: int = 10_000, offset: int = 0
) -> list[SitemapEntry]:
    """A page of published items in id order, each with its visible languages and last change."""
    page = (
        select(ListingRow.item_id)
        .where(ListingRow.language.in_(languages))
        .group_by(ListingRow.item_id)
        .order_by(ListingRow.item_id)
        .limit(limit)
        .offset(offset)
        .subquery()
    )
    rows = session.execute(
        select(ListingRow.item_id, ListingRow.language, ListingRow.changed_at)
        .join(page, page.c.item_id == ListingRow.item_id)
        .where(ListingRow.language.in_(languages))
        .order_by(ListingRow.item_id)
    ).all()
    entries: dict[int, dict[str, datetime]] = {}
    for item_id, language, changed in rows:
        entries.setdefault(item_id, {})[language] = changed
    return [SitemapEntry(item_id, versions) for item_id, versions in entries.items()]


def sitemap_last_changes(session: Session, languages: list[str]) -> dict[str, datetime]:
    """When each language's edition last changed (a home page's lastmod)."""
    changes = {}
    for language in languages:  # one MAX per language: an index edge each, where a GROUP BY scans
        changed = session.scalar(
            select(func.max(ListingRow.changed_at)).where(ListingRow.language == language)
        )
        if changed is not None:
            changes[language] = changed
    return changes
