"""The whole pipeline on real parts: local HTTP servers, Apertium, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
from collections.abc import Iterator
from html import escape

import pytest
from sqlalchemy import func, select

from babelwire.config import Settings
from babelwire.demo.chrome import CHROME_STRINGS
from babelwire.demo.server import DemoSite, Response, SiteServer
from babelwire.domain import Source
from babelwire.pipeline.embedded import EmbeddedRunner
from babelwire.pipeline.report import RunReport
from babelwire.store import queries
from babelwire.store.articles import latest_articles
from babelwire.store.db import Store
from babelwire.store.models import DocumentRow, ItemRow, ItemStatus, SourceRow, TranslationRow
from babelwire.translate.engines.apertium import ApertiumEngine

pytestmark = pytest.mark.skipif(shutil.which("apertium") is None, reason="apt-get install apertium-eng-spa")


def run_once(settings: Settings, store: Store) -> RunReport:
    runner = EmbeddedRunner(settings, store)
    try:
        return asyncio.run(runner.run_once(force_poll=True))
    finally:
        runner.close()


def add_sources(store: Store, *sources: Source) -> None:
    with store.session() as session, session.begin():
        for source in sources:
            queries.upsert_source(session, source)


@pytest.fixture(scope="module")
def demo_site() -> Iterator[DemoSite]:
    with DemoSite() as site:
        yield site


@pytest.fixture(scope="module")
def english_chrome() -> list[str]:
    """The demo chrome as Apertium renders it in English: what chrome would look like if it leaked."""
    translated = ApertiumEngine().translate([escape(s, quote=False) for s in CHROME_STRINGS], "es", "en")
    return [t for t in translated if len(t.split()) >= 2]


def test_demo_site_is_published_in_english_without_chrome(
    demo_site: DemoSite, settings: Settings, store: Store, english_chrome: list[str]
) -> None:
    add_sources(
        store,
        Source(name="Diario (RSS)", url=demo_site.rss_url, language="es"),
        Source(name="Diario (Atom)", url=demo_site.atom_url, language="es"),
    )
    report = run_once(settings, store)

    assert report.failures == []
    assert report.published == len(demo_site.articles)  # RSS and Atom overlap: each story once
    with store.session() as session:
        articles = latest_articles(session, "en", limit=100)
        documents = list(session.scalars(select(DocumentRow)))
    assert sorted(a.original_url for a in articles) == sorted(
        demo_site.article_url(a) for a in demo_site.articles
    )
    for document in documents:
        source_text = " ".join(b["text"] for b in json.loads(document.blocks_json))
        leaked = [chrome for chrome in CHROME_STRINGS if chrome in source_text]
        assert leaked == [], f"{document.url} kept page chrome"
    demo_titles = {a.title for a in demo_site.articles}
    for article in articles:
        assert article.original_title in demo_titles
        assert article.engine == "apertium" and article.model_version.startswith("apertium-eng-spa")
        assert article.title and article.title != article.original_title
        english = " ".join(block.html for block in article.blocks)
        assert [chrome for chrome in english_chrome if chrome in english] == []
        assert article.author and article.published


def test_second_run_is_conditional_and_translates_nothing(
    demo_site: DemoSite, settings: Settings, store: Store
) -> None:
    add_sources(store, Source(name="Diario", url=demo_site.rss_url, language="es"))
    first = run_once(settings, store)
    assert first.published == len(demo_site.articles)
    with store.session() as session:
        translations = session.scalar(select(func.count()).select_from(TranslationRow))
        etag = session.scalar(select(SourceRow.etag))
    assert etag

    second = run_once(settings, store)
    assert (second.sources_not_modified, second.items_found, second.published, second.failed) == (1, 0, 0, 0)
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(TranslationRow)) == translations
        assert queries.status_counts(session) == {ItemStatus.PUBLISHED: len(demo_site.articles)}


def rss_feed(*links: str) -> Response:
    items = "".join(f"<item><title>{link}</title><link>{link}</link></item>" for link in links)
    body = f'<rss version="2.0"><channel><title>Test</title>{items}</channel></rss>'
    return Response(content_type="application/rss+xml", body=body.encode())


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_bad_input_is_recorded_on_its_item_and_the_rest_publishes(
    demo_site: DemoSite, settings: Settings, store: Store
) -> None:
    good = demo_site.articles[0]
    good_html = demo_site.routes[good.path].body
    with SiteServer() as hostile:
        dead = f"http://127.0.0.1:{_closed_port()}/gone.html"
        items = [
            ("/good.html", hostile.url("/good.html")),
            ("/report.pdf", hostile.url("/report.pdf")),
            ("/broken.html", hostile.url("/broken.html")),
            ("/dead.html", dead),
        ]
        hostile.set_route("/rss.xml", rss_feed(*(url for _, url in items)))
        hostile.set_route(
            "/not-xml.rss", Response(content_type="application/rss+xml", body=b"{{{ this is no feed")
        )
        hostile.set_route("/good.html", Response(body=good_html))
        hostile.set_route("/report.pdf", Response(content_type="application/pdf", body=b"%PDF-1.7 binary"))
        hostile.set_route("/broken.html", Response(status=500, body=b"Internal Server Error"))
        add_sources(
            store,
            Source(name="hostile", url=hostile.url("/rss.xml"), language="es"),
            Source(name="not xml", url=hostile.url("/not-xml.rss"), language="es"),
        )
        report = run_once(settings, store)

    assert report.published == 1
    with store.session() as session:
        rows = {row.url: row for row in session.scalars(select(ItemRow))}
        broken_feed = session.scalar(select(SourceRow).where(SourceRow.name == "not xml"))
    assert rows[hostile.url("/good.html")].status == ItemStatus.PUBLISHED
    expected = {
        hostile.url("/report.pdf"): ("fetch", "bad_content_type"),  # refused before its body
        hostile.url("/broken.html"): ("fetch", "http_500"),
        dead: ("fetch", "robots_unavailable"),  # nothing answers, not even for robots.txt
    }
    for url, (stage, reason) in expected.items():
        row = rows[url]
        assert (row.status, row.error_stage, row.error_class, row.attempts) == (
            ItemStatus.FAILED,
            stage,
            reason,
            1,
        )
        assert row.error_message
    assert broken_feed is not None and broken_feed.error_count == 1
    assert broken_feed.last_error and broken_feed.last_error.startswith("not_a_feed")
    assert {f.reason for f in report.failures} == {
        "bad_content_type",
        "http_500",
        "robots_unavailable",
        "not_a_feed",
    }


def test_unknown_language_is_a_recorded_error(demo_site: DemoSite, settings: Settings, store: Store) -> None:
    """An article whose language cannot be told is held back with a fix, not guessed."""
    with SiteServer() as server:
        page = (
            b"<html><body><article><h1>12345</h1><p>"
            + b"0123 4567 89. " * 40
            + b"</p></article></body></html>"
        )
        server.set_route("/n.html", Response(body=page))
        server.set_route("/feed", rss_feed(server.url("/n.html")))
        add_sources(store, Source(name="numbers", url=server.url("/feed")))
        report = run_once(settings, store)
    assert report.published == 0
    (failure,) = report.failures
    assert failure.stage in {"extract", "translate"}


def test_engine_failure_is_recorded_then_the_fallback_publishes(
    demo_site: DemoSite, settings: Settings, store: Store
) -> None:
    """A LibreTranslate server that is down: a readable error on each item, then Apertium as fallback."""
    down = {"url": f"http://127.0.0.1:{_closed_port()}", "attempts": 1, "connect_timeout": 1}
    only_down = settings.model_copy(
        update={"engines": {"es-en": ["libretranslate"]}, "engine_options": {"libretranslate": down}}
    )
    add_sources(store, Source(name="Diario", url=demo_site.atom_url, language="es"))
    report = run_once(only_down, store)
    assert report.published == 0 and len(report.failures) == 8
    assert {(f.stage, f.reason) for f in report.failures} == {("translate", "connect")}
    assert all("libretranslate es->en" in f.message for f in report.failures)

    with_fallback = only_down.model_copy(update={"engines": {"es-en": ["libretranslate", "apertium"]}})
    report = run_once(with_fallback, store)
    assert report.published == 8 and report.failures == []
    with store.session() as session:
        engines = set(session.scalars(select(TranslationRow.engine)))
        items = list(session.scalars(select(ItemRow)))
    assert engines == {"apertium"}
    assert all(item.status == ItemStatus.PUBLISHED and item.attempts == 1 for item in items)


def test_a_feed_cannot_set_a_non_http_site_link(settings: Settings, store: Store) -> None:
    with SiteServer() as server:
        body = b'<rss version="2.0"><channel><title>T</title><link>javascript:alert(1)</link></channel></rss>'
        server.set_route("/feed", Response(content_type="application/rss+xml", body=body))
        add_sources(store, Source(name="odd", url=server.url("/feed"), language="es"))
        report = run_once(settings, store)
    assert report.failures == [] and report.sources_polled == 1
    with store.session() as session:
        assert session.scalar(select(SourceRow.site_url)) is None
