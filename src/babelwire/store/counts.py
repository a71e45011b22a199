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

from sqlalchemy import case, distinct, exists, func, literal, select
from sqlalchemy.orm import Session, aliased

from babelwire.store.models import ItemRow, ItemStatus, ListingRow, ReviewStatus, TranslationRow

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

    Published ones are the language's listings (an index count); held and rejected ones are the
    settled items not listed in the language whose newest translation into it was stopped, found
    from the stopped translations (few; ix_translations_review_status_lang) rather than a
    grouping of every translation, so `/metrics` and the admin stay fast at any store size.
    """
    wanted = list(languages)
    found: dict[str, dict[str, int]] = {language: {} for language in wanted}
    for language, count in session.execute(
        select(ListingRow.language, func.count())
        .where(ListingRow.language.in_(wanted))
        .group_by(ListingRow.language)
    ):
        found[language][PUBLISHED] = int(count)
    newer = aliased(TranslationRow)
    state = case(
        (TranslationRow.review_status == ReviewStatus.HOLD, literal(HELD)), else_=literal(REJECTED)
    ).label("state")
    stopped = (
        select(TranslationRow.target_lang, state, func.count(distinct(ItemRow.id)))
        .select_from(TranslationRow)
        .join(ItemRow, ItemRow.document_key == TranslationRow.document_key)
        .where(
            # No language condition: SQLite, without statistics, would walk that index instead.
            TranslationRow.review_status.in_(tuple(_STOPPED)),
            ItemRow.status.in_(ItemStatus.SETTLED),
            ~exists().where(
                newer.document_key == TranslationRow.document_key,
                newer.target_lang == TranslationRow.target_lang,
                newer.created_at > TranslationRow.created_at,
            ),
            ~exists().where(
                ListingRow.item_id == ItemRow.id, ListingRow.language == TranslationRow.target_lang
            ),
        )
        .group_by(TranslationRow.target_lang, state)
    )
    for language, name, count in session.execute(stopped):
        if language in found:
            found[language][name] = int(count)
    return {
        language: LanguageCounts(**{name: found[language].get(name, 0) for name in STATES})
        for language in wanted
    }


def summary_line(counts: dict[str, LanguageCounts]) -> str:
    """`en: 17 published, 0 held, 0 rejected; ca: 0 published, 17 held, 0 rejected`."""
    return "; ".join(f"{language}: {language_counts}" for language, language_counts in counts.items())
