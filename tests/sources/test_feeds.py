from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from babelwire.sources.errors import SourceError
from babelwire.sources.feeds import parse_feed

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Diario</title><link>https://diario.example/</link><language>es-ES</language>
<item><title>Primera &amp; segunda</title><link>/noticias/a.html</link><guid isPermaLink="false">id-a</guid>
  <pubDate>Tue, 10 Mar 2026 09:30:00 +0100</pubDate><dc:creator>Ana Ruiz</dc:creator>
  <description>Resumen</description></item>
<item><title>Sin guid</title><link>https://diario.example/noticias/b.html</link></item>
<item><title>Repetida</title><link>https://diario.example/noticias/b.html</link></item>
<item><title>Sin enlace</title></item>
<item><title>Enlace javascript</title><link>javascript:alert(1)</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Diario</title><id>urn:x</id><updated>2026-03-10T10:00:00Z</updated>
<entry><title>Uno</title><id>urn:uno</id><link rel="alternate" href="https://diario.example/uno"/>
<updated>2026-03-10T10:00:00Z</updated><author><name>Luis Gil</name></author></entry>
</feed>"""


def test_rss_items_resolved_deduplicated_and_dated() -> None:
    poll = parse_feed(RSS, "https://diario.example/rss.xml", "application/rss+xml")
    assert [item.url for item in poll.items] == [
        "https://diario.example/noticias/a.html",
        "https://diario.example/noticias/b.html",
    ]
    first = poll.items[0]
    assert first.title == "Primera & segunda"
    assert first.guid == "id-a"
    assert first.author == "Ana Ruiz"
    assert first.published == datetime(2026, 3, 10, 8, 30, tzinfo=UTC)
    assert poll.items[1].guid == poll.items[1].url
    assert poll.language == "es-ES"
    assert poll.site_url == "https://diario.example/"


def test_atom_entry() -> None:
    (entry,) = parse_feed(ATOM, "https://diario.example/atom.xml").items
    assert (entry.url, entry.guid, entry.author) == ("https://diario.example/uno", "urn:uno", "Luis Gil")
    assert entry.published == datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def test_json_feed() -> None:
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "J",
            "home_page_url": "https://j.example/",
            "items": [
                {"id": "1", "url": "/a", "title": "A", "date_published": "2026-03-10T10:00:00+01:00",
                 "authors": [{"name": "Eva"}]},
                {"id": "2", "title": "no url"},
                "not an object",
            ],
        }
    ).encode()  # fmt: skip
    poll = parse_feed(body, "https://j.example/feed.json", "application/feed+json")
    (item,) = poll.items
    assert item.url == "https://j.example/a"
    assert item.author == "Eva"
    assert item.published == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"<html><body><p>Just a page</p></body></html>", "text/html"),
        (b"this is not xml at all {{{", "text/plain"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "image/png"),
        (b"", "application/rss+xml"),
        (b'{"version": "1", "items": []}', "application/json"),
        (b"{not json", "application/feed+json"),
    ],
)
def test_non_feeds_raise_a_clear_error(body: bytes, content_type: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_feed(body, "https://x.example/feed", content_type)
    assert caught.value.reason in {"not_a_feed", "invalid_json_feed"}
    assert "https://x.example/feed" in str(caught.value)


def test_truncated_feed_keeps_entries_before_the_break() -> None:
    truncated = RSS[: RSS.index(b"<item><title>Sin guid")]
    poll = parse_feed(truncated, "https://diario.example/rss.xml")
    assert [item.guid for item in poll.items] == ["id-a"]


def test_websub_hub_and_self_links_of_atom_and_rss() -> None:
    atom = ATOM.replace(
        b"<title>Diario</title>",
        b'<title>Diario</title><link rel="hub" href="https://hub.example/"/>'
        b'<link rel="self" href="/atom.xml"/>',
    )
    poll = parse_feed(atom, "https://diario.example/atom.xml")
    assert (poll.hub_url, poll.self_url) == ("https://hub.example/", "https://diario.example/atom.xml")
    rss = RSS.replace(
        b"<channel>",
        b'<channel><atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="hub" href="javascript:x"/>'
        b'<atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="hub" href="http://hub.example/h"/>',
    )
    poll = parse_feed(rss, "https://diario.example/rss.xml")
    assert poll.hub_url == "http://hub.example/h" and poll.self_url is None


def test_json_feed_hubs_and_feed_url() -> None:
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "feed_url": "/feed.json",
            "hubs": [{"type": "rssCloud", "url": "https://cloud.example/"}, "junk",
                     {"type": "WebSub", "url": "https://hub.example/websub"}],
            "items": [{"id": "1", "url": "/a", "authors": 5}],
        }
    ).encode()  # fmt: skip
    poll = parse_feed(body, "https://j.example/feed.json", "application/feed+json")
    assert poll.hub_url == "https://hub.example/websub"
    assert poll.self_url == "https://j.example/feed.json"
    assert poll.items[0].author is None


def test_crashing_inputs_found_by_fuzzing_are_clean_errors_or_ignored() -> None:
    with pytest.raises(SourceError):
        parse_feed(b"<rdf:RDF>&#XD800;</rdf:RDF>", "https://x.example/feed")  # feedparser's own crash
    far = RSS.replace(b"Tue, 10 Mar 2026 09:30:00 +0100", b"9999-12-31T23:59:59-14:00")
    assert parse_feed(far, "https://diario.example/rss.xml").items[0].published is None  # year 10000
    broken = RSS.replace(b"/noticias/a.html", b"http://[::1")
    assert "http://[::1" not in [item.url for item in parse_feed(broken, "https://diario.example/").items]
