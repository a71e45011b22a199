"""Feeds per language and per source, in three formats, on a site the real pipeline published."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import feedparser
import lxml.html
import pytest
from fastapi.testclient import TestClient
from lxml import etree

from babelwire.config import Settings
from babelwire.demo.server import DemoSite
from babelwire.domain import BlockKind, TranslatedBlock
from babelwire.store.articles import get_article, latest_articles
from babelwire.store.db import Store
from babelwire.store.models import SourceRow
from babelwire.web.app import create_app
from babelwire.web.dates import iso_datetime, last_change, publication_date
from babelwire.web.feeds import FEED_LIMIT, FeedInfo, article_url, feed_links, render_atom, render_rss
from babelwire.web.jsonfeed import render_json_feed
from babelwire.web.jsonld import news_article_jsonld

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")  # whole seconds, UTC, "Z"
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


def xml_tree(client: TestClient, path: str) -> etree._Element:
    """The feed as elements: feedparser normalizes away the order and attributes these tests check."""
    response = client.get(path)
    assert response.status_code == 200, response.text
    return etree.fromstring(response.content)


def link_attrs(parent: etree._Element) -> list[tuple[str | None, str | None, str | None]]:
    return [(link.get("rel"), link.get("type"), link.get("href")) for link in parent.findall(f"{ATOM}link")]


@contextmanager
def source_changed(store: Store, source_id: int, **values: object) -> Iterator[None]:
    """The source's row changed for a `with` block, then restored: the module's store is shared."""
    with store.session() as session, session.begin():
        row = session.get_one(SourceRow, source_id)
        before = {name: getattr(row, name) for name in values}
        for name, value in values.items():
            setattr(row, name, value)
    try:
        yield
    finally:
        with store.session() as session, session.begin():
            row = session.get_one(SourceRow, source_id)
            for name, value in before.items():
                setattr(row, name, value)


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


def test_atom_source_credits_the_polled_feed_and_its_site(
    client: TestClient, published_store: Store, demo_site: DemoSite, source_id: int
) -> None:
    """RFC 4287 §4.2.11: id, title and updated of the feed the entry came from; links to its site and feed."""
    with published_store.session() as session:
        articles = {article_url("http://wire.test", a): a for a in latest_articles(session, "en")}
    with source_changed(published_store, source_id, site_url=demo_site.home_url):
        with_site = xml_tree(client, "/en/feed.atom").findall(f"{ATOM}entry")
    with source_changed(published_store, source_id, site_url=None):  # no site known: the feed's URL stands in
        without_site = xml_tree(client, "/en/feed.atom").findall(f"{ATOM}entry")
    assert len(with_site) == len(without_site) == len(demo_site.articles)
    for entry, plain in zip(with_site, without_site, strict=True):
        (source,) = entry.findall(f"{ATOM}source")
        assert source.findtext(f"{ATOM}id") == demo_site.rss_url
        assert source.findtext(f"{ATOM}title") == "El Diario del Puerto"
        updated = source.findtext(f"{ATOM}updated") or ""
        assert RFC3339_UTC.fullmatch(updated), updated
        assert datetime.fromisoformat(updated) == publication_date(
            articles[entry.findtext(f"{ATOM}id") or ""]
        )
        assert link_attrs(source) == [
            ("alternate", "text/html", demo_site.home_url),
            ("self", None, demo_site.rss_url),
        ]
        (plain_source,) = plain.findall(f"{ATOM}source")
        assert link_attrs(plain_source) == [("self", None, demo_site.rss_url)]


def test_rss_source_is_the_polled_feed_and_only_for_feeds(
    client: TestClient, published_store: Store, demo_site: DemoSite, source_id: int
) -> None:
    """RSS's <source url> is "the XMLization of the source": a sitemap's or index page's site is none."""
    items = xml_tree(client, "/en/feed.rss").findall("channel/item")
    assert len(items) == len(demo_site.articles)
    for item in items:
        assert [(s.get("url"), s.text) for s in item.findall("source")] == [
            (demo_site.rss_url, "El Diario del Puerto")
        ]
    site = demo_site.base_url  # as people write a site: no path, which an Atom id must not lack
    with source_changed(published_store, source_id, kind="sitemap", site_url=site):
        sitemap_items = xml_tree(client, "/en/feed.rss").findall("channel/item")
        sitemap_entries = xml_tree(client, "/en/feed.atom").findall(f"{ATOM}entry")
    assert len(sitemap_items) == len(items) and all(item.find("source") is None for item in sitemap_items)
    for entry in sitemap_entries:  # Atom still credits the source, by its site, with no self link
        (source,) = entry.findall(f"{ATOM}source")
        assert source.findtext(f"{ATOM}id") == f"{site}/"
        assert link_attrs(source) == [("alternate", "text/html", site)]


