"""Feeds per language and per source, in three formats, on a site the real pipeline published."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import feedparser
import lxml.html
import pytest
from fastapi.testclient import TestClient

from babelwire.config import Settings
from babelwire.demo.server import DemoSite
from babelwire.domain import BlockKind, TranslatedBlock
from babelwire.store.articles import get_article
from babelwire.store.db import Store
from babelwire.store.models import SourceRow
from babelwire.web.app import create_app
from babelwire.web.feeds import FeedInfo, feed_links, render_atom, render_rss
from babelwire.web.jsonfeed import render_json_feed
from babelwire.web.jsonld import news_article_jsonld

HOSTILE_TITLE = "</script><script>alert(1)</script> ]]> <!-- \x00\x0b\x1b\x7f end"


@pytest.fixture(scope="module")
def client(site_settings: Settings, published_store: Store) -> TestClient:
    return TestClient(create_app(site_settings, published_store))


@pytest.fixture(scope="module")
def source_id(published_store: Store) -> int:
    with published_store.session() as session:
        return int(session.query(SourceRow.id).scalar())


def feed_paths(source_id: int, fmt: str) -> list[str]:
    return [f"/en/feed.{fmt}", f"/es/feed.{fmt}", f"/en/sources/{source_id}/feed.{fmt}"]


def parse_xml_feed(client: TestClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.text
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def parse_json_feed(client: TestClient, path: str) -> dict[str, Any]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/feed+json")
    data: dict[str, Any] = json.loads(response.content)
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["title"] and data["home_page_url"].startswith("http://wire.test/")
    assert data["feed_url"] == f"http://wire.test{path}"
    for item in data["items"]:
        assert item["id"] and item["url"].startswith("http://wire.test/")
        assert item.get("content_html") or item.get("content_text")
    return data


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_xml_feeds_are_valid_and_credit_originals(
    client: TestClient, demo_site: DemoSite, source_id: int, fmt: str
) -> None:
    originals = {demo_site.article_url(a) for a in demo_site.articles}
    for path in feed_paths(source_id, fmt):
        lang = path.split("/")[1]
        feed = parse_xml_feed(client, path)
        assert feed.version == ("rss20" if fmt == "rss" else "atom10")
        assert feed.feed.title and feed.feed.language == lang
        assert len(feed.entries) == len(demo_site.articles)
        for entry in feed.entries:
            assert entry.link.startswith(f"http://wire.test/{lang}/articles/")
            assert entry.id == entry.link
            assert entry.title and entry.author and entry.published_parsed and entry.updated_parsed
            assert entry.source.title == "El Diario del Puerto"
            html = entry.content[0].value if fmt == "atom" else entry.description
            assert any(f'href="{original}"' in html for original in originals)
            if lang == "en":
                assert "Machine-translated by apertium (apertium-eng-spa" in html
            else:  # the source-language edition is the original itself: no translation notice
                assert "Machine-translated" not in html and "Originally published by" in html
            if fmt == "atom":
                via = [link.href for link in entry.links if link.rel == "via"]
                assert len(via) == 1 and via[0] in originals


def test_json_feeds_are_valid_and_credit_originals(
    client: TestClient, demo_site: DemoSite, source_id: int
) -> None:
    originals = {demo_site.article_url(a) for a in demo_site.articles}
    for path in feed_paths(source_id, "json"):
        data = parse_json_feed(client, path)
        assert data["language"] == path.split("/")[1]
        assert len(data["items"]) == len(demo_site.articles)
        for item in data["items"]:
            assert item["external_url"] in originals and item["title"] and item["authors"][0]["name"]
            assert item["date_published"] and item["date_modified"]
            assert item["_babelwire"]["source_name"] == "El Diario del Puerto"


def test_feed_answers_304_while_unchanged(client: TestClient) -> None:
    first = client.get("/en/feed.atom")
    again = client.get("/en/feed.atom", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_excerpt_only_source_gives_first_paragraph_and_link(
    client: TestClient, published_store: Store, source_id: int
) -> None:
    full = parse_json_feed(client, f"/en/sources/{source_id}/feed.json")["items"]
    with published_store.session() as session, session.begin():
        session.get_one(SourceRow, source_id).excerpt_only = True
    try:
        short = parse_json_feed(client, "/en/feed.json")["items"]
        atom = parse_xml_feed(client, "/en/feed.atom").entries
    finally:
        with published_store.session() as session, session.begin():
            session.get_one(SourceRow, source_id).excerpt_only = False
    for item, whole, entry in zip(short, full, atom, strict=True):
        paragraphs = lxml.html.fragment_fromstring(whole["content_html"], create_parent="div").findall("p")
        kept = lxml.html.fragment_fromstring(item["content_html"], create_parent="div")
        texts = [p.text_content() for p in kept.findall("p")]
        # the notice, the first paragraph of the body, the link on: nothing more
        assert len(texts) == 3 and texts[1] == paragraphs[1].text_content()
        assert "Read the full article at El Diario del Puerto" in texts[2]
        assert kept.findall("p")[2].find("a").get("href") == item["external_url"]
        assert len(item["content_html"]) < len(whole["content_html"])
        assert entry.content[0].value == item["content_html"]


def test_discovery_links_point_at_working_feeds(
    client: TestClient, site_settings: Settings, source_id: int
) -> None:
    language_links = feed_links(site_settings, "es")
    assert [mime for mime, _, _ in language_links] == [
        "application/rss+xml", "application/atom+xml", "application/feed+json",
    ]  # fmt: skip
    links = feed_links(site_settings, "es", source_id, source_name="El Diario del Puerto")
    assert links[3:] == language_links and "El Diario del Puerto" in links[0][1]
    for mime, title, url in links:
        assert url.startswith("http://wire.test/es/") and title
        response = client.get(url.removeprefix("http://wire.test"))
        assert response.status_code == 200 and response.headers["content-type"].startswith(mime)


def test_held_translation_stays_out_of_the_feeds(
    client: TestClient, hold_first_item: Callable[[str], AbstractContextManager[int]]
) -> None:
    with hold_first_item("en") as item_id:
        english = {i["id"] for i in parse_json_feed(client, "/en/feed.json")["items"]}
        spanish = {i["id"] for i in parse_json_feed(client, "/es/feed.json")["items"]}
    assert f"http://wire.test/en/articles/{item_id}" not in english
    assert f"http://wire.test/es/articles/{item_id}" in spanish


def test_empty_feeds_are_valid() -> None:
    info = FeedInfo("Empty", "Nothing yet", "en", "http://wire.test", "http://wire.test/en/", "/en/feed")
    for render in (render_rss, render_atom):
        feed = feedparser.parse(render(info, []))
        assert feed.bozo == 0 and feed.entries == [] and feed.feed.title == "Empty"
    assert json.loads(render_json_feed(info, []))["items"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/xx/feed.rss",
        "/fr/feed.json",
        "/en/feed.xml",
        "/en/sources/99999/feed.atom",
        "/xx/sources/1/feed.rss",
    ],
)
def test_unknown_language_source_or_format_is_404(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_hostile_title_keeps_feeds_valid_and_json_ld_closed(
    client: TestClient,
    publish_hostile: Callable[[str, str, tuple[TranslatedBlock, ...]], int],
    published_store: Store,
    site_settings: Settings,
) -> None:
    item_id = publish_hostile(
        HOSTILE_TITLE,
        "]]>\x01",
        (
            TranslatedBlock(BlockKind.PARAGRAPH, "a ]]> b \x08 <![CDATA[ c", ""),
            TranslatedBlock(BlockKind.PARAGRAPH, '<script>alert(2)</script><a href="javascript:x">x</a>', ""),
        ),
    )
    for fmt in ("rss", "atom"):
        entries = parse_xml_feed(client, f"/en/feed.{fmt}").entries
        assert any("alert(1)" in entry.title for entry in entries)
    items = parse_json_feed(client, "/en/feed.json")["items"]
    shown = next(i for i in items if i["url"].endswith(f"/en/articles/{item_id}"))
    assert shown["title"] == HOSTILE_TITLE
    assert "<script" not in shown["content_html"] and "javascript:" not in shown["content_html"]

    with published_store.session() as session:
        article = get_article(session, "en", item_id)
    assert article is not None and article.title == HOSTILE_TITLE
    element = str(news_article_jsonld(article, site_settings))
    assert element.count("<") == 2 and element.count(">") == 2  # its own two tags, nothing else
    script = lxml.html.fragment_fromstring(element)
    assert json.loads(script.text)["headline"] == HOSTILE_TITLE
