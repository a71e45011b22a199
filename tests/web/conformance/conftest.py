"""The demo store, translated into en, es and ca, served live on 127.0.0.1 for third-party checkers.

The store is built once per session by the real pipeline (both demo papers' RSS and Atom feeds,
Apertium). `live_site` serves it as it is, for read-only checkers; `scratch_site` serves a copy,
for checkers that write (schemathesis with a token adds sources and releases translations).
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI

from babelwire.config import FetchSettings, Settings
from babelwire.demo.papers import PAPERS
from babelwire.demo.server import DemoSite
from babelwire.domain import Source
from babelwire.pipeline.embedded import EmbeddedRunner
from babelwire.store import queries
from babelwire.store.db import Store
from babelwire.web import auth
from babelwire.web.app import create_app
from tests.conftest import LOOPBACK_NETWORKS
from tests.web.browsing import bound_socket, serve_app

LANGUAGES = ["en", "es", "ca"]
ADMIN_PASSWORD = "conformance-password"


@dataclass(frozen=True)
class LiveSite:
    """A served store: its base URL, an API token and the admin password that open it."""

    base_url: str
    token: str
    settings: Settings
    store: Store
    app: FastAPI

    @property
    def admin_password(self) -> str:
        return ADMIN_PASSWORD


@dataclass(frozen=True)
class DemoStore:
    database: Path
    token: str


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> DemoStore:
    """Both demo papers run through the whole wire into en, es and ca: stories with two sources and
    one agency copy."""
    if shutil.which("apertium") is None:
        pytest.skip("apt-get install apertium apertium-eng-spa apertium-eng-cat apertium-spa-cat")
    data = tmp_path_factory.mktemp("conformance")
    database = data / "demo.db"
    settings = _settings(database, "http://127.0.0.1")
    store = Store(settings.resolved_database_url)
    with ExitStack() as servers:
        sites = [servers.enter_context(DemoSite(paper=paper)) for paper in PAPERS]
        with store.session() as session, session.begin():
            for site in sites:
                for kind, url in (("RSS", site.rss_url), ("Atom", site.atom_url)):
                    source = Source(name=f"{site.paper.name} ({kind})", url=url, language=site.paper.language)
                    queries.upsert_source(session, source)
        runner = EmbeddedRunner(settings, store)
        with ThreadPoolExecutor(1) as pool:  # Playwright's sync API may own this thread's loop
            report = pool.submit(asyncio.run, runner.run_once(force_poll=True)).result()
        runner.close()
    assert report.failures == [] and report.published > 0
    with store.session() as session, session.begin():
        auth.set_admin_password(session, ADMIN_PASSWORD)
        token = auth.create_token(session, "conformance")
    store.close()
    return DemoStore(database=database, token=token)


def _settings(database: Path, base_url: str) -> Settings:
    return Settings(
        data_dir=database.parent,
        database_url=f"sqlite:///{database}",
        target_languages=LANGUAGES,
        site_title="Demo Wire",
        base_url=base_url,
        fetch=FetchSettings(allowed_networks=LOOPBACK_NETWORKS),
    )


@contextmanager
def _serve(database: Path, token: str) -> Iterator[LiveSite]:
    sock = bound_socket()
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = _settings(database, base_url)
    store = Store(settings.resolved_database_url)
    try:
        app = create_app(settings, store)
        with serve_app(app, sock) as url:
            yield LiveSite(base_url=url, token=token, settings=settings, store=store, app=app)
    finally:
        store.close()


@pytest.fixture(scope="session")
def live_site(demo_store: DemoStore) -> Iterator[LiveSite]:
    """The demo store served as it is: checkers must not change it."""
    with _serve(demo_store.database, demo_store.token) as site:
        yield site


@pytest.fixture
def scratch_site(demo_store: DemoStore, tmp_path: Path) -> Callable[[], AbstractContextManager[LiveSite]]:
    """A copy of the demo store served on its own port, for checkers that write."""

    def serve_copy() -> AbstractContextManager[LiveSite]:
        copy = tmp_path / "scratch.db"
        shutil.copyfile(demo_store.database, copy)
        return _serve(copy, demo_store.token)

    return serve_copy
