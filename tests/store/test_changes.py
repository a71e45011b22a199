"""The site's generation grows with every change readers can see, and only with those (both backends)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from babelwire.domain import FeedItem, Source
from babelwire.store import queries
from babelwire.store.changes import current_generation
from babelwire.store.db import Store
from babelwire.store.held import decide_held
from babelwire.store.models import ItemRow, ReviewStatus, SourceRow, TranslationRow
from tests.web.test_api import add_article


def generation(store: Store) -> int:
    with store.session() as session:
        return current_generation(session)


def seeded(store: Store) -> tuple[int, int]:
    """A published and a held article; the generation after seeding."""
    with store.session() as session, session.begin():
        source = queries.upsert_source(session, Source("Diario", "https://diario.example/rss", language="es"))
        published = add_article(session, source, 1, day=1, verdict="publish", findings=[])
        held = add_article(session, source, 2, day=2, verdict="hold", findings=[])
    return published, held


def test_publishing_bumps_once_per_transaction(store: Store) -> None:
    assert generation(store) == 0
    seeded(store)  # two articles, many flushes, one transaction
    assert generation(store) == 1


def test_hold_release_update_and_refusal_each_bump(store: Store) -> None:
    published, held = seeded(store)
    before = generation(store)
    with store.session() as session, session.begin():  # a re-review holds a visible translation
        row = session.scalars(select(TranslationRow).where(TranslationRow.title == "Title 1")).one()
        row.review_status = ReviewStatus.HOLD
    assert generation(store) == before + 1
    with store.session() as session, session.begin():
        decide_held(session, published, "en", release=True)
    assert generation(store) == before + 2
    with store.session() as session, session.begin():  # a new text for a visible translation
        row = session.scalars(select(TranslationRow).where(TranslationRow.title == "Title 1")).one()
        row.title = "Title 1, updated"
    assert generation(store) == before + 3
    with store.session() as session, session.begin():
        decide_held(session, held, "en", release=False)
    assert generation(store) == before + 4


def test_a_source_rename_bumps_and_poll_bookkeeping_does_not(store: Store) -> None:
    seeded(store)
    before = generation(store)
    with store.session() as session, session.begin():
        source = session.scalars(select(SourceRow)).one()
        source.etag, source.next_poll_at, source.error_count = '"v2"', datetime.now(UTC), 1
        source.last_error = "HTTP 503"
    assert generation(store) == before
    with store.session() as session, session.begin():
        session.scalars(select(SourceRow)).one().name = "El Diario"
    assert generation(store) == before + 1


def test_ingestion_of_unpublished_items_does_not_bump(store: Store) -> None:
    seeded(store)
    before = generation(store)
    with store.session() as session, session.begin():
        source = session.scalars(select(SourceRow)).one()
        (item,) = queries.add_items(
            session, source, (FeedItem(url="https://diario.example/3", guid="3", title="t"),)
        )
    with store.session() as session, session.begin():
        item = session.get_one(ItemRow, item.id)
        queries.record_failure(session, item, "fetch", "http_status", "HTTP 500")
        item.queued_at = datetime.now(UTC)
    with store.session() as session, session.begin():  # a published item's claim is bookkeeping too
        for row in session.scalars(select(ItemRow).where(ItemRow.status == "published")):
            row.queued_at, row.attempts = datetime.now(UTC), 2
    assert generation(store) == before


def test_a_rolled_back_change_leaves_the_generation(store: Store) -> None:
    seeded(store)
    before = generation(store)
    with pytest.raises(RuntimeError), store.session() as session, session.begin():
        session.scalars(select(SourceRow)).one().name = "Renamed"
        session.flush()
        raise RuntimeError("abandon the transaction")
    assert generation(store) == before
    with store.session() as session, session.begin():  # and the next transaction bumps again
        session.scalars(select(SourceRow)).one().name = "Renamed"
    assert generation(store) == before + 1
