"""Reads and writes the stages need. Each write is idempotent: keys are content hashes or URLs."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from babelwire.domain import (
    Block,
    BlockKind,
    Document,
    FeedItem,
    Page,
    Source,
    SourceKind,
    TranslatedBlock,
    Translation,
    repairs_from_json,
)
from babelwire.store.models import (
    DocumentRow,
    ItemRow,
    ItemStatus,
    PageRow,
    ReviewStatus,
    SourceRow,
    TranslationRow,
)

IN_FLIGHT = (
    ItemStatus.NEW,
    ItemStatus.FETCHED,
    ItemStatus.EXTRACTED,
    ItemStatus.TRANSLATED,
    ItemStatus.PLACED,
)


def upsert_source(session: Session, source: Source) -> SourceRow:
    row = session.scalar(select(SourceRow).where(SourceRow.url == source.url))
    if row is None:
        row = SourceRow(name=source.name, url=source.url, kind=str(source.kind), enabled=True, error_count=0)
        session.add(row)
    row.name = source.name or row.name
    row.kind = str(source.kind)
    row.language = source.language or row.language
    row.site_url = source.site_url or row.site_url
    row.link_pattern = source.link_pattern or row.link_pattern
    session.flush()
    return row


def source_from_row(row: SourceRow) -> Source:
    return Source(
        name=row.name,
        url=row.url,
        kind=SourceKind(row.kind or SourceKind.FEED),
        language=row.language,
        site_url=row.site_url,
        link_pattern=row.link_pattern,
    )


def list_sources(session: Session) -> list[SourceRow]:
    return list(session.scalars(select(SourceRow).order_by(SourceRow.id)))


def new_item_values(source_id: int, item: FeedItem) -> dict[str, Any]:
    """The columns of a new item found in a feed (add_items here, polling's bulk INSERT)."""
    return {
        "source_id": source_id,
        "url": item.url,
        "guid": item.guid[:2000],
        "title": item.title,
        "author": item.author,
        "summary": item.summary,
        "published_at": item.published,
        "categories": "\n".join(item.categories) or None,
        "status": ItemStatus.NEW,
        "attempts": 0,
    }


def add_items(session: Session, source: SourceRow, items: tuple[FeedItem, ...]) -> list[ItemRow]:
    """Insert items whose URL is new; the same story in two feeds stays one item."""
    urls = [item.url for item in items]
    known = set(session.scalars(select(ItemRow.url).where(ItemRow.url.in_(urls)))) if urls else set()
    added: list[ItemRow] = []
    for item in items:
        if item.url in known:
            continue
        known.add(item.url)
        row = ItemRow(**new_item_values(source.id, item))
        session.add(row)
        added.append(row)
    session.flush()
    return added


def pending_items(session: Session, *, max_attempts: int) -> list[ItemRow]:
    """Items still to move forward, failed ones included until they run out of attempts."""
    query = (
        select(ItemRow)
        .join(SourceRow)
        .where(SourceRow.enabled.is_(True))
        .where(
            or_(
                ItemRow.status.in_(IN_FLIGHT),
                (ItemRow.status == ItemStatus.FAILED) & (ItemRow.attempts < max_attempts),
            )
        )
        .order_by(ItemRow.published_at.desc().nulls_last(), ItemRow.id)
    )
    return list(session.scalars(query))


def record_failure(session: Session, item: ItemRow, stage: str, error_class: str, message: str) -> None:
    item.status = ItemStatus.FAILED
    item.error_stage = stage
    item.error_class = error_class
    item.error_message = message[:4000]
    item.attempts = (item.attempts or 0) + 1


def save_page(session: Session, page: Page) -> PageRow:
    row = session.get(PageRow, page.key)
    if row is None:
        row = PageRow(
            key=page.key,
            url=page.url,
            final_url=page.final_url,
            status=page.status,
            content_type=page.content_type,
            html=page.html,
        )
        session.add(row)
        session.flush()
    return row


def page_from_row(row: PageRow) -> Page:
    return Page(
        url=row.url, final_url=row.final_url, status=row.status, content_type=row.content_type, html=row.html
    )


def save_document(session: Session, document: Document) -> DocumentRow:
    row = session.get(DocumentRow, document.key)
    if row is None:
        row = DocumentRow(
            key=document.key,
            url=document.url,
            title=document.title,
            language=document.language,
            byline=document.byline,
            published_at=document.published,
            lead_image=document.lead_image,
            site_name=document.site_name,
            description=document.description,
            blocks_json=json.dumps(
                [{"kind": str(b.kind), "html": b.html, "text": b.text} for b in document.blocks],
                ensure_ascii=False,
            ),
        )
        session.add(row)
        session.flush()
    return row


def document_from_row(row: DocumentRow) -> Document:
    blocks = tuple(
        Block(kind=BlockKind(b["kind"]), html=b["html"], text=b["text"]) for b in json.loads(row.blocks_json)
    )
    return Document(
        url=row.url,
        title=row.title,
        blocks=blocks,
        language=row.language,
        byline=row.byline,
        published=row.published_at,
        lead_image=row.lead_image,
        site_name=row.site_name,
        description=row.description,
    )


def find_translation(session: Session, document_key: str, target_lang: str) -> TranslationRow | None:
    return session.scalar(
        select(TranslationRow)
        .where(TranslationRow.document_key == document_key, TranslationRow.target_lang == target_lang)
        .order_by(TranslationRow.created_at.desc())
        .limit(1)
    )


def save_translation(session: Session, translation: Translation) -> TranslationRow:
    row = session.get(TranslationRow, translation.key)
    if row is None:
        row = TranslationRow(
            key=translation.key,
            document_key=translation.document_key,
            source_lang=translation.source_lang,
            target_lang=translation.target_lang,
            engine=translation.engine,
            model_version=translation.model_version,
            title=translation.title,
            blocks_json=translation.blocks_json(),
            pivot_lang=translation.pivot_lang,
        )
        session.add(row)
        session.flush()
    return row


def mark_published(item: ItemRow) -> None:
    item.status = ItemStatus.PUBLISHED
    item.error_stage = item.error_class = item.error_message = None
    if item.site_published_at is None:
        item.site_published_at = datetime.now(UTC)


def status_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(ItemRow.status, func.count()).group_by(ItemRow.status)).all()
    return {str(status): int(count) for status, count in rows}


