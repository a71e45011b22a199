"""Keyset pages on both backends: every article once in the readers' order, ties on the date
included, both directions, stable while new articles arrive, and an index seek on SQLite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from babelwire.store.articles import listed_articles
from babelwire.store.db import Store
from babelwire.store.keyset import Cursor, Window, older_than, parse_cursor
from babelwire.store.models import MAX_ROW_ID, DocumentRow, ItemRow, ListingRow
from tests.store.test_listings import T0, P, add_article


def _articles(store: Store, count: int, *, start: int = 0) -> list[int]:
    """`count` articles; every three share one original date, so the item id breaks the ties."""
    ids = [add_article(store, n, {"en": [P]}) for n in range(start, start + count)]
    with store.session() as session, session.begin():
        for n, item_id in enumerate(ids, start):
            key = session.get_one(ItemRow, item_id).document_key
            session.get_one(DocumentRow, key).published_at = T0 + timedelta(hours=n // 3)
    return ids


def _newest_first(store: Store) -> list[int]:
    with store.session() as session:
        rows = session.execute(
            select(ListingRow.sort_at, ListingRow.item_id).where(ListingRow.language == "en")
        )
        return [item_id for _, item_id in sorted(rows, reverse=True)]


def _walk(store: Store, size: int, *, backwards_from: Cursor | None = None) -> list[list[int]]:
    """Pages of `size` by following each page's cursor: older from the top, or newer from a cursor."""
    pages: list[list[int]] = []
    cursor, rising = backwards_from, backwards_from is not None
    while True:
        window = Window(size, after=cursor) if rising else Window(size, before=cursor)
        with store.session() as session:
            articles, found = listed_articles(session, "en", window)
        if articles:
            pages.append([a.id for a in articles])
        if not found.more:
            return pages
        cursor = found.first if rising else found.last


def test_cursor_text_round_trips_and_bad_text_is_refused() -> None:
    cursor = Cursor(datetime(2026, 12, 4, 10, 30, 15, 123456, tzinfo=UTC), 42)
    assert str(cursor) == "1796380215123456-42"
    assert parse_cursor(str(cursor)) == cursor
    naive = Cursor(datetime(2026, 12, 4, 10, 30, 15, 123456), 42)  # SQLite's rows: UTC without a zone
    assert str(naive) == str(cursor)
    for bad in ("", "12", "12-", "-12", "a-1", "1-b", "١٢-3", "1--2", "1-2-3", " 1-2"):
        with pytest.raises(ValueError, match="not a page cursor"):
            parse_cursor(bad)
    past_every_article = parse_cursor(f"{10**19 - 1}-{2**64}")  # digits past any date or id: clamped
    assert past_every_article.sort_at.year == 9999 and past_every_article.item_id == MAX_ROW_ID
    assert parse_cursor("0-0") == Cursor(datetime(1970, 1, 1, tzinfo=UTC), 0)


def test_a_window_between_two_cursors_and_past_an_offset(store: Store) -> None:
    _articles(store, 12)
    order = _newest_first(store)
    with store.session() as session:
        _, top = listed_articles(session, "en", Window(3))
        _, bottom = listed_articles(session, "en", Window(3, offset=9))
        assert top.last is not None and bottom.first is not None
        between, _ = listed_articles(session, "en", Window(10, before=top.last, after=bottom.first))
        skipped, _ = listed_articles(session, "en", Window(2, offset=2, before=top.last))
        nearest, found = listed_articles(session, "en", Window(2, before=top.last, after=bottom.first))
    assert [a.id for a in between] == order[3:9]
    assert [a.id for a in skipped] == order[5:7]
    assert [a.id for a in nearest] == order[7:9] and found.more  # `after`: the ones just above it


def test_pages_hold_every_article_once_in_order_both_ways(store: Store) -> None:
    _articles(store, 23)
    order = _newest_first(store)
    older = _walk(store, 5)
    assert [len(page) for page in older] == [5, 5, 5, 5, 3]
    assert [item for page in older for item in page] == order
    with store.session() as session:  # the same pages as OFFSET gives, page by page
        for number, page in enumerate(older):
            by_offset, _ = listed_articles(session, "en", Window(5, offset=5 * number))
            assert [a.id for a in by_offset] == page
        _, last = listed_articles(session, "en", Window(5, offset=20))
    assert last.last is not None
    newer = _walk(store, 5, backwards_from=last.last)  # from the oldest article back to the top
    assert [item for page in reversed(newer) for item in page] == order[:-1]
    assert newer[0] == order[-6:-1]  # the five just above the cursor, newest first


def test_a_cursor_page_does_not_shift_when_articles_are_published(store: Store) -> None:
    _articles(store, 12)
    with store.session() as session:
        first, found = listed_articles(session, "en", Window(5))
        second, _ = listed_articles(session, "en", Window(5, before=found.last))
    _articles(store, 4, start=100)  # newer than all: an OFFSET page 2 would now repeat four of page 1
    with store.session() as session:
        again, _ = listed_articles(session, "en", Window(5, before=found.last))
        by_offset, _ = listed_articles(session, "en", Window(5, offset=5))
    assert [a.id for a in again] == [a.id for a in second]
    assert {a.id for a in by_offset} & {a.id for a in first}


def test_an_empty_list_and_a_cursor_past_the_end(store: Store) -> None:
    with store.session() as session:
        articles, found = listed_articles(session, "en", Window(5))
        assert (articles, found.first, found.last, found.more) == ([], None, None, False)
    _articles(store, 3)
    with store.session() as session:
        _, found = listed_articles(session, "en", Window(5))
        assert found.more is False and found.last is not None
        beyond, past = listed_articles(session, "en", Window(5, before=found.last))
        assert beyond == [] and past.more is False


def test_a_deep_cursor_page_is_an_index_seek_on_sqlite(store: Store) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan; PostgreSQL plans the same range on the same index")
    query = (
        select(ListingRow.item_id)
        .where(ListingRow.language == "en", older_than(Cursor(T0, 10)))
        .order_by(ListingRow.sort_at.desc(), ListingRow.item_id.desc())
        .limit(20)
    )
    compiled = query.compile(store.engine, compile_kwargs={"literal_binds": True})
    with store.engine.connect() as connection:
        plan = " ".join(row[-1] for row in connection.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "SEARCH listings USING COVERING INDEX ix_listings_language_sort (language=? AND sort_at<?)" in plan
    assert "TEMP B-TREE" not in plan  # the index gives the order: no sort of the whole range
