"""The site through its HTTP interface: pages, provenance, feed, safety headers, errors."""

from __future__ import annotations

import re
from collections.abc import Callable

import feedparser
import pytest
from fastapi.testclient import TestClient

from babelwire.config import Settings
from babelwire.demo.server import DemoSite
from babelwire.domain import BlockKind, TranslatedBlock
from babelwire.store.db import Store
from babelwire.web.app import create_app


@pytest.fixture(scope="module")
def client(site_settings: Settings, published_store: Store) -> TestClient:
    return TestClient(create_app(site_settings, published_store))


def article_links(html: str, lang: str) -> list[str]:
    return re.findall(rf'href="(/{lang}/articles/\d+)"', html)


def test_root_redirects_to_the_first_language(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 302 and response.headers["location"] == "/en/"


def test_home_lists_every_article_newest_first(client: TestClient, demo_site: DemoSite) -> None:
    response = client.get("/en/")
    assert response.status_code == 200
    links = article_links(response.text, "en")
    assert len(links) == len(demo_site.articles)
    assert 'lang="en"' in response.text and "machine-translated from Español" in response.text
    assert '<link rel="alternate" type="application/rss+xml"' in response.text


def test_article_page_shows_provenance_and_notice(client: TestClient, demo_site: DemoSite) -> None:
    link = article_links(client.get("/en/").text, "en")[0]
    page = client.get(link)
    assert page.status_code == 200
    html = page.text
    newest = demo_site.articles[0]
    assert f'href="{demo_site.article_url(newest)}" rel="noopener noreferrer"' in html
    assert newest.title in html  # original title
    assert newest.author in html
    assert "El Diario del Puerto" in html
    assert "apertium" in html and "apertium-eng-spa" in html
    assert "Machine translation." in html
    assert "<time datetime=" in html
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert 'hreflang="es"' in html  # the same article in the other published language


def test_source_language_edition_shows_the_original_without_notice(client: TestClient) -> None:
    link = article_links(client.get("/es/").text, "es")[0]
    html = client.get(link).text
    assert "Machine translation." not in html
    assert 'lang="es"' in html


def test_rss_feed_is_valid_and_credits_originals(client: TestClient, demo_site: DemoSite) -> None:
    response = client.get("/en/feed.rss")
    assert response.headers["content-type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert feed.feed.link == "http://wire.test/en/"
    assert len(feed.entries) == len(demo_site.articles)
    originals = {demo_site.article_url(a) for a in demo_site.articles}
    for entry in feed.entries:
        assert entry.link.startswith("http://wire.test/en/articles/")
        assert entry.title and entry.published_parsed and entry.author
        assert any(original in entry.description for original in originals)
        assert "Machine-translated by apertium" in entry.description


@pytest.mark.parametrize("path", ["/fr/", "/en/articles/999999", "/xx/feed.rss"])
def test_missing_things_are_404_pages(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]


def test_a_malformed_article_id_is_refused(client: TestClient) -> None:
    response = client.get("/en/articles/abc")  # not an integer: names no page
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_hostile_translation_is_rendered_inert(
    client: TestClient, publish_hostile: Callable[[str, str, tuple[TranslatedBlock, ...]], int]
) -> None:
    """Engines are third parties too: their output is re-sanitized and escaped on the way out."""
    item_id = publish_hostile(
        '<script>alert("title")</script>',
        "9",
        (
            TranslatedBlock(
                BlockKind.PARAGRAPH, '<img src=x onerror="alert(1)">ok <a href="javascript:x()">x</a>', ""
            ),
            TranslatedBlock(BlockKind.QUOTE, "<svg onload=alert(3)></svg><style>*{}</style>fine", ""),
        ),
    )
    html = client.get(f"/en/articles/{item_id}").text
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    for needle in ("onerror", "javascript:", "<svg", "onload", "<style>", "<img"):
        assert needle not in html
    assert "ok" in html and "fine" in html
