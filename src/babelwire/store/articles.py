"""The read model of the published site: what a reader sees of one article in one language."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from babelwire.domain import BlockKind, TranslatedBlock
from babelwire.store.models import DocumentRow, ItemRow, ItemStatus, ReviewStatus, SourceRow, TranslationRow


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

    @property
    def excerpt_html(self) -> str:
        for block in self.blocks:
            if block.kind == BlockKind.PARAGRAPH:
                return block.html
        return self.blocks[0].html if self.blocks else ""

    @property
    def is_machine_translated(self) -> bool:
        return self.engine != "original"


def _published_query(language: str) -> Select[ItemRow, DocumentRow, TranslationRow, SourceRow]:
    # The newest translation of each document into `language`.
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


def _article(
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
    )


def latest_articles(
    session: Session, language: str, *, limit: int = 30, offset: int = 0
) -> list[PublishedArticle]:
    query = (
        _published_query(language)
        .order_by(
            func.coalesce(DocumentRow.published_at, ItemRow.published_at, ItemRow.site_published_at).desc(),
            ItemRow.id.desc(),
        )
        .limit(limit)
        .offset(offset)
    )
    return [_article(item, doc, tr, src) for item, doc, tr, src in session.execute(query).all()]


def count_articles(session: Session, language: str) -> int:
    return int(session.scalar(select(func.count()).select_from(_published_query(language).subquery())) or 0)


def get_article(session: Session, language: str, item_id: int) -> PublishedArticle | None:
    row = session.execute(_published_query(language).where(ItemRow.id == item_id)).first()
    if row is None:
        return None
    item, document, translation, source = row
    return _article(item, document, translation, source)
