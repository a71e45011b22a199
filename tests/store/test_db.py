from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from babelwire.domain import Block, BlockKind, Document, FeedItem, Source
from babelwire.store import queries
from babelwire.store.db import Store
from babelwire.store.models import Base, DocumentRow, ItemStatus
from babelwire.store.search import is_search_object


def test_migrations_match_models(store: Store) -> None:
    """A model change without a migration fails here, on both backends."""

    def include(_obj: object, name: str | None, type_: str, _reflected: bool, _other: object) -> bool:
        return not is_search_object(name, type_)  # full-text objects live only in migration 0005

    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_migrate_is_idempotent(database_url: str) -> None:
    Store(database_url).close()
    again = Store(database_url)
    assert {"sources", "items", "pages", "documents", "translations"} <= set(
        inspect(again.engine).get_table_names()
    )
    again.close()


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'wal.db'}")
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    store.close()


def test_same_url_in_two_feeds_is_one_item(store: Store) -> None:
    items = (FeedItem(url="https://news.example/a", guid="a", title="A"),)
    with store.session() as session, session.begin():
        rss = queries.upsert_source(session, Source(name="rss", url="https://news.example/rss"))
        atom = queries.upsert_source(session, Source(name="atom", url="https://news.example/atom"))
        assert len(queries.add_items(session, rss, items)) == 1
        assert queries.add_items(session, atom, items) == []
        assert queries.add_items(session, rss, items * 2) == []
    with store.session() as session:
        assert queries.status_counts(session) == {ItemStatus.NEW: 1}


def test_document_round_trips_and_is_stored_once(store: Store) -> None:
    document = Document(
        url="https://news.example/a",
        title="Título",
        blocks=(
            Block(BlockKind.HEADING, "Sub", "Sub"),
            Block(BlockKind.PARAGRAPH, 'Hola <a href="https://x.example/">mundo</a> «ñ»', "Hola mundo «ñ»"),
        ),
        language="es",
        byline="Ana Ruiz",
    )
    with store.session() as session, session.begin():
        first = queries.save_document(session, document)
        second = queries.save_document(session, document)
        assert first is second
    with store.session() as session:
        loaded = queries.document_from_row(session.get_one(DocumentRow, document.key))
    assert loaded == document
    assert loaded.key == document.key


def test_failed_items_are_retried_until_attempts_run_out(store: Store) -> None:
    with store.session() as session, session.begin():
        source = queries.upsert_source(session, Source(name="s", url="https://news.example/rss"))
        (item,) = queries.add_items(
            session, source, (FeedItem(url="https://news.example/x", guid="x", title="X"),)
        )
        queries.record_failure(session, item, "fetch", "http_500", "server answered HTTP 500")
    with store.session() as session, session.begin():
        assert [i.url for i in queries.pending_items(session, max_attempts=3)] == ["https://news.example/x"]
        failed = queries.failed_items(session)
        assert failed[0].error_stage == "fetch" and failed[0].attempts == 1
        queries.record_failure(session, failed[0], "fetch", "http_500", "again")
        queries.record_failure(session, failed[0], "fetch", "http_500", "and again")
    with store.session() as session:
        assert queries.pending_items(session, max_attempts=3) == []
