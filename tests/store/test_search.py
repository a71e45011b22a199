"""Full-text search on both backends: language, visibility, pagination, hostile queries, sync."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import delete, inspect, select, text

from babelwire.domain import Block, BlockKind, Document, FeedItem, Source, TranslatedBlock, Translation
from babelwire.store import queries
from babelwire.store.articles import count_articles, latest_articles, published_languages, source_summaries
from babelwire.store.db import Store, alembic_config, migrate
from babelwire.store.keyset import Window
from babelwire.store.models import ItemRow, ReviewStatus, TranslationRow
from babelwire.store.search import is_search_object, search_articles, search_terms

HOSTILE = [
    '"',
    "*",
    "NEAR(harbour breakwater)",
    "harbour NOT breakwater",
    "title:harbour",
    "harbour OR",
    "^harbour",
    "'; DROP TABLE translations; --",
    'harbour" OR "1"="1',
    "(((",
    "\x00harbour",
    "AND",
    "-",
    "harbour* +breakwater -x",
    "x" * 5000,
    "{title body}: harbour",
    "🙂 ñandú",
]


def add_article(
    store: Store, n: int, english: str, spanish: str, *, status: str = ReviewStatus.PUBLISH
) -> int:
    """A published item with an English translation and its Spanish original."""
    document = Document(
        url=f"https://news.example/{n}",
        title=f"Noticia {n}",
        blocks=(Block(BlockKind.PARAGRAPH, spanish, spanish),),
        language="es",
        published=datetime(2026, 3, 1, tzinfo=UTC) + timedelta(hours=n),
    )
    with store.session() as session, session.begin():
        source = queries.upsert_source(session, Source(name="Diario", url="https://news.example/rss"))
        (item,) = queries.add_items(session, source, (FeedItem(url=document.url, guid=str(n), title="t"),))
        queries.save_document(session, document)
        item.document_key = document.key
        statuses = []
        for lang, title, html in (("en", f"News {n}", english), ("es", document.title, spanish)):
            translation = Translation(
                document_key=document.key,
                source_lang="es",
                target_lang=lang,
                engine="test" if lang == "en" else "original",
                model_version="1",
                title=title,
                blocks=(TranslatedBlock(BlockKind.PARAGRAPH, html, spanish),),
            )
            row = queries.save_translation(session, translation)
            row.review_status = status if lang == "en" else ReviewStatus.PUBLISH
            statuses.append(row.review_status)
        queries.settle_item(session, item, statuses)
        return item.id


def find(
    store: Store, language: str, query: str, *, limit: int = 10, offset: int = 0
) -> tuple[list[int], int]:
    with store.session() as session:
        articles, _, total = search_articles(session, language, query, Window(limit, offset))
    return [a.id for a in articles], total


def test_search_finds_translated_words_in_that_language_only(store: Store) -> None:
    harbour = add_article(store, 1, 'The <a href="https://x.example/">harbour</a> breakwater grows.',
                          "El dique del puerto crece.")  # fmt: skip
    add_article(store, 2, "Night buses at weekends.", "Autobuses nocturnos.")
    assert find(store, "en", "breakwater") == ([harbour], 1)
    assert find(store, "en", "Harbour BREAKWATER") == ([harbour], 1)  # every word, any case
    assert find(store, "en", "News 1") == ([harbour], 1)  # the translated title
    assert find(store, "en", "dique") == ([], 0)  # the source text is not the English edition
    assert find(store, "es", "dique") == ([harbour], 1)
    assert find(store, "es", "breakwater") == ([], 0)
    assert find(store, "en", "breakwater buses") == ([], 0)


def test_search_shows_only_what_the_site_shows_and_follows_writes(store: Store) -> None:
    held = add_article(store, 1, "A held story about lighthouses.", "Faros.", status=ReviewStatus.HOLD)
    assert find(store, "en", "lighthouses") == ([], 0)
    with store.session() as session, session.begin():
        row = session.scalars(select(TranslationRow).where(TranslationRow.target_lang == "en")).one()
        row.review_status = ReviewStatus.RELEASED
        queries.settle_item(session, session.get_one(ItemRow, held), [ReviewStatus.RELEASED])
    assert find(store, "en", "lighthouses") == ([held], 1)
    with store.session() as session, session.begin():  # an edited text is re-indexed...
        row = session.scalars(select(TranslationRow).where(TranslationRow.target_lang == "en")).one()
        row.blocks_json = row.blocks_json.replace("lighthouses", "beacons")
    assert find(store, "en", "lighthouses") == ([], 0)
    assert find(store, "en", "beacons") == ([held], 1)
    with store.session() as session, session.begin():  # ...and a deleted one leaves the index
        session.execute(delete(TranslationRow).where(TranslationRow.target_lang == "en"))
    assert find(store, "en", "beacons") == ([], 0)


def test_search_pages_newest_first(store: Store) -> None:
    ids = [add_article(store, n, f"Story {n} about the tide.", f"Marea {n}.") for n in range(5)]
    newest_first = ids[::-1]
    assert find(store, "en", "tide", limit=2) == (newest_first[:2], 5)
    assert find(store, "en", "tide", limit=2, offset=4) == (newest_first[4:], 5)
    assert find(store, "en", "tide", limit=2, offset=10) == ([], 5)
    add_article(store, 9, "Buses at night.", "Autobuses.")  # newer, and no match: not in the pages
    with store.session() as session:  # the cursor of the last match shown leads on to the next two
        _, found, _ = search_articles(session, "en", "tide", Window(2))
        older, after_those, total = search_articles(session, "en", "tide", Window(2, before=found.last))
        assert [a.id for a in older] == newest_first[2:4] and after_those.more and total == 5
        back, _, _ = search_articles(session, "en", "tide", Window(2, after=after_those.first))
        assert [a.id for a in back] == newest_first[:2]


def test_hostile_queries_are_plain_words(store: Store) -> None:
    harbour = add_article(store, 1, "The harbour breakwater grows.", "El dique crece.")
    for query in HOSTILE:
        found, total = find(store, "en", query)
        assert total == len(found) and found in ([], [harbour]), query
    assert find(store, "en", '("harbour" breakwater*)') == ([harbour], 1)  # words, not syntax


def test_search_terms_keep_words_and_drop_syntax() -> None:
    assert search_terms('NEAR("a" b*) col:x_y -z') == ["near", "a", "b", "col", "x", "y", "z"]
    assert search_terms("  ") == [] and search_terms("ñandú Ünïcode") == ["ñandú", "ünïcode"]
    assert search_terms(" ".join(f"w{i}" for i in range(100))) == [f"w{i}" for i in range(12)]  # the first 12
    assert search_terms("a" * 100) == ["a" * 64]  # a word is cut, not dropped


def test_read_model_for_source_pages_and_switcher(store: Store) -> None:
    """The other queries the pages use, on both backends: per-source lists and counts, languages."""
    first = add_article(store, 1, "One.", "Uno.")
    held = add_article(store, 2, "Two.", "Dos.", status=ReviewStatus.HOLD)
    with store.session() as session:
        (summary,) = source_summaries(session, "en")
        assert (summary.name, summary.articles, summary.enabled) == ("Diario", 1, True)  # held in English
        assert summary.latest is not None and summary.latest.tzinfo is not None
        assert source_summaries(session, "en", source_id=summary.id + 1) == []
        assert [a.id for a in latest_articles(session, "en", source_id=summary.id)] == [first]
        assert latest_articles(session, "en", source_id=summary.id + 1) == []
        assert count_articles(session, "es", source_id=summary.id) == 2
        assert published_languages(session, first, ["es", "en", "fr"]) == ["es", "en"]
        assert published_languages(session, held, ["en", "es"]) == ["es"]  # held in English


def test_migration_indexes_existing_translations_and_downgrades(database_url: str) -> None:
    store = Store(database_url)
    harbour = add_article(store, 1, "The harbour breakwater grows.", "El dique crece.")
    command.downgrade(alembic_config(store.engine), "0004")  # rows stay, the search index goes
    migrate(store.engine)  # 0005 indexes what is already there
    assert find(store, "en", "breakwater") == ([harbour], 1)
    command.downgrade(alembic_config(store.engine), "0004")
    assert not any(is_search_object(name, "table") for name in inspect(store.engine).get_table_names())
    migrate(store.engine)
    assert find(store, "en", "breakwater") == ([harbour], 1)
    store.close()


def test_search_under_a_parallel_plan_on_postgresql(store: Store) -> None:
    """A plan with parallel workers evaluating the search expression (what PostgreSQL chose for a rare
    word at 100,000 articles) must not fail: the functions keep such queries off parallel plans
    (migration 0012)."""
    if store.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's parallel query; SQLite has none")
    ids = [add_article(store, n, f"Story {n} about the tide.", f"Marea {n}.") for n in range(30)]
    forced = (
        "SET LOCAL parallel_setup_cost = 0", "SET LOCAL parallel_tuple_cost = 0",
        "SET LOCAL min_parallel_table_scan_size = 0", "SET LOCAL max_parallel_workers_per_gather = 2",
        "SET LOCAL parallel_leader_participation = off",
        "SET LOCAL enable_indexscan = off", "SET LOCAL enable_bitmapscan = off",
    )  # fmt: skip
    with store.session() as session:
        for setting in forced:
            session.execute(text(setting))
        articles, _, total = search_articles(session, "en", "tide", Window(5, offset=20))
    assert total == 30
    assert [a.id for a in articles] == ids[::-1][20:25]
