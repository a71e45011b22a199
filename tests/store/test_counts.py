"""Per-language counts on both backends: what each target language published, held and rejected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from babelwire.domain import Block, BlockKind, Document, FeedItem, Source, TranslatedBlock, Translation
from babelwire.store import queries
from babelwire.store.articles import count_articles
from babelwire.store.counts import LanguageCounts, language_counts, review_state, summary_line
from babelwire.store.db import Store
from babelwire.store.held import decide_held
from babelwire.store.models import ItemRow, ReviewStatus

LANGUAGES = ["en", "ca", "es"]
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def add_item(store: Store, n: int, versions: dict[str, list[str]], *, settle: bool = True) -> int:
    """An item whose translation into each language went through `versions` (oldest first)."""
    document = Document(
        url=f"https://news.example/{n}",
        title=f"Noticia {n}",
        blocks=(Block(BlockKind.PARAGRAPH, "Texto.", "Texto."),),
        language="es",
    )
    with store.session() as session, session.begin():
        source = queries.upsert_source(session, Source(name="Diario", url="https://news.example/rss"))
        (item,) = queries.add_items(session, source, (FeedItem(url=document.url, guid=str(n), title="t"),))
        queries.save_document(session, document)
        item.document_key = document.key
        decided = []
        for language, statuses in versions.items():
            for version, status in enumerate(statuses):
                translation = Translation(
                    document_key=document.key, source_lang="es", target_lang=language, engine="test",
                    model_version=str(version), title=f"News {n}",
                    blocks=(TranslatedBlock(BlockKind.PARAGRAPH, "Text.", "Texto."),),
                )  # fmt: skip
                row = queries.save_translation(session, translation)
                row.review_status = status
                row.created_at = T0 + timedelta(minutes=version)
            decided.extend(statuses)
        if settle:  # as the item was settled when each version came: published stays published
            queries.settle_item(session, item, decided)
        else:
            item.status = "translated"
        return item.id


def counts(store: Store) -> dict[str, LanguageCounts]:
    with store.session() as session:
        return language_counts(session, LANGUAGES)


def test_each_language_is_counted_on_its_own(store: Store) -> None:
    P, H, R = ReviewStatus.PUBLISH, ReviewStatus.HOLD, ReviewStatus.REJECT
    add_item(store, 1, {"en": [P], "ca": [H]})  # published in English, held in Catalan
    add_item(store, 2, {"en": [H], "ca": [H]})  # held everywhere
    add_item(store, 3, {"en": [R], "ca": [ReviewStatus.REFUSED]})  # rejected, by the editor and a person
    add_item(store, 4, {"en": [P, H], "ca": [R]})  # a newer English model held: the site keeps the older
    add_item(store, 5, {"en": [ReviewStatus.PENDING]}, settle=False)  # not decided: not counted
    found = counts(store)
    assert found == {
        "en": LanguageCounts(published=2, held=1, rejected=1),
        "ca": LanguageCounts(published=0, held=2, rejected=2),
        "es": LanguageCounts(),  # a site language with nothing yet is listed, zeros
    }
    with store.session() as session:  # "published" is what the site shows in that language
        assert [count_articles(session, language) for language in LANGUAGES] == [2, 0, 0]


def test_a_release_moves_the_article_from_held_to_published(store: Store) -> None:
    item_id = add_item(store, 1, {"en": [ReviewStatus.PUBLISH], "ca": [ReviewStatus.HOLD]})
    assert counts(store)["ca"] == LanguageCounts(held=1)
    with store.session() as session, session.begin():
        assert decide_held(session, item_id, "ca", release=True) is not None
    assert counts(store)["ca"] == LanguageCounts(published=1)
    with store.session() as session, session.begin():
        item = session.get_one(ItemRow, item_id)
        assert item.status == "published"


def test_a_refusal_of_the_only_held_language_rejects_it(store: Store) -> None:
    item_id = add_item(store, 1, {"en": [ReviewStatus.HOLD], "ca": [ReviewStatus.REJECT]})
    with store.session() as session, session.begin():
        decide_held(session, item_id, "en", release=False)
    assert counts(store) == {
        "en": LanguageCounts(rejected=1),
        "ca": LanguageCounts(rejected=1),
        "es": LanguageCounts(),
    }


@pytest.mark.parametrize(
    ("status", "state"),
    [("publish", "published"), ("released", "published"), ("hold", "held"), ("reject", "rejected"),
     ("refused", "rejected"), ("pending", "pending")],
)  # fmt: skip
def test_review_state(status: str, state: str) -> None:
    assert review_state(status) == state


def test_counts_add_and_print() -> None:
    tally = LanguageCounts().add("published").add("held").add("held").add("pending")
    assert tally == LanguageCounts(published=1, held=2, rejected=0)
    line = summary_line({"en": LanguageCounts(published=17), "ca": tally})
    assert line == "en: 17 published, 0 held, 0 rejected; ca: 1 published, 2 held, 0 rejected"
