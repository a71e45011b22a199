"""Starting a web worker runs no count query: the registry's describe step must not collect.

With auto_describe, prometheus_client calls `collect` at registration unless the collector has
`describe`; at 100,000 articles that was 23 s of counting at every worker's start, holding SQLite's
lock while the other worker migrated ("database is locked").
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from sqlalchemy import event

from babelwire.config import Settings
from babelwire.store.db import Store
from babelwire.web.app import create_app
from babelwire.web.metrics import StoreCollector
from tests.web.test_api import seed_wire


@pytest.fixture
def seeded_store(tmp_path: Path, database_url: str) -> Iterator[Store]:
    store = Store(database_url)
    seed_wire(store)
    yield store
    store.close()


@pytest.fixture
def queries(seeded_store: Store) -> Iterator[list[str]]:
    """The statements every connection of the store sends from now on."""
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sent.append(statement)

    event.listen(seeded_store.engine, "before_cursor_execute", record)
    yield sent
    event.remove(seeded_store.engine, "before_cursor_execute", record)


def test_registering_the_store_collector_queries_nothing(seeded_store: Store, queries: list[str]) -> None:
    collector = StoreCollector(seeded_store, ["en"])
    registry = CollectorRegistry(auto_describe=True)
    registry.register(collector)
    assert queries == []
    described = {family.name for family in collector.describe()}
    collected = {family.name for family in collector.collect()}
    assert described == collected  # describe names exactly what collect yields
    assert queries  # collecting does count


def test_building_the_app_queries_nothing_until_scraped(
    tmp_path: Path, database_url: str, seeded_store: Store, queries: list[str]
) -> None:
    settings = Settings(data_dir=tmp_path, database_url=database_url, target_languages=["en"])
    app = create_app(settings, seeded_store)
    assert queries == []
    text = generate_latest(app.state.metrics.registry).decode()
    assert 'babelwire_published_articles{language="en"} 2.0' in text
    assert any("count(" in statement.lower() for statement in queries)


def test_collecting_takes_no_write_lock(seeded_store: Store, queries: list[str]) -> None:
    """A scrape reads: on SQLite it must not queue behind the pipeline's writers (BEGIN IMMEDIATE)."""
    list(StoreCollector(seeded_store, ["en"]).collect())
    assert "BEGIN IMMEDIATE" not in queries
