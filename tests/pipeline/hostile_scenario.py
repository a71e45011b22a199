"""The hostile-sources scenario, run in its own process so its peak memory can be measured.

One good source (a feed with two real articles, plus links to hostile article pages) and one
source per attack of tests/fetch/hostile.py, all polled and processed by the real embedded
runner through the loopback-only connect layer. Prints one JSON line: what was recorded on
every source and item, what was published, every connect attempt, wall time and peak RSS.

    python -m tests.pipeline.hostile_scenario <data-dir>
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import resource
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from sqlalchemy import select

from babelwire.config import FetchSettings, Settings
from babelwire.demo.server import DemoSite, Response, SiteServer
from babelwire.domain import Source
from babelwire.fetch.guard import StaticResolver
from babelwire.pipeline.embedded import EmbeddedRunner
from babelwire.store import queries
from babelwire.store.db import Store
from babelwire.store.models import ItemRow, ItemStatus, SourceRow
from tests.fetch.hostile import BROKEN, HostileServer
from tests.fetch.loopback import LoopbackOnlyBackend

# Feeds that attack the poller: path on the hostile server.
HOSTILE_FEEDS = (
    "/slowloris",
    "/drip",
    "/endless",
    "/bomb",
    "/nested-bomb",
    "/loop-a",
    "/chain/20",
    "/wrong-type",
    "/huge-feed",
    "/huge-feed-declared",
    *(f"/broken/{name}" for name in BROKEN),
)
# Redirects to addresses the guard must refuse (the resolver maps the names; nothing is allow-listed
# but 127.0.0.1, where the test servers live).
REDIRECTS = {
    "/to-metadata": "http://169.254.169.254/latest/meta-data/",
    "/to-metadata-name": "http://metadata.test/latest/meta-data/",
    "/to-private": "http://internal.test/feed.xml",
    "/to-private-ip": "http://10.0.0.1/feed.xml",
    "/to-ipv6-loopback": "http://[::1]:{port}/feed.xml",
    "/to-decimal-ip": "http://2130706433:{port}/feed.xml",
}
# Article pages that attack the fetch stage, linked from the good feed.
HOSTILE_PAGES = (
    "/slowloris",
    "/drip",
    "/endless",
    "/bomb",
    "/nested-bomb",
    "/loop-a",
    "/wrong-type",
    "/huge-feed",
    "/to-metadata",
    "/to-private",
    *(f"/broken/{name}" for name in BROKEN),
)
INVALID_XML_FEED = "/invalid-xml"
# Its XML is broken, but feedparser still finds an item, whose article (on a host the resolver
# does not know) then fails: the error lands on that item.
INVALID_XML_ITEM = "http://example.com/a"
RESOLVER = {"metadata.test": ["169.254.169.254"], "internal.test": ["10.0.0.1"]}


CONCURRENCY = 4  # hostile bodies in flight at once: each may hold up to fetch.max_bytes


def current_rss_mb() -> float:
    """Resident memory now (Linux /proc), to tell what the attacks add to the loaded process."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def warm_up(page_html: str, url: str) -> None:
    """Load the extraction and language-id stack before the baseline is taken."""
    from babelwire.domain import Page
    from babelwire.extract import extract_document

    extract_document(Page(url=url, final_url=url, status=200, content_type="text/html", html=page_html))


def scenario_settings(data_dir: Path) -> Settings:
    fetch = FetchSettings(
        allowed_networks=["127.0.0.1/32"],
        per_host_interval=0,
        concurrency=CONCURRENCY,
        connect_timeout=1,
        read_timeout=1,
        total_timeout=2,
    )
    return Settings(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'hostile.db'}",
        target_languages=["en"],
        fetch=fetch,
    )


def good_feed(links: list[str]) -> Response:
    items = "".join(f"<item><title>{link}</title><link>{link}</link></item>" for link in links)
    body = f'<rss version="2.0"><channel><title>Good</title><language>es</language>{items}</channel></rss>'
    return Response(content_type="application/rss+xml", body=body.encode())


def _serve_hostile(redirects: dict[str, str], conn: Connection) -> None:
    with HostileServer() as hostile:
        for path, location in redirects.items():
            hostile.redirect(path, location.format(port=hostile.port))
        conn.send(hostile.port)
        conn.recv()  # until the scenario is over


@contextmanager
def hostile_server_process(redirects: Mapping[str, str]) -> Iterator[int]:
    """The hostile server in a process of its own (its port is yielded): its threads' buffers and
    malloc arenas must not count as the runner's memory, which is what the scenario measures."""
    context = multiprocessing.get_context("spawn")
    here, there = context.Pipe()
    process = context.Process(target=_serve_hostile, args=(dict(redirects), there), daemon=True)
    process.start()
    try:
        yield here.recv()
    finally:
        here.send("stop")
        process.join(10)
        if process.is_alive():
            process.kill()


def run(data_dir: Path) -> dict[str, Any]:
    settings = scenario_settings(data_dir)
    store = Store(settings.resolved_database_url)
    backend = LoopbackOnlyBackend()
    articles = DemoSite()  # not started: only its rendered pages are borrowed
    with hostile_server_process(REDIRECTS) as hostile_port, SiteServer() as good:

        def hostile_url(path: str) -> str:
            return f"http://127.0.0.1:{hostile_port}{path}"

        good_pages = []
        for article in articles.articles[:2]:
            good.set_route(article.path, articles.routes[article.path])
            good_pages.append(good.url(article.path))
        good.set_route("/rss.xml", good_feed(good_pages + [hostile_url(p) for p in HOSTILE_PAGES]))
        with store.session() as session, session.begin():
            queries.upsert_source(session, Source(name="good", url=good.url("/rss.xml"), language="es"))
            for path in (*HOSTILE_FEEDS, INVALID_XML_FEED, *REDIRECTS):
                queries.upsert_source(session, Source(name=path, url=hostile_url(path), language="es"))
        runner = EmbeddedRunner(settings, store, resolver=StaticResolver(RESOLVER), network_backend=backend)
        first = articles.articles[0]
        warm_up(articles.routes[first.path].body.decode("utf-8"), good_pages[0])
        baseline = current_rss_mb()
        started = time.monotonic()
        try:
            report = asyncio.run(runner.run_once(force_poll=True))
        finally:
            runner.close()
        wall = time.monotonic() - started
    with store.session() as session:
        sources = {
            row.name: {"errors": row.error_count, "last_error": row.last_error}
            for row in session.scalars(select(SourceRow))
        }
        items = {
            row.url: {"status": row.status, "error": row.error_class, "message": row.error_message}
            for row in session.scalars(select(ItemRow))
        }
    store.close()
    return {
        "sources": sources,
        "items": items,
        "published": report.published,
        "good_pages": good_pages,
        "hostile_port": hostile_port,
        "connects": backend.attempts,
        "wall": wall,
        "published_status": ItemStatus.PUBLISHED,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "baseline_mb": baseline,
        "max_body_mb": settings.fetch.max_bytes / 2**20,
    }


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1]))), flush=True)
