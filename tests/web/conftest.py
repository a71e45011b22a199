"""A published site to look at: the demo site run through the real pipeline once per module."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from babelwire.config import FetchSettings, Settings
from babelwire.demo.server import DemoSite
from babelwire.domain import Source, TranslatedBlock, Translation
from babelwire.pipeline.embedded import EmbeddedRunner
from babelwire.store import queries
from babelwire.store.db import Store
from babelwire.store.models import ItemRow, TranslationRow
from babelwire.web.app import create_app
from tests.conftest import LOOPBACK_NETWORKS


@pytest.fixture(scope="module")
def demo_site() -> Iterator[DemoSite]:
    with DemoSite() as site:
        yield site


@pytest.fixture(scope="module")
def site_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data = tmp_path_factory.mktemp("site")
    return Settings(
        data_dir=data,
        database_url=f"sqlite:///{data / 'site.db'}",
        target_languages=["en", "es"],
        site_title="Test Wire",
        base_url="http://wire.test",
        fetch=FetchSettings(allowed_networks=LOOPBACK_NETWORKS),
    )


@pytest.fixture(scope="module")
def published_store(site_settings: Settings, demo_site: DemoSite) -> Iterator[Store]:
    if shutil.which("apertium") is None:
        pytest.skip("apt-get install apertium-eng-spa")
    store = Store(site_settings.resolved_database_url)
    with store.session() as session, session.begin():
        queries.upsert_source(
            session, Source(name="El Diario del Puerto", url=demo_site.rss_url, language="es")
        )
    runner = EmbeddedRunner(site_settings, store)
    # In its own thread: Playwright's sync API may already own this thread's event loop.
    with ThreadPoolExecutor(1) as pool:
        report = pool.submit(asyncio.run, runner.run_once(force_poll=True)).result()
    runner.close()
    assert report.failures == []
    yield store
    store.close()


@pytest.fixture(scope="module")
def uncached(site_settings: Settings, published_store: Store) -> TestClient:
    """A client of the published site without its page cache, for tests that change PAGE_SIZE
    between requests (a cached page would keep the size it was rendered with)."""
    web = site_settings.web.model_copy(update={"cache_mb": 0})
    return TestClient(create_app(site_settings.model_copy(update={"web": web}), published_store))


@pytest.fixture(scope="module")
def publish_hostile(published_store: Store) -> Callable[[str, str, tuple[TranslatedBlock, ...]], int]:
    """Publishes an engine's hostile English translation of the first item, as if the editor passed it.

    Engines are third parties too. Takes the title, the model version and the blocks; returns the item's id.
    """

    def publish(title: str, model_version: str, blocks: tuple[TranslatedBlock, ...]) -> int:
        with published_store.session() as session, session.begin():
            item = session.query(ItemRow).order_by(ItemRow.id).first()
            assert item is not None and item.document_key
            hostile = Translation(
                document_key=item.document_key,
                source_lang="es",
                target_lang="en",
                engine="evil",
                model_version=model_version,
                title=title,
                blocks=blocks,
            )
            queries.save_translation(session, hostile).review_status = "publish"
            return item.id

    return publish


@pytest.fixture(scope="module")
def hold_first_item(published_store: Store) -> Callable[[str], AbstractContextManager[int]]:
    """Holds the first item's translations into a language for a `with` block; yields the item's id."""

    @contextmanager
    def hold(language: str) -> Iterator[int]:
        with published_store.session() as session, session.begin():
            item = session.query(ItemRow).order_by(ItemRow.id).first()
            assert item is not None
            rows = session.query(TranslationRow).filter_by(
                document_key=item.document_key, target_lang=language
            )
            keys = []
            for row in rows.all():
                row.review_status = "hold"
                keys.append(row.key)
            item_id = item.id
        try:
            yield item_id
        finally:
            with published_store.session() as session, session.begin():
                for key in keys:
                    session.get_one(TranslationRow, key).review_status = "publish"

    return hold


@pytest.fixture(scope="session")
def artifacts() -> Path:
    path = Path(__file__).resolve().parents[2] / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
