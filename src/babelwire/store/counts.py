"""How many articles each target language has published, held and rejected.

An item counts as published when any language may show it, so a count per item hides a language
whose every translation was held. Every count a person reads (the run summary, `status`, `/metrics`,
the admin) is per target language, by the rule the site itself follows: an article is published in
a language when the item is published and a translation into that language may be shown (the read
model shows the newest such one); otherwise its newest translation says whether it is held for a
person or rejected.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, case, distinct, func, literal, select
from sqlalchemy.orm import Session

from babelwire.store.models import ItemRow, ItemStatus, ReviewStatus, TranslationRow

PUBLISHED, HELD, REJECTED, PENDING = "published", "held", "rejected", "pending"
STATES = (PUBLISHED, HELD, REJECTED)
_STOPPED = {ReviewStatus.HOLD: HELD, ReviewStatus.REJECT: REJECTED, ReviewStatus.REFUSED: REJECTED}


@dataclass(frozen=True)
class LanguageCounts:
    """One target language's articles by what readers get: shown, waiting for a person, refused."""

    published: int = 0
    held: int = 0
    rejected: int = 0

    def add(self, state: str) -> LanguageCounts:
        """These counts with one more article in `state` (pending ones are not counted)."""
        if state not in STATES:
            return self
        counts = {name: getattr(self, name) for name in STATES}
        counts[state] += 1
        return LanguageCounts(**counts)

    def __str__(self) -> str:
        return f"{self.published} published, {self.held} held, {self.rejected} rejected"


def review_state(review_status: str) -> str:
    """What a review status means for readers of that language: published, held, rejected or pending."""
    if review_status in ReviewStatus.VISIBLE:
        return PUBLISHED
    return _STOPPED.get(review_status, PENDING)


def language_counts(session: Session, languages: Iterable[str]) -> dict[str, LanguageCounts]:
    """Settled articles per target language and state, every language of `languages` present.

    One grouped query over the newest translation per document and language, so `/metrics` stays
    one round trip at any store size (ix_translations_lang_created serves both subqueries).
    """
    wanted = list(languages)
    newest = (
        select(
            TranslationRow.document_key,
            TranslationRow.target_lang,
            func.max(TranslationRow.created_at).label("created"),
        )
        .where(TranslationRow.target_lang.in_(wanted))
        .group_by(TranslationRow.document_key, TranslationRow.target_lang)
        .subquery()
    )
    shown = (
        select(TranslationRow.document_key, TranslationRow.target_lang)
        .where(TranslationRow.target_lang.in_(wanted), TranslationRow.review_status.in_(ReviewStatus.VISIBLE))
        .group_by(TranslationRow.document_key, TranslationRow.target_lang)
        .subquery()
    )
    latest = TranslationRow
    state = case(
        (and_(ItemRow.status == ItemStatus.PUBLISHED, shown.c.document_key.is_not(None)), literal(PUBLISHED)),
        (latest.review_status == ReviewStatus.HOLD, literal(HELD)),
        (latest.review_status.in_((ReviewStatus.REJECT, ReviewStatus.REFUSED)), literal(REJECTED)),
        else_=literal(PENDING),
    ).label("state")
    query = (
        select(latest.target_lang, state, func.count(distinct(ItemRow.id)))
        .select_from(ItemRow)
        .join(latest, latest.document_key == ItemRow.document_key)
        .join(
            newest,
            (newest.c.document_key == latest.document_key)
            & (newest.c.target_lang == latest.target_lang)
            & (newest.c.created == latest.created_at),
        )
        .outerjoin(
            shown, (shown.c.document_key == latest.document_key) & (shown.c.target_lang == latest.target_lang)
        )
        .where(ItemRow.status.in_(ItemStatus.SETTLED))
        .group_by(latest.target_lang, state)
    )
    found: dict[str, dict[str, int]] = {language: {} for language in wanted}
    for language, name, count in session.execute(query):
        found[language][name] = int(count)
    return {
        language: LanguageCounts(**{name: found[language].get(name, 0) for name in STATES})
        for language in wanted
    }


def summary_line(counts: dict[str, LanguageCounts]) -> str:
    """`en: 17 published, 0 held, 0 rejected; ca: 0 published, 17 held, 0 rejected`."""
    return "; ".join(f"{language}: {language_counts}" for language, language_counts in counts.items())
