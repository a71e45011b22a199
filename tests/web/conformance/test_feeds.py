"""Every feed the live demo site serves, through feed_rules (feedvalidator's rules): 0 errors, 0 warnings.

Each feed URL is its own test: the language feeds and every source's, in RSS 2.0, Atom 1.0 and JSON
Feed 1.1. Canaries prove the checker real: every rule in feed_rules.RULES must catch a feed broken on
purpose, and the same feeds unbroken must pass.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser
import httpx
import pytest

from babelwire.domain import BlockKind, TranslatedBlock
from babelwire.store.articles import PublishedArticle
from babelwire.store.models import SourceRow
from babelwire.web.feeds import FORMATS, RENDERERS, FeedInfo, make_entries
from tests.web.conformance.conftest import LANGUAGES, LiveSite
from tests.web.conformance.feed_rules import MEDIA_TYPES, RULES, Finding, check_feed

# The demo store's sources, by the kind of feed each polls ("El Diario del Puerto (RSS)", conftest).
SOURCE_KINDS = ["RSS", "Atom"]
FEED_PATHS = [
    *(f"/{lang}/feed.{fmt}" for lang in LANGUAGES for fmt in FORMATS),
    *(
        f"/{lang}/sources/{{{kind}}}/feed.{fmt}"
        for lang in LANGUAGES
        for kind in SOURCE_KINDS
        for fmt in FORMATS
    ),
]


def report(findings: list[Finding]) -> str:
    return "\n" + "\n".join(map(str, findings))


def entry_count(fmt: str, body: bytes) -> int:
    if fmt == "json":
        return len(json.loads(body)["items"])
    return len(feedparser.parse(body).entries)


@pytest.fixture(scope="module")
def source_ids(live_site: LiveSite) -> dict[str, int]:
    """Each source's id by the kind in its name: every source in the store, not only those expected."""
    with live_site.store.session() as session:
        rows = session.query(SourceRow.id, SourceRow.name).order_by(SourceRow.id).all()
    ids = {}
    for ident, name in rows:
        kind = re.fullmatch(r".*\((\w+)\)", name)
        assert kind, f"source {name!r}: name it '... (kind)' and add the kind to SOURCE_KINDS"
        ids[kind[1]] = ident
    return ids


def test_every_source_feed_is_checked(source_ids: dict[str, int]) -> None:
    assert sorted(source_ids) == sorted(SOURCE_KINDS)


@pytest.mark.parametrize("template", FEED_PATHS)
def test_feed_conforms(live_site: LiveSite, source_ids: dict[str, int], template: str) -> None:
    path = template.format_map(source_ids)
    fmt = path.rsplit(".", 1)[1]
    url = f"{live_site.base_url}{path}"
    response = httpx.get(url, timeout=30)
    assert response.status_code == 200, response.text
    content_type = response.headers["content-type"]
    assert content_type == f"{MEDIA_TYPES[fmt]}; charset=utf-8"
    if "/sources/" not in path:
        assert entry_count(fmt, response.content) > 0
    findings = check_feed(fmt, response.content, url, content_type)
    assert findings == [], report(findings)


# --- canaries: the same rules over feeds broken on purpose -------------------------------------------

NOW = datetime(2026, 6, 1, tzinfo=UTC)
INFO = FeedInfo("Canary Wire", "Canaries", "en", "http://wire.test", "http://wire.test/en/", "/en/feed")


def canary_articles() -> list[PublishedArticle]:
    """Two stories: one polled from a feed (RSS <source>, Atom source self link), one from a sitemap source
    whose site URL has no path and whose original has no title (what third-party data may well be)."""
    common: dict[str, Any] = {
        "language": "en",
        "source_language": "es",
        "engine": "apertium",
        "model_version": "apertium-eng-spa 1.0",
        "lead_image": None,
        "fetched": datetime(2026, 1, 3, 9, 0, 0, 123456, tzinfo=UTC),
    }
    block = TranslatedBlock(BlockKind.PARAGRAPH, "Ships <em>came</em> in.", "")
    return [
        PublishedArticle(
            id=7,
            title="Harbour news",
            original_title="Noticias del puerto",
            original_url="http://orig.test/a",
            source_name="Feed Source",
            source_url="http://orig.test/",
            author=None,
            published=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
            site_published=None,
            blocks=(block,),
            source_feed_url="http://orig.test/rss.xml",
            **common,
        ),
        PublishedArticle(
            id=8,
            title="Market news",
            original_title="",
            original_url="http://map.test/b",
            source_name="Sitemap Source",
            source_url="http://map.test",
            author="Ana Puig",
            published=None,
            site_published=datetime(2026, 1, 4, 10, 0, 0, tzinfo=UTC),
            blocks=(block,),
            **common,
        ),
    ]


def canary_feed(fmt: str) -> bytes:
    return RENDERERS[fmt](INFO, make_entries(INFO.site_url, canary_articles()))