def failed_items(session: Session, limit: int = 50) -> list[ItemRow]:
    return list(
        session.scalars(
            select(ItemRow)
            .where(ItemRow.status == ItemStatus.FAILED)
            .order_by(ItemRow.updated_at.desc())
            .limit(limit)
        )
    )


def translation_from_row(row: TranslationRow) -> Translation:
    return Translation(
        document_key=row.document_key,
        source_lang=row.source_lang,
        target_lang=row.target_lang,
        engine=row.engine,
        model_version=row.model_version,
        title=row.title,
        blocks=tuple(TranslatedBlock.from_json(b) for b in json.loads(row.blocks_json)),
        pivot_lang=row.pivot_lang,
        repairs=repairs_from_json(row.repairs_json),
    )


def save_verdict(
    session: Session,
    key: str,
    decision: str,
    score: float,
    findings_json: str,
    repaired: Translation | None = None,
) -> None:
    """The editor's verdict; with `repaired`, the sentences it re-translated or withheld and its record."""
    row = session.get_one(TranslationRow, key)
    row.review_status, row.review_score, row.findings_json = decision, score, findings_json
    if repaired is not None:
        row.title, row.blocks_json = repaired.title, repaired.blocks_json()
        row.repairs_json = repaired.repairs_json() if repaired.repairs else None
    row.reviewed_at = datetime.now(UTC)


def settle_item(session: Session, item: ItemRow, statuses: list[str]) -> str:
    """An item is published when any translation may be shown, held when one waits for a person."""
    if any(status in ReviewStatus.VISIBLE for status in statuses):
        mark_published(item)
    else:
        item.status = ItemStatus.HELD if ReviewStatus.HOLD in statuses else ItemStatus.REJECTED
        item.error_stage = item.error_class = item.error_message = None
    return item.status


