"""The rendered-page cache: kept answers are replayed, and a publish, update, hold or release empties
every cache at once — in one process, and across two web processes sharing the store (both backends)."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from babelwire.config import Settings
from babelwire.store.db import Store
from babelwire.store.held import decide_held
from babelwire.store.models import ReviewStatus, SourceRow, TranslationRow
from babelwire.web.app import create_app
from babelwire.web.cache import CachedAnswer, PageCache, ResponseCacheMiddleware
from tests.web.browsing import serve_app
from tests.web.test_api import add_article, seed_wire

CACHE = "x-babelwire-cache"


def routes(article: int) -> dict[str, str]:
    """Every kind of public answer that shows an article, by what it is."""
    return {
        "home": "/en/",
        "article": f"/en/articles/{article}",
        "bilingual": f"/en/articles/{article}/bilingual",
        "source": "/en/sources/1",
        "rss": "/en/feed.rss",
        "atom": "/en/feed.atom",
        "json feed": "/en/feed.json",
        "source feed": "/en/sources/1/feed.atom",
        "sitemap": "/sitemap.xml",
        "api list": "/api/v1/articles",
        "api detail": f"/api/v1/articles/{article}",
        "search": "/en/search?q=sentence",
    }


def shows(get: httpx.Client | TestClient, path: str, article: int, title: str) -> bool:
    """Whether the answer at `path` shows the article: its own page answers with the title, a list
    carries the title (the sitemap, which has no titles, its URL)."""
    response = get.get(path)
    if path.startswith((f"/en/articles/{article}", f"/api/v1/articles/{article}")):
        return response.status_code == 200 and title in response.text
    assert response.status_code == 200, (path, response.status_code)
    if path == "/sitemap.xml":
        return f"/en/articles/{article}<" in response.text
    return title in response.text


def visibility(get: httpx.Client | TestClient, article: int, title: str) -> dict[str, bool]:
    return {name: shows(get, path, article, title) for name, path in routes(article).items()}


def warm(get: httpx.Client | TestClient, article: int) -> None:
    """Fill the cache and prove it: the second answer of each kept route is a hit."""
    for path in routes(article).values():
        get.get(path)
        again = get.get(path)
        if again.status_code == 200:
            assert again.headers[CACHE] == "hit", path


def hold(store: Store, title: str) -> None:
    """A re-review holds a visible translation (what a new verdict does)."""
    with store.session() as session, session.begin():
        row = session.scalars(select(TranslationRow).where(TranslationRow.title == title)).one()
        row.review_status = ReviewStatus.HOLD


def retitle(store: Store, title: str, new_title: str) -> None:
    with store.session() as session, session.begin():
        session.scalars(select(TranslationRow).where(TranslationRow.title == title)).one().title = new_title


def publish_new(store: Store) -> int:
    with store.session() as session, session.begin():
        source = session.get_one(SourceRow, 1)
        return add_article(session, source, 77, day=20, verdict="publish", findings=[])


def check_lifecycle(store: Store, clients: list[httpx.Client] | list[TestClient], article: int) -> None:
    """Publish, update, hold and release, each seen at once by every client's process."""
    everywhere = dict.fromkeys(routes(article), True)
    nowhere = dict.fromkeys(routes(article), False)
    for client in clients:
        warm(client, article)
        assert visibility(client, article, "Title 1") == everywhere
    retitle(store, "Title 1", "Title 1 — corrected")
    for client in clients:
        assert visibility(client, article, "corrected") == everywhere, "update"
    hold(store, "Title 1 — corrected")
    for client in clients:
        assert visibility(client, article, "corrected") == nowhere, "hold"
    with store.session() as session, session.begin():
        assert decide_held(session, article, "en", release=True) is not None
    for client in clients:
        assert visibility(client, article, "corrected") == everywhere, "release"
    new = publish_new(store)
    for client in clients:
        assert client.get(f"/en/articles/{new}").status_code == 200
        for name in ("home", "rss", "atom", "json feed", "sitemap", "api list"):
            assert shows(client, routes(new)[name], new, "Title 77"), ("publish", name)


@pytest.fixture
def seeded(tmp_path: Path, database_url: str) -> Iterator[tuple[Settings, Store, dict[str, int]]]:
    settings = Settings(data_dir=tmp_path, database_url=database_url, target_languages=["en"])
    store = Store(database_url)
    ids = seed_wire(store)
    yield settings, store, ids
    store.close()


