"""Bulk source updates (poll outcomes): what readers see bumps the site generation, bookkeeping does not."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from babelwire.domain import Source
from babelwire.store import queries
from babelwire.store.changes import current_generation
from babelwire.store.db import Store
from babelwire.store.models import SourceRow
from babelwire.store.sources import update_sources


def generation(store: Store) -> int:
    with store.session() as session:
        return current_generation(session)


def two_sources(store: Store) -> list[int]:
    with store.session() as session, session.begin():
        return [
            queries.upsert_source(session, Source(f"Feed {n}", f"https://f{n}.example/rss")).id
            for n in (1, 2)
        ]


def test_bookkeeping_alone_leaves_the_generation(store: Store) -> None:
    first, second = two_sources(store)
    before = generation(store)
    now = datetime.now(UTC)
    with store.session() as session, session.begin():
        update_sources(
            session,
            [
                {"id": first, "etag": '"v1"', "last_polled_at": now, "next_poll_at": now, "error_count": 0},
                {"id": second, "last_error": "timeout: slow", "error_count": 1},
            ],
        )
    assert generation(store) == before
    with store.session() as session:
        rows = {row.id: row for row in session.scalars(select(SourceRow))}
    assert rows[first].etag == '"v1"' and rows[second].error_count == 1


def test_site_url_and_language_learnt_from_a_poll_bump_the_generation(store: Store) -> None:
    first, second = two_sources(store)
    before = generation(store)
    now = datetime.now(UTC)
    with store.session() as session, session.begin():
        update_sources(
            session,
            [
                {"id": first, "etag": '"v1"', "next_poll_at": now, "site_url": "https://f1.example/"},
                {"id": second, "etag": '"v2"', "language": "es"},
            ],
        )
        assert current_generation(session) == before + 1  # in the same transaction as the change
    assert generation(store) == before + 1  # once per transaction
    with store.session() as session:
        rows = {row.id: row for row in session.scalars(select(SourceRow))}
    assert (rows[first].site_url, rows[first].etag) == ("https://f1.example/", '"v1"')
    assert (rows[second].language, rows[second].etag) == ("es", '"v2"')


def test_disabling_a_failing_source_bumps_the_generation(store: Store) -> None:
    first, _ = two_sources(store)
    before = generation(store)
    with store.session() as session, session.begin():
        update_sources(
            session, [{"id": first, "error_count": 10, "enabled": False, "disabled_reason": "10 failures"}]
        )
    assert generation(store) == before + 1
    with store.session() as session:
        row = session.get_one(SourceRow, first)
    assert (row.enabled, row.error_count, row.disabled_reason) == (False, 10, "10 failures")