# --- Distributed mode: claims on items and sources, so two ticks or two schedulers never enqueue twice.
# Each claim selects with FOR UPDATE SKIP LOCKED (PostgreSQL; SQLite transactions are IMMEDIATE, so
# one writer at a time) and stamps the rows in the same transaction; the caller enqueues after commit.


def claim_due_sources(session: Session, now: datetime, hold: timedelta, limit: int = 1000) -> list[int]:
    """Ids of enabled sources due now, next poll moved `hold` ahead (the poll task sets the real one)."""
    ids = list(
        session.scalars(
            select(SourceRow.id)
            .where(SourceRow.enabled.is_(True))
            .where(or_(SourceRow.next_poll_at.is_(None), SourceRow.next_poll_at <= now))
            .order_by(SourceRow.next_poll_at.asc().nulls_first(), SourceRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if ids:
        session.execute(update(SourceRow).where(SourceRow.id.in_(ids)).values(next_poll_at=now + hold))
    return ids


def claim_items(
    session: Session,
    status: str,
    now: datetime,
    *,
    limit: int,
    source_id: int | None = None,
) -> list[int]:
    """Ids of unclaimed items in `status` (of enabled sources), oldest first, stamped as queued."""
    query = (
        select(ItemRow.id)
        .join(SourceRow)
        .where(SourceRow.enabled.is_(True), ItemRow.status == status, ItemRow.queued_at.is_(None))
        .order_by(ItemRow.id)
        .limit(limit)
        .with_for_update(of=ItemRow, skip_locked=True)
    )
    if source_id is not None:
        query = query.where(ItemRow.source_id == source_id)
    return _stamp(session, list(session.scalars(query)), now)


def claim_stale_items(session: Session, now: datetime, cutoff: datetime, limit: int = 1000) -> list[ItemRow]:
    """In-flight items nothing touched since `cutoff` (a lost message, a killed worker), stamped again."""
    query = (
        select(ItemRow)
        .join(SourceRow)
        .where(SourceRow.enabled.is_(True), ItemRow.status.in_(IN_FLIGHT), ItemRow.updated_at < cutoff)
        .where(func.coalesce(ItemRow.queued_at, ItemRow.updated_at) < cutoff)
        .order_by(ItemRow.id)
        .limit(limit)
        .with_for_update(of=ItemRow, skip_locked=True)
    )
    return _stamp_rows(session, list(session.scalars(query)), now)


def claim_retries(
    session: Session, now: datetime, *, max_attempts: int, delay: Callable[[int], float], limit: int = 1000
) -> list[ItemRow]:
    """Failed items with attempts left whose wait (`delay(attempts)` seconds) has passed, stamped."""
    query = (
        select(ItemRow)
        .join(SourceRow)
        .where(SourceRow.enabled.is_(True), ItemRow.status == ItemStatus.FAILED)
        .where(ItemRow.attempts < max_attempts)
        .order_by(ItemRow.updated_at)
        .limit(limit)
        .with_for_update(of=ItemRow, skip_locked=True)
    )
    rows = [
        row
        for row in session.scalars(query)
        if row.updated_at + timedelta(seconds=delay(row.attempts or 0)) <= now
    ]
    return _stamp_rows(session, rows, now)


def _stamp(session: Session, ids: list[int], now: datetime) -> list[int]:
    if ids:
        session.execute(update(ItemRow).where(ItemRow.id.in_(ids)).values(queued_at=now, updated_at=now))
    return ids


def _stamp_rows(session: Session, rows: list[ItemRow], now: datetime) -> list[ItemRow]:
    for row in rows:
        row.queued_at = row.updated_at = now
    session.flush()
    return rows


def count_unclaimed(session: Session, status: str) -> int:
    """Items in `status` no task is queued for (e.g. extracted items waiting for a translate batch);
    counted as claim_items would take them: of enabled sources only."""
    query = (
        select(func.count())
        .select_from(ItemRow)
        .join(SourceRow)
        .where(SourceRow.enabled.is_(True), ItemRow.status == status, ItemRow.queued_at.is_(None))
    )
    return int(session.scalar(query) or 0)