def test_one_process_serves_kept_answers_and_forgets_them_on_every_change(
    seeded: tuple[Settings, Store, dict[str, int]],
) -> None:
    settings, store, ids = seeded
    app = create_app(settings, store)
    client = TestClient(app, client=("127.0.0.1", 50000))  # a loopback address may read /metrics
    check_lifecycle(store, [client], ids["published"])
    cache = app.state.page_cache
    assert cache.hits > 0 and cache.misses > 0
    metrics = client.get("/metrics").text
    assert f'babelwire_page_cache_requests_total{{result="hit"}} {float(cache.hits)}' in metrics
    assert f"babelwire_page_cache_entries {float(len(cache))}" in metrics


def test_private_and_failed_answers_are_never_kept(seeded: tuple[Settings, Store, dict[str, int]]) -> None:
    settings, store, ids = seeded
    client = TestClient(create_app(settings, store))
    for path in ("/admin/login", "/en/articles/999999", "/healthz"):
        client.get(path)
        assert CACHE not in client.get(path).headers, path
    token_headers = {"Authorization": "Bearer nope"}
    client.get("/api/v1/articles", headers=token_headers)
    assert CACHE not in client.get("/api/v1/articles", headers=token_headers).headers
    assert client.head(f"/en/articles/{ids['published']}").status_code == 200
    assert client.head(f"/en/articles/{ids['published']}").headers[CACHE] == "hit"  # HEAD shares GET's


def test_cache_off_renders_every_request(seeded: tuple[Settings, Store, dict[str, int]]) -> None:
    settings, store, _ = seeded
    off = settings.model_copy(update={"web": settings.web.model_copy(update={"cache_mb": 0})})
    client = TestClient(create_app(off, store))
    client.get("/en/")
    assert CACHE not in client.get("/en/").headers


def test_the_cache_stays_within_its_bytes() -> None:
    cache = PageCache(max_bytes=10_000)
    cache.get("/", generation=3)
    for n in range(50):
        cache.put(f"/{n}", CachedAnswer(3, 200, [], b"x" * 700))
    assert cache.size <= 10_000 and len(cache) < 50
    assert cache.get("/49", 3) is not None and cache.get("/0", 3) is None  # least recently used went
    cache.put("/big", CachedAnswer(3, 200, [], b"x" * 5_000))  # over an eighth: not worth a slot
    assert cache.get("/big", 3) is None
    assert cache.get("/49", 4) is None and len(cache) == 0  # a new generation drops the old one whole
    cache.put("/late", CachedAnswer(3, 200, [], b"late"))  # rendered for a gone generation
    assert cache.get("/late", 4) is None


def test_an_answer_is_kept_before_the_client_has_it_all(tmp_path: Path) -> None:
    """The route's session closes after the answer went out (a yield dependency's teardown): the next
    request on the same connection may come first, and must find the answer already kept."""
    store = Store(f"sqlite:///{tmp_path / 'race.db'}")
    app = FastAPI()

    async def slow_teardown() -> AsyncIterator[None]:
        yield
        await asyncio.sleep(0.3)

    @app.get("/page", dependencies=[Depends(slow_teardown)])
    def page() -> dict[str, str]:
        return {"page": "rendered"}

    app.add_middleware(ResponseCacheMiddleware, store=store, cache=PageCache(2**20))
    try:
        with serve_app(app) as url, httpx.Client(base_url=url) as client:
            assert client.get("/page").headers[CACHE] == "miss"
            assert client.get("/page").headers[CACHE] == "hit"
    finally:
        store.close()


RUNNING_ON = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")


@contextmanager
def web_process(settings: Settings) -> Iterator[httpx.Client]:
    """The site as deployed: uvicorn --factory in its own process, configured by the environment.

    It binds port 0 itself and says which port it got: a port picked here and bound there could be
    taken by another server in between, and the test would talk to that one."""
    env = {**os.environ, "BABELWIRE_DATABASE_URL": settings.resolved_database_url,
           "BABELWIRE_DATA_DIR": str(settings.data_dir), "BABELWIRE_TARGET_LANGUAGES": "en"}  # fmt: skip
    command = [sys.executable, "-m", "uvicorn", "--factory", "babelwire.web.asgi:app_from_environment",
               "--host", "127.0.0.1", "--port", "0", "--log-level", "info", "--no-access-log"]  # fmt: skip
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    try:
        lines = []
        for line in process.stderr:
            lines.append(line)
            if found := RUNNING_ON.search(line):
                break
        else:
            raise AssertionError("uvicorn did not start:\n" + "".join(lines))
        drain = threading.Thread(target=process.stderr.read, daemon=True)  # keep the pipe from filling
        drain.start()
        with httpx.Client(base_url=f"http://127.0.0.1:{found[1]}", timeout=10) as client:
            assert client.get("/healthz").status_code == 200
            yield client
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_two_web_processes_forget_at_once(seeded: tuple[Settings, Store, dict[str, int]]) -> None:
    settings, store, ids = seeded
    with web_process(settings) as first, web_process(settings) as second:
        check_lifecycle(store, [first, second], ids["published"])
