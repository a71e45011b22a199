"""poll_source and discover over real HTTP: a SiteServer on 127.0.0.1, the real client."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest

from babelwire.demo.server import Response, SiteServer
from babelwire.domain import FeedPoll, Source, SourceKind
from babelwire.fetch.errors import FetchError
from babelwire.fetch.fetcher import Fetcher
from babelwire.sources.errors import SourceError
from babelwire.sources.poll import MAX_CHILD_SITEMAPS, discover, poll_source
from tests.sources.getters import client_getter

DATA = Path(__file__).parent / "testdata"
T = TypeVar("T")
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Diario</title><id>urn:d</id>
<updated>2026-03-10T10:00:00Z</updated><link rel="hub" href="https://hub.example/"/>
<entry><title>Uno</title><id>urn:1</id><link href="{base}/2026/03/10/uno"/>
<updated>2026-03-10T10:00:00Z</updated></entry></feed>"""


def _xml(body: str | bytes, content_type: str = "application/xml") -> Response:
    return Response(content_type=content_type, body=body.encode() if isinstance(body, str) else body)


def _poll(url: str, kind: SourceKind = SourceKind.FEED, etag: str | None = None) -> FeedPoll:
    source = Source(name="d", url=url, kind=kind)
    return _with_getter(lambda getter: poll_source(getter, source, etag=etag))


def _with_getter(call: Callable[[Fetcher], Awaitable[T]]) -> T:
    async def run() -> T:
        async with client_getter() as getter:
            return await call(getter)

    return asyncio.run(run())


def _news_sitemap(base: str, *paths: str, age: timedelta = timedelta(hours=1)) -> bytes:
    when = (datetime.now(UTC) - age).isoformat()
    urls = "".join(
        f"<url><loc>{base}{path}</loc><news:news><news:publication><news:name>Diario</news:name>"
        f"<news:language>es</news:language></news:publication><news:publication_date>{when}"
        f"</news:publication_date><news:title>{path}</news:title></news:news></url>"
        for path in paths
    )
    return (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    ).encode()


def test_feed_poll_is_conditional_and_keeps_the_hub() -> None:
    with SiteServer() as site:
        site.set_route("/atom.xml", _xml(ATOM.format(base=site.base_url), "application/atom+xml"))
        first = _poll(site.url("/atom.xml"))
        assert [item.url for item in first.items] == [site.url("/2026/03/10/uno")]
        assert first.hub_url == "https://hub.example/" and first.etag
        again = _poll(site.url("/atom.xml"), etag=first.etag)
        assert again.not_modified and again.items == () and again.etag == first.etag


def test_feed_served_as_an_image_is_refused_before_parsing() -> None:
    with SiteServer({"/feed": _xml(b"\x89PNG", "image/png")}) as site, pytest.raises(FetchError) as caught:
        _poll(site.url("/feed"))
    assert caught.value.reason == "bad_content_type"


def test_sitemap_index_follows_the_newest_children_only() -> None:
    with SiteServer() as site:
        children = "".join(
            f"<sitemap><loc>{site.url(f'/s/{day}.xml.gz')}</loc><lastmod>2026-03-{day:02d}</lastmod></sitemap>"
            for day in range(1, 9)
        )
        site.set_route("/index.xml", _xml(f"<sitemapindex>{children}</sitemapindex>"))
        for day in range(1, 9):
            body = gzip.compress(_news_sitemap(site.base_url, f"/2026/03/{day:02d}/story-{day}"))
            site.set_route(f"/s/{day}.xml.gz", _xml(body, "application/x-gzip"))
        site.set_route("/s/8.xml.gz", Response(status=500))  # the newest is broken: the others still count
        poll = _poll(site.url("/index.xml"), SourceKind.SITEMAP)
        fetched = [r.path for r in site.requests]
    assert fetched == ["/index.xml"] + [f"/s/{day}.xml.gz" for day in range(8, 8 - MAX_CHILD_SITEMAPS, -1)]
    assert sorted(item.url.rsplit("-", 1)[1] for item in poll.items) == ["4", "5", "6", "7"]
    assert (poll.title, poll.language) == ("Diario", "es")


def test_sitemap_index_whose_children_all_fail_is_an_error() -> None:
    with SiteServer() as site:
        gone = f"<sitemap><loc>{site.url('/gone.xml')}</loc></sitemap>"
        site.set_route("/index.xml", _xml(f"<sitemapindex>{gone}</sitemapindex>", "text/xml"))
        with pytest.raises(FetchError) as caught:
            _poll(site.url("/index.xml"), SourceKind.SITEMAP)
    assert caught.value.reason == "http_404"


def test_index_page_poll_with_and_without_links() -> None:
    page = (DATA / "index-page.html").read_bytes()
    with SiteServer({"/ultimas": Response(body=page), "/empty": Response(body=b"<p>nothing</p>")}) as site:
        poll = _poll(site.url("/ultimas"), SourceKind.INDEX)
        assert len(poll.items) == 3 and poll.language == "es-ES"  # one story is on www.diario.example
        assert poll.title == "Últimas noticias | Diario del Puerto"
        with pytest.raises(SourceError) as caught:
            _poll(site.url("/empty"), SourceKind.INDEX)
    assert caught.value.reason == "no_article_links" and "--link-pattern" in caught.value.message


def test_discover_prefers_the_announced_site_feed() -> None:
    home = (DATA / "home-with-feeds.html").read_bytes()
    with SiteServer({"/": Response(body=home)}) as site:
        site.set_route("/atom.xml", _xml(ATOM.format(base=site.base_url), "application/atom+xml"))
        found = _with_getter(lambda g: discover(g, site.url("/"), language="es"))
    assert found.found == "an Atom feed"
    expected = Source(name="Diario", url=site.url("/atom.xml"), kind=SourceKind.FEED, language="es")
    assert found.source == expected


def test_discover_falls_back_to_a_news_sitemap_then_to_the_page() -> None:
    page = (DATA / "index-page.html").read_bytes()
    with SiteServer({"/": Response(body=page)}) as site:
        site.set_route("/feed", Response(body=b"<html>a page, not a feed</html>"))
        site.set_route("/sitemap.xml", _xml(_news_sitemap(site.base_url, "/a")))
        found = _with_getter(lambda g: discover(g, site.url("/"), name="Mine"))
        assert (found.found, found.source.kind) == ("a news sitemap", SourceKind.SITEMAP)
        assert found.source.name == "Mine"
        site.remove_route("/sitemap.xml")
        found = _with_getter(lambda g: discover(g, site.url("/")))
    assert found.source.kind == SourceKind.INDEX and found.source.url == site.url("/")
    assert "index page with 3 article links" in found.found


def test_discover_of_a_feed_url_and_of_nothing() -> None:
    with SiteServer({"/nothing": Response(body=b"<html><body>hello</body></html>")}) as site:
        rss = b'<rss version="2.0"><channel><title>R</title></channel></rss>'
        site.set_route("/rss", _xml(rss, "application/rss+xml"))
        found = _with_getter(lambda g: discover(g, site.url("/rss")))
        assert (found.found, found.source.url) == ("an RSS feed", site.url("/rss"))
        site.remove_route("/rss")
        with pytest.raises(SourceError) as caught:
            _with_getter(lambda g: discover(g, site.url("/nothing")))
    assert caught.value.reason == "nothing_found" and "--kind index" in caught.value.message
