"""The listings table follows every change readers can see, on both backends, and upgrades fill it.

Each test compares the table with the rule computed from scratch here: a published item is listed in
a language when it has a visible translation into it, with the newest such translation.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic import command
from sqlalchemy import select, update

from babelwire.domain import Block, BlockKind, Document, FeedItem, Source, TranslatedBlock, Translation
from babelwire.store import queries
from babelwire.store.articles import count_articles, latest_articles, published_languages
from babelwire.store.db import Store, alembic_config, migrate
from babelwire.store.listings import rebuild_listings
from babelwire.store.models import DocumentRow, ItemRow, ItemStatus, ListingRow, ReviewStatus, TranslationRow

T0 = datetime(2026, 3, 1, tzinfo=UTC)
P, H = ReviewStatus.PUBLISH, ReviewStatus.HOLD


def add_article(store: Store, n: int, versions: dict[str, list[str]], *, url: str | None = None,
                text: str | None = None) -> int:  # fmt: skip
    """A published item whose translations into each language have these verdicts (oldest first)."""
    document = Document(
        url=url or f"https://news.example/{n}",
        title=text or f"Noticia {n}",  # the same text: the same document
        blocks=(Block(BlockKind.PARAGRAPH, text or f"Texto {n}.", text or f"Texto {n}."),),
        language="es",
        published=T0 + timedelta(hours=n),
    )
    with store.session() as session, session.begin():
        source = queries.upsert_source(session, Source(name="Diario", url="https://news.example/rss"))
        (item,) = queries.add_items(
            session, source, (FeedItem(url=document.url, guid=document.url, title="t"),)
        )
        queries.save_document(session, document)
        item.document_key = document.key
        for language, statuses in versions.items():
            for version, status in enumerate(statuses):
                translation = Translation(
                    document_key=document.key, source_lang="es", target_lang=language, engine="test",
                    model_version=str(version), title=f"News {n}.{version}",
                    blocks=(TranslatedBlock(BlockKind.PARAGRAPH, "Text.", "Texto."),),
                )  # fmt: skip
                row = queries.save_translation(session, translation)
                row.review_status = status
                row.created_at = T0 + timedelta(minutes=version)
        item.status = ItemStatus.PUBLISHED
        item.site_published_at = T0 + timedelta(days=1)
        return item.id


def listed(store: Store) -> set[tuple[int, str, str]]:
    with store.session() as session:
        rows = session.execute(select(ListingRow.item_id, ListingRow.language, ListingRow.translation_key))
        return {(item, language, key) for item, language, key in rows}


def by_rule(store: Store) -> set[tuple[int, str, str]]:
    """The rule, from the rows themselves: newest visible translation per published item and language."""
    expected = set()
    with store.session() as session:
        items = session.scalars(select(ItemRow).where(ItemRow.status == ItemStatus.PUBLISHED)).all()
        for item in items:
            rows = session.scalars(
                select(TranslationRow).where(
                    TranslationRow.document_key == item.document_key,
                    TranslationRow.review_status.in_(ReviewStatus.VISIBLE),
                )
            ).all()
            for language in {row.target_lang for row in rows}:
                newest = max(
                    (r for r in rows if r.target_lang == language), key=lambda r: (r.created_at, r.key)
                )
                expected.add((item.id, language, newest.key))
    return expected


def test_listings_follow_publish_hold_release_and_new_versions(store: Store) -> None:
    first = add_article(store, 1, {"en": [P], "ca": [H]})
    second = add_article(store, 2, {"en": [P, H], "ca": [P, P]})  # newer en held: the older one stays
    assert listed(store) == by_rule(store)
    assert {(item, language) for item, language, _ in listed(store)} == {(first, "en"), (second, "en"),
                                                                         (second, "ca")}  # fmt: skip
    with store.session() as session, session.begin():  # the editor holds the shown English version
        key = next(key for item, language, key in listed(store) if item == first and language == "en")
        session.get_one(TranslationRow, key).review_status = H
    assert (first, "en") not in {(item, language) for item, language, _ in listed(store)}
    with store.session() as session, session.begin():  # a person releases the held Catalan one
        held = select(TranslationRow).where(
            TranslationRow.target_lang == "ca", TranslationRow.review_status == H
        )
        row = session.scalars(held).one()
        row.review_status = ReviewStatus.RELEASED
    assert listed(store) == by_rule(store)
    assert (first, "ca") in {(item, language) for item, language, _ in listed(store)}
    with store.session() as session, session.begin():  # the item itself is taken off the site
        session.get_one(ItemRow, second).status = ItemStatus.HELD
    assert listed(store) == by_rule(store)
    assert all(item != second for item, _, _ in listed(store))


def test_a_shared_document_lists_every_item_and_a_deleted_one_none(store: Store) -> None:
    one = add_article(store, 1, {"en": [P]}, url="https://a.example/story", text="Mismo texto.")
    other = add_article(store, 2, {"en": [P]}, url="https://b.example/story", text="Mismo texto.")
    with store.session() as session, session.begin():  # a new version of the shared document
        document_key = session.get_one(ItemRow, one).document_key
        assert document_key is not None
        assert session.get_one(ItemRow, other).document_key == document_key
        translation = Translation(
            document_key=document_key, source_lang="es", target_lang="en", engine="test", model_version="new",
            title="Newer", blocks=(TranslatedBlock(BlockKind.PARAGRAPH, "Text.", "Texto."),),
        )  # fmt: skip
        queries.save_translation(session, translation).review_status = P
    assert listed(store) == by_rule(store)
    with store.session() as session:
        assert [a.title for a in latest_articles(session, "en")] == ["Newer", "Newer"]
    with store.session() as session, session.begin():
        session.delete(session.get_one(ItemRow, other))
    assert listed(store) == by_rule(store)
    assert {item for item, _, _ in listed(store)} == {one}


def test_order_follows_the_original_date_when_it_changes(store: Store) -> None:
    early, late = add_article(store, 1, {"en": [P]}), add_article(store, 2, {"en": [P]})
    with store.session() as session:
        assert [a.id for a in latest_articles(session, "en")] == [late, early]
    with store.session() as session, session.begin():  # the original is re-dated: a later update
        key = session.get_one(ItemRow, early).document_key
        session.get_one(DocumentRow, key).published_at = T0 + timedelta(days=3)
    with store.session() as session:
        assert [a.id for a in latest_articles(session, "en")] == [early, late]
        assert count_articles(session, "en") == 2
        assert published_languages(session, early, ["ca", "en"]) == ["en"]


def test_bulk_writes_are_caught_up_by_rebuild(store: Store) -> None:
    """What bypasses the session's flush (a bulk UPDATE) is made right by rebuild_listings."""
    item = add_article(store, 1, {"en": [P]})
    with store.session() as session, session.begin():
        session.execute(update(TranslationRow).values(review_status=H))
    assert listed(store) != by_rule(store)  # proves the bulk write really bypassed the hook
    with store.engine.begin() as connection:
        assert rebuild_listings(connection) == 0
    assert listed(store) == by_rule(store) == set()
    with store.session() as session, session.begin():
        session.execute(update(TranslationRow).values(review_status=P))
    with store.engine.begin() as connection:
        assert rebuild_listings(connection) == 1
    assert {i for i, _, _ in listed(store)} == {item}


def test_upgrading_a_store_fills_its_listings(database_url: str) -> None:
    """A store made before migration 0011 lists what a new store would once it is upgraded."""
    store = Store(database_url)
    try:
        add_article(store, 1, {"en": [P], "ca": [H]})
        add_article(store, 2, {"en": [H, P], "ca": [ReviewStatus.RELEASED]})
        expected = by_rule(store)
        assert len(expected) == 3
        command.downgrade(alembic_config(store.engine), "0010")  # the table goes, with every listing
        migrate(store.engine)
        assert listed(store) == expected
    finally:
        store.close()