def test_feed_links_name_the_site_page_first_then_the_feed(
    client: TestClient, site_settings: Settings, source_id: int
) -> None:
    """Readers may take an Atom feed's first link for the site. RSS: <link> the site, atom:link the feed."""
    base = site_settings.base_url
    for path, page in (
        ("/en/feed", f"{base}/en/"),
        (f"/es/sources/{source_id}/feed", f"{base}/es/sources/{source_id}"),
    ):
        atom = xml_tree(client, f"{path}.atom")
        assert link_attrs(atom) == [
            ("alternate", "text/html", page),
            ("self", "application/atom+xml", f"{base}{path}.atom"),
        ]
        channel = xml_tree(client, f"{path}.rss").find("channel")
        assert channel is not None and channel.findtext("link") == page
        assert link_attrs(channel) == [("self", "application/rss+xml", f"{base}{path}.rss")]
        assert parse_xml_feed(client, f"{path}.rss").feed.link == page


@pytest.mark.parametrize("lang", ["en", "es"])
def test_entry_dates_are_the_articles_publication_and_last_change(
    client: TestClient, published_store: Store, lang: str
) -> None:
    """The same instants as the pages and JSON-LD (web/dates.py): whole seconds, UTC, in every format."""
    with published_store.session() as session:
        articles = latest_articles(session, lang, limit=FEED_LIMIT)
    dates = {article_url("http://wire.test", a): (publication_date(a), last_change(a)) for a in articles}
    assert dates and any(published != updated for published, updated in dates.values())
    newest = max(updated for _, updated in dates.values())

    atom = xml_tree(client, f"/{lang}/feed.atom")
    assert datetime.fromisoformat(atom.findtext(f"{ATOM}updated") or "") == newest
    atom_dates = {
        entry.findtext(f"{ATOM}id"): tuple(
            datetime.fromisoformat(entry.findtext(f"{ATOM}{name}") or "") for name in ("published", "updated")
        )
        for entry in atom.findall(f"{ATOM}entry")
    }
    assert atom_dates == dates

    channel = xml_tree(client, f"/{lang}/feed.rss").find("channel")
    assert channel is not None
    assert parsedate_to_datetime(channel.findtext("lastBuildDate") or "") == newest
    rss_dates = {
        i.findtext("guid"): parsedate_to_datetime(i.findtext("pubDate") or "") for i in channel.iter("item")
    }
    assert rss_dates == {url: published for url, (published, _) in dates.items()}

    items = parse_json_feed(client, f"/{lang}/feed.json")["items"]
    for item in items:
        assert RFC3339_UTC.fullmatch(item["date_published"]) and RFC3339_UTC.fullmatch(item["date_modified"])
    json_dates = {
        i["id"]: (datetime.fromisoformat(i["date_published"]), datetime.fromisoformat(i["date_modified"]))
        for i in items
    }
    assert json_dates == dates
    assert {i["id"]: i["date_modified"] for i in items} == {u: iso_datetime(d[1]) for u, d in dates.items()}


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
