"""The distributed mode end to end: real worker processes, the scheduler, Redis, PostgreSQL, Apertium.

Every article is published exactly once: the same articles, with the same translations, as the
embedded runner publishes; kill -9 at random moments loses nothing and duplicates nothing; a
SIGTERM lets the running task finish.
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from babelwire.config import Settings
from babelwire.demo.server import DemoSite
from babelwire.pipeline.embedded import EmbeddedRunner
from babelwire.store import queries
from babelwire.store.db import Store
from babelwire.store.models import ItemRow, ItemStatus, StoryRow
from babelwire.web.app import create_app
from tests.pipeline.distributed.cluster import Cluster, NewsSite, tally, wait_until
from tests.pipeline.distributed.conftest import add_source, needs_apertium

pytestmark = [
    needs_apertium,
    pytest.mark.parametrize(
        "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
    ),
]


def published_titles(store: Store) -> dict[str, str]:
    """Original URL -> English title of every published item."""
    with store.session() as session:
        items = session.scalars(select(ItemRow).where(ItemRow.status == ItemStatus.PUBLISHED)).all()
        rows = {item.url: queries.find_translation(session, item.document_key or "", "en") for item in items}
        return {url: row.title if row is not None else "" for url, row in rows.items()}


def test_demo_site_is_published_once_as_the_embedded_runner_publishes_it(
    distributed_settings: Settings, distributed_store: Store, tmp_path: Path
) -> None:
    with DemoSite() as site:
        add_source(distributed_store, site.rss_url, "Diario (RSS)")
        add_source(distributed_store, site.atom_url, "Diario (Atom)")  # overlaps the RSS: each story once
        with Cluster(distributed_settings, tmp_path) as cluster:
            cluster.start_worker("a")
            cluster.start_worker("b")
            cluster.start_scheduler()
            done = wait_until(lambda: tally(distributed_store).settled >= len(site.articles), 120)
            assert done, cluster.logs()

        embedded_settings = distributed_settings.model_copy(
            update={"mode": "embedded", "database_url": f"sqlite:///{tmp_path / 'embedded.db'}"}
        )
        embedded_store = Store.from_settings(embedded_settings)
        add_source(embedded_store, site.rss_url, "Diario (RSS)")
        add_source(embedded_store, site.atom_url, "Diario (Atom)")
        runner = EmbeddedRunner(embedded_settings, embedded_store)
        try:
            asyncio.run(runner.run_once(force_poll=True))
        finally:
            runner.close()

    result = tally(distributed_store)
    assert result.published == result.items == len(site.articles)
    assert result.duplicates == 0
    distributed, embedded = published_titles(distributed_store), published_titles(embedded_store)
    embedded_store.close()
    assert sorted(distributed) == sorted(site.article_url(a) for a in site.articles)
    assert distributed == embedded, "same articles, same translations as the embedded runner"


def test_kill_9_at_random_moments_loses_and_duplicates_nothing(
    distributed_settings: Settings, distributed_store: Store, tmp_path: Path
) -> None:
    articles, kills = 40, 5
    rng = random.Random(7)
    with NewsSite(articles) as site, Cluster(distributed_settings, tmp_path) as cluster:
        add_source(distributed_store, site.rss_url)
        cluster.start_worker("a")
        cluster.start_worker("b")
        cluster.start_scheduler()
        wait_until(lambda: tally(distributed_store).items == articles, 30, poll=0.2)
        for _ in range(kills):
            wait_until(lambda: False, rng.uniform(1.0, 3.0), poll=0.1)  # a random moment mid-run
            victim = rng.choice(["a", "b"])
            cluster.kill(victim)
            cluster.start_worker(victim)
        done = wait_until(lambda: tally(distributed_store).settled >= articles, 150)
        assert done, f"{tally(distributed_store)}\n{cluster.logs()}"

    result = tally(distributed_store)
    assert (result.items, result.published, result.duplicates) == (articles, articles, 0), result
    assert (result.unplaced, result.copies) == (0, 0), "every article placed in a story exactly once"
    with distributed_store.session() as session:
        story_ids = set(session.scalars(select(ItemRow.story_id)))
        stored = set(session.scalars(select(StoryRow.id)))
    assert story_ids == stored, "every story once: no story without its articles, none missing"
    client = TestClient(
        create_app(distributed_settings.model_copy(update={"mode": "embedded"}), distributed_store)
    )
    response = client.get("/en/feed.rss")
    assert response.status_code == 200, response.text
    feed = feedparser.parse(response.content)
    links = [entry.link for entry in feed.entries]
    assert len(links) == len(set(links)) == articles, "every article once in the feed"


def test_sigterm_lets_the_running_task_finish(
    distributed_settings: Settings, distributed_store: Store, tmp_path: Path
) -> None:
    with NewsSite(1, delay=4.0) as site, Cluster(distributed_settings, tmp_path) as cluster:
        (article,) = site.articles
        site.slow_paths.add(article.path)
        add_source(distributed_store, site.rss_url)
        cluster.start_worker("a")
        cluster.start_scheduler()
        started = wait_until(lambda: any(r.path == article.path for r in site.requests), 30, poll=0.1)
        assert started, cluster.logs()

        assert cluster.terminate("a") == 0
        with distributed_store.session() as session:
            item = session.scalars(select(ItemRow)).one()
            assert item.page_key is not None, "the slow fetch finished before the worker exited"
        assert "Warm shutdown" in cluster.logs()

        site.slow_paths.clear()
        cluster.start_worker("a")
        done = wait_until(lambda: tally(distributed_store).settled >= 1, 60)
        assert done, cluster.logs()
    result = tally(distributed_store)
    assert (result.items, result.published, result.duplicates) == (1, 1, 0)
    assert len([r for r in site.requests if r.path == article.path]) == 1, "the page was fetched once"
