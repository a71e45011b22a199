"""The listings table: which published articles each language edition lists, kept at write time.

Every reader-facing list (home, source pages, feeds, search, the API, the sitemap, the counts) asks
"published items with their newest visible translation into this language, newest first". Asked of
the translations themselves that is a grouping of every translation of the language per request:
seconds at 100,000 articles, for pages a cache has not seen yet. Here the answer is written when it
changes, in the flush that changes it (store/changes.py calls `refresh_listings`), so a list is an
index range and a count an index count. Nothing else writes listings, so no writer can forget them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from babelwire.store.models import DocumentRow, ItemRow, ItemStatus, ListingRow, ReviewStatus, TranslationRow

CHUNK = 500  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits


def _chunks(values: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    values = iter(values)
    while chunk := list(islice(values, size)):
        yield chunk


def _latest(*stamps: datetime | None) -> datetime | None:
    known = [stamp for stamp in stamps if stamp is not None]
    return max(known) if known else None


def listing_rows(items: Iterable[Any], translations: Iterable[Any]) -> list[dict[str, Any]]:
    """The listings of these items: one per (published item, language with a visible translation).

    `items` carry id, document_key, source_id, status, the three dates of the readers' order and
    created_at; `translations` carry key, document_key, target_lang, created_at, reviewed_at and are
    the visible translations of those items' documents. The shown one is the newest by created_at
    (ties: the larger key, so the choice never depends on row order); changed_at is the newest
    creation or verdict of any visible translation, or the publication, whichever is later.
    """
    by_document: dict[str, dict[str, list[Any]]] = {}
    for row in translations:
        by_document.setdefault(row.document_key, {}).setdefault(row.target_lang, []).append(row)
    rows = []
    for item in items:
        if item.status != ItemStatus.PUBLISHED or item.document_key is None:
            continue
        sort_at = item.document_published_at or item.published_at or item.site_published_at or item.created_at
        for language, versions in by_document.get(item.document_key, {}).items():
            shown = max(versions, key=lambda row: (row.created_at, row.key))
            changed = _latest(*(_latest(row.created_at, row.reviewed_at) for row in versions),
                              item.site_published_at)  # fmt: skip
            rows.append({"item_id": item.id, "language": language, "translation_key": shown.key,
                         "source_id": item.source_id, "sort_at": sort_at, "changed_at": changed})  # fmt: skip
    return rows


def refresh_listings(
    connection: Connection, *, item_ids: Iterable[int] = (), document_keys: Iterable[str] = ()
) -> int:
    """Write again the listings of these items and of every item of these documents; the row count."""
    ids, keys = set(item_ids), set(document_keys)
    for chunk in _chunks(keys):
        ids.update(connection.scalars(select(ItemRow.id).where(ItemRow.document_key.in_(chunk))))
    written = 0
    for chunk in _chunks(sorted(ids)):
        connection.execute(delete(ListingRow).where(ListingRow.item_id.in_(chunk)))
        items = connection.execute(
            select(
                ItemRow.id, ItemRow.document_key, ItemRow.source_id, ItemRow.status, ItemRow.published_at,
                ItemRow.site_published_at, ItemRow.created_at,
                DocumentRow.published_at.label("document_published_at"),
            )
            .join(DocumentRow, DocumentRow.key == ItemRow.document_key)
            .where(ItemRow.id.in_(chunk), ItemRow.status == ItemStatus.PUBLISHED)
        ).all()  # fmt: skip
        documents = {item.document_key for item in items}
        if not documents:
            continue
        translations = connection.execute(
            select(
                TranslationRow.key, TranslationRow.document_key, TranslationRow.target_lang,
                TranslationRow.created_at, TranslationRow.reviewed_at,
            ).where(
                TranslationRow.document_key.in_(documents),
                TranslationRow.review_status.in_(ReviewStatus.VISIBLE),
            )
        ).all()  # fmt: skip
        rows = listing_rows(items, translations)
        if rows:
            connection.execute(insert(ListingRow), rows)
            written += len(rows)
    return written


def rebuild_listings(connection: Connection, *, batch: int = 2000) -> int:
    """The listings of every published item, written again (a migration's backfill, a bulk load)."""
    connection.execute(delete(ListingRow))
    ids = list(connection.scalars(select(ItemRow.id).where(ItemRow.status == ItemStatus.PUBLISHED)))
    return sum(refresh_listings(connection, item_ids=chunk) for chunk in _chunks(ids, batch))
