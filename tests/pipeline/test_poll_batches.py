"""A large round's two shortcuts keep polling's results: one INSERT per batch, feeds parsed in
worker processes. On SQLite and PostgreSQL, with real worker processes and a real HTTP server."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import delete, select

from babelwire.config import Settings
from babelwire.demo.server import Response, SiteServer
from babelwire.domain import FeedItem, Source
from babelwire.pipeline import polling
from babelwire.pipeline.polling import add_new_items
from babelwire.store import queries
from babelwire.store.db import Store
from babelwire.store.models import ItemRow, SourceRow
from tests.pipeline.test_polling import add_sources, polite_settings, poll_round, rss, source_row

WHEN = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
COLUMNS = ("guid", "title", "author", "summary", "published_at", "status", "attempts", "error_class")


def item(url: str, **fields: Any) -> FeedItem:
    return FeedItem(url=url, guid=fields.pop("guid", url), title=fields.pop("title", "T"), **fields)


def columns(row: ItemRow) -> tuple[Any, ...]:
    return tuple(getattr(row, name) for name in COLUMNS)


def test_one_insert_keeps_the_rule_of_add_items(store: Store) -> None:
    """A URL is one item: known ones are skipped, the first sighting in the batch wins."""
    a, b, c = add_sources(store, *(Source(name=n, url=f"https://{n}.example/feed") for n in "abc"))
    full = {"title": "Título", "author": "Ana", "summary": "Resumen", "published": WHEN, "guid": "g" * 2100}
    with store.session() as session, session.begin():
        queries.add_items(session, session.get_one(SourceRow, a), (item("https://x.example/known"),))
        found = {
            a: [item("https://x.example/known"), item("https://x.example/1", **full),
                item("https://x.example/1"), item("https://x.example/2")],
            b: [item("https://x.example/2"), item("https://x.example/3")],
            c: [item("https://x.example/known")],
        }  # fmt: skip
        assert add_new_items(session, found) == {a: 2, b: 1, c: 0}
        (reference,) = queries.add_items(
            session, session.get_one(SourceRow, c), (item("https://x.example/ref", **full),)
        )
        expected = columns(reference)
    with store.session() as session:
        rows = {row.url: row for row in session.scalars(select(ItemRow))}
    assert {url: row.source_id for url, row in rows.items()} == {
        "https://x.example/known": a,
        "https://x.example/1": a,
        "https://x.example/2": a,
        "https://x.example/3": b,
        "https://x.example/ref": c,
    }
    assert columns(rows["https://x.example/1"]) == expected  # guid cut to 2000, status new, 0 attempts
    assert rows["https://x.example/1"].created_at is not None


def test_a_large_round_parses_in_worker_processes_with_the_same_outcome(
    settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(polling, "PARALLEL_PARSE_MIN", 1)
    page = Response(content_type="application/rss+xml", body=b"<html><body>not a feed</body></html>")
    routes = {f"/feed/{n}": rss(*(f"https://example.org/{n}/{k}" for k in range(3))) for n in range(4)}
    rounds = {}
    for processes in (0, 2):
        with SiteServer({**routes, "/page": page}) as server:
            urls = [server.url(path) for path in [*routes, "/page"]]
            polled = polite_settings(settings)
            polled.polling.parse_processes = processes
            add_sources(store, *(Source(name=url, url=url) for url in urls))
            report = poll_round(polled, store)
            errors = [source_row(store, url).last_error for url in urls]
        with store.session() as session:
            stored = sorted(session.scalars(select(ItemRow.url)))
            session.execute(delete(ItemRow))
            session.execute(delete(SourceRow))
            session.commit()
        rounds[processes] = (report.sources_polled, report.items_found, stored, errors)
    assert rounds[2] == rounds[0]
    polled_count, found, stored, errors = rounds[2]
    assert (polled_count, found, len(stored)) == (4, 12, 12)
    assert errors[:4] == [None] * 4 and errors[4] is not None and errors[4].startswith("not_a_feed")