def swap(pattern: str, replacement: str, count: int = 1) -> Callable[[bytes], bytes]:
    """Replaces what the regular expression matches; a pattern that matches nothing fails the canary."""

    def mutate(body: bytes) -> bytes:
        broken, found = re.subn(pattern, replacement, body.decode(), count=count)
        assert found, f"the canary's pattern {pattern!r} is not in the feed"
        return broken.encode()

    return mutate


def edit(change: Callable[[dict[str, Any]], object]) -> Callable[[bytes], bytes]:
    """Changes the parsed JSON Feed."""

    def mutate(body: bytes) -> bytes:
        data = json.loads(body)
        change(data)
        return json.dumps(data).encode()

    return mutate


def keep(body: bytes) -> bytes:
    return body


@dataclass(frozen=True)
class Canary:
    fmt: str
    rule: str
    breaks: Callable[[bytes], bytes]
    content_type: str | None = None  # None: the format's own

    @property
    def id(self) -> str:
        return f"{self.fmt}-{self.rule}"


def first(data: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = data["items"][0]
    return item


CANARIES = [
    # Atom (RFC 4287)
    Canary("atom", "feedparser-bozo", swap(r"</feed>", "")),
    Canary("atom", "xml-wellformed", swap(r"<title>", "<title>&nbsp;")),
    Canary("atom", "encoding", swap(r"encoding='UTF-8'", "encoding='ISO-8859-1'")),
    Canary("atom", "content-type", keep, "text/html; charset=utf-8"),
    Canary("atom", "language", swap(r'xml:lang="en"', 'xml:lang="english"')),
    Canary("atom", "language", swap(r'hreflang="es"', 'hreflang="spanish"')),
    Canary("atom", "date-rfc3339", swap(r"<published>[^<]+", "<published>Fri, 02 Jan 2026 03:04:05 GMT")),
    Canary("atom", "date-implausible", swap(r"<updated>[^<]+", "<updated>2026-06-03T00:00:00Z")),
    Canary("atom", "date-implausible", swap(r"<published>[^<]+", "<published>1970-01-01T00:00:00Z")),
    Canary("atom", "date-order", swap(r"<published>[^<]+", "<published>2026-05-30T00:00:00Z")),
    Canary(
        "atom", "relative-url", swap(r'<link href="http://wire.test(/en/articles/7)"', r'<link href="\1"')
    ),
    Canary("atom", "html-content", swap(r"&lt;/em&gt;", "")),
    Canary("atom", "html-unsafe", swap(r"&lt;em&gt;", '&lt;em onmouseover="steal()"&gt;')),
    Canary("atom", "atom-root", swap(r"(</?)feed\b", r"\1channel", count=0)),
    Canary("atom", "atom-element-count", swap(r"(<entry>\s*)<id>[^<]+</id>", r"\1")),  # an entry without id
    Canary("atom", "atom-id", swap(r"<id>http://wire.test/en/articles/7", "<id>articles/7")),
    Canary("atom", "atom-id", swap(r"<id>http://wire.test/en/</id>", "<id>HTTP://Wire.test:80/en/</id>")),
    # a site without a path, as people write one, is not a canonical id
    Canary("atom", "atom-id", swap(r"(<source>\s*<id>)[^<]+", r"\1http://map.test")),
    Canary(
        "atom",
        "atom-id-unique",
        swap(r"<id>http://wire.test/en/articles/8", "<id>http://wire.test/en/articles/7"),
    ),
    Canary("atom", "atom-author", swap(r"<author>\s*<name>Feed Source</name>\s*</author>", "")),
    Canary("atom", "atom-self", swap(r'<link href="[^"]+" rel="self"[^>]*>', "")),
    Canary("atom", "atom-alternate", swap(r'<link href="[^"]+" rel="alternate" type="text/html"/>', "")),
    Canary("atom", "atom-link-duplicate", swap(r'(<link href="http://wire.test/en/articles/7"/>)', r"\1\1")),
    Canary("atom", "atom-link-href", swap(r'<link href="[^"]+" rel="via"', '<link rel="via"')),
    Canary("atom", "atom-link-attrs", swap(r'rel="via" hreflang="es" title="[^"]*"', 'rel="via" title=" "')),
    Canary("atom", "atom-link-attrs", swap(r'rel="via"', 'rel="original"')),
    Canary("atom", "url-syntax", swap(r'href="http://orig.test/a"', 'href="http://orig.test/a b"')),
    Canary(
        "atom",
        "atom-source",
        swap(r"(<source>\s*<id>[^<]+</id>\s*<title>[^<]*</title>\s*)<updated>[^<]+</updated>", r"\1"),
    ),
    # RSS 2.0
    Canary("rss", "feedparser-bozo", swap(r"</channel>", "")),
    Canary("rss", "encoding", swap(r"<\?xml[^>]*\?>", "")),
    Canary("rss", "date-rfc822", swap(r"<lastBuildDate>[^<]+", "<lastBuildDate>2026-01-04T10:00:00Z")),
    Canary("rss", "date-rfc822", swap(r"(<pubDate>\w+, \d+ \w+ )20(\d\d)", r"\1\2")),  # a two-digit year
    Canary("rss", "date-rfc822", swap(r"<pubDate>\w+,", "<pubDate>Mon,")),  # the wrong day of the week
    Canary("rss", "html-content", swap(r"&lt;/p&gt;", "&lt;/div&gt;")),
    Canary("rss", "rss-root", swap(r'version="2.0"', 'version="0.91"')),
    Canary("rss", "rss-channel", swap(r"<description>Canaries</description>", "")),
    Canary("rss", "rss-link", swap(r"<link>http://wire.test/en/</link>", "<link>/en/</link>")),
    Canary("rss", "rss-self", swap(r'type="application/rss\+xml"', 'type="application/xml"')),
    Canary(
        "rss",
        "rss-item",
        swap(
            r"(<item>\s*)<title>[^<]*</title>(\s*<link>[^<]*</link>\s*)<description>[^<]*</description>",
            r"\1\2",
        ),
    ),
    Canary("rss", "rss-guid", swap(r'(isPermaLink="true">)http://wire.test', r"\1")),  # a relative permalink
    Canary(
        "rss",
        "rss-guid",
        swap(r"(<guid[^>]*>)http://wire.test/en/articles/8", r"\1http://wire.test/en/articles/7"),
    ),
    Canary("rss", "rss-source", swap(r'<source url="http://orig.test/rss.xml">', '<source url="rss.xml">')),
    Canary("rss", "rss-author", swap(r"(<dc:creator>)", r"<author>Ana Puig</author>\1")),
    Canary("rss", "rss-author", swap(r"(<dc:creator>)", r"<author>ana@map.test (Ana Puig)</author>\1")),
    Canary("rss", "rss-item", swap(r"<title>Harbour news</title>", "<title> </title>")),
    Canary("rss", "rss-guid", swap(r'isPermaLink="true"', 'isPermaLink="yes"')),
    Canary("rss", "language", swap(r"<language>en</language>", "<language>xx</language>")),
    # JSON Feed 1.1
    Canary("json", "json-parse", lambda body: body[:-2]),
    Canary("json", "encoding", lambda body: b"\xef\xbb\xbf" + body),
    Canary("json", "content-type", keep, "application/json"),
    Canary("json", "json-version", edit(lambda data: data.pop("version"))),  # a JSON Feed without version
    Canary("json", "json-title", edit(lambda data: data.update(title=" "))),
    Canary("json", "json-feed-url", edit(lambda data: data.update(feed_url="http://wire.test/en/feed.rss"))),
    Canary("json", "json-home-page-url", edit(lambda data: data.update(home_page_url="/en/"))),
    Canary("json", "json-items", edit(lambda data: data.update(items={"0": first(data)}))),
    Canary("json", "json-item-id", edit(lambda data: first(data).update(id=data["items"][1]["id"]))),
    Canary("json", "json-item-content", edit(lambda data: first(data).pop("content_html"))),
    Canary("json", "json-item-url", edit(lambda data: first(data).update(url="/en/articles/7"))),
    Canary("json", "json-authors", edit(lambda data: first(data).update(author={"name": "Ana"}))),
    Canary(
        "json", "json-authors", edit(lambda data: first(data).update(authors=[{"url": "http://a.test/"}]))
    ),
    Canary("json", "json-language", edit(lambda data: [data.pop("language"), first(data).pop("language")])),
    Canary(
        "json", "json-extension", edit(lambda data: first(data).update(babelwire=first(data)["_babelwire"]))
    ),
    Canary(
        "json", "date-rfc3339", edit(lambda data: first(data).update(date_published="2026-01-02 03:04:05"))
    ),
    Canary(
        "json",
        "url-syntax",
        edit(lambda data: first(data).update(content_html='<a href="http://a.test/a b">x</a>')),
    ),
    Canary("json", "relative-url", edit(lambda data: first(data).update(content_html='<a href="/x">x</a>'))),
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_unbroken_canary_feeds_are_clean(fmt: str) -> None:
    findings = check_feed(fmt, canary_feed(fmt), INFO.url(fmt), f"{MEDIA_TYPES[fmt]}; charset=utf-8", now=NOW)
    assert findings == [], report(findings)


@pytest.mark.parametrize("canary", CANARIES, ids=lambda canary: canary.id)
def test_each_rule_catches_its_canary(canary: Canary) -> None:
    fmt = canary.fmt
    content_type = canary.content_type or f"{MEDIA_TYPES[fmt]}; charset=utf-8"
    findings = check_feed(fmt, canary.breaks(canary_feed(fmt)), INFO.url(fmt), content_type, now=NOW)
    assert canary.rule in {finding.rule for finding in findings}, report(findings)


def test_every_rule_has_a_canary() -> None:
    assert set(RULES) - {canary.rule for canary in CANARIES} == set()
