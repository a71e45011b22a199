"""Translations the automated editor stopped, and a person's decision on them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from babelwire.store import queries
from babelwire.store.models import ItemRow, ReviewStatus, TranslationRow


@dataclass(frozen=True)
class HeldTranslation:
    item_id: int
    url: str
    language: str
    title: str
    status: str
    score: float | None
    reviewed_at: datetime | None
    findings: tuple[dict[str, object], ...]


def held_translations(session: Session, *, include_rejected: bool = False) -> list[HeldTranslation]:
    statuses = [ReviewStatus.HOLD, ReviewStatus.REJECT] if include_rejected else [ReviewStatus.HOLD]
    rows = session.execute(
        select(ItemRow, TranslationRow)
        .join(TranslationRow, TranslationRow.document_key == ItemRow.document_key)
        .where(TranslationRow.review_status.in_(statuses))
        .order_by(TranslationRow.reviewed_at.desc(), ItemRow.id)
    ).all()
    return [_held(item, row) for item, row in rows]


def decide_held(session: Session, item_id: int, language: str, *, release: bool) -> HeldTranslation | None:
    """Release (publish) or refuse a held translation; None when there is no such held translation."""
    item = session.get(ItemRow, item_id)
    if item is None or item.document_key is None:
        return None
    row = session.scalar(
        select(TranslationRow).where(
            TranslationRow.document_key == item.document_key,
            TranslationRow.target_lang == language,
            TranslationRow.review_status.in_([ReviewStatus.HOLD, ReviewStatus.REJECT]),
        )
    )
    if row is None:
        return None
    row.review_status = ReviewStatus.RELEASED if release else ReviewStatus.REFUSED
    statuses = list(
        session.scalars(
            select(TranslationRow.review_status).where(TranslationRow.document_key == item.document_key)
        )
    )
    queries.settle_item(session, item, statuses)
    return _held(item, row)


def _held(item: ItemRow, row: TranslationRow) -> HeldTranslation:
    findings = tuple(json.loads(row.findings_json or "[]"))
    return HeldTranslation(
        item.id,
        item.url,
        row.target_lang,
        row.title,
        row.review_status,
        row.review_score,
        row.reviewed_at,
        findings,
    )
