"""RSS 2.0, Atom 1.0 and JSON Feed, parsed by feedparser into FeedItems."""

from __future__ import annotations

import calendar
import importlib.util
from datetime import UTC, datetime
from typing import Any

import feedparser
import feedparser.api

from babelwire.domain import FeedItem, FeedPoll
from babelwire.sources.categories import clean_categories
from babelwire.sources.errors import SourceError
from babelwire.sources.jsonfeed import looks_like_json_feed, parse_json_feed
from babelwire.sources.urls import absolute_http

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
# What a feed may be served as (the getter refuses anything else): XML, RSS, Atom, JSON, plain text.
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
    "application/json",
    "text/plain",
)
_FORMATS = {"rss": "an RSS feed", "atom": "an Atom feed", "cdf": "a CDF feed"}

# feedparser asks xml.sax for drv_libxml2 first on every parse; where it is not installed that is
# a failed import (a walk over sys.path) per feed, about 6% of a parse. Never installed, never used.
if importlib.util.find_spec("drv_libxml2") is None and "drv_libxml2" in feedparser.api.PREFERRED_XML_PARSERS:
    feedparser.api.PREFERRED_XML_PARSERS.remove("drv_libxml2")


def parse_feed(body: bytes, url: str, content_type: str = "") -> FeedPoll:
    """Parse a feed (XML via feedparser, JSON Feed by hand); SourceError when nothing usable is in it.

    feedparser is lenient (it sets `bozo` on malformed XML and still returns entries); a
    feed is rejected only when it yields neither a feed title nor any entry.
    """
    if looks_like_json_feed(body, content_type):
        return parse_json_feed(body, url)
    headers = {"content-type": content_type} if content_type else {}
    try:
        parsed = feedparser.parse(body, response_headers=headers)
    except (ValueError, UnicodeError) as exc:  # feedparser crashes on some refs, e.g. &#xD800;
        raise SourceError(url, "invalid_feed", f"the feed cannot be parsed: {exc}") from exc
    entries = parsed.get("entries") or []
    feed = parsed.get("feed") or {}
    version = parsed.get("version") or ""
    if not entries and not version:
        problem = parsed.get("bozo_exception")
        detail = f": {problem}" if problem else ""
        raise SourceError(url, "not_a_feed", f"not an RSS, Atom or JSON feed{detail}")
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in entries:
        item = _item_from_entry(entry, url)
        if item is None or item.url in seen:
            continue
        seen.add(item.url)
        items.append(item)
    return FeedPoll(
        items=tuple(items),
        title=_clean(feed.get("title")),
        site_url=absolute_http(url, feed.get("link")),
        language=_clean(feed.get("language")),
        hub_url=_feed_link(feed, "hub", url),
        self_url=_feed_link(feed, "self", url),
    )


def feed_format(body: bytes, content_type: str = "") -> str:
    """What kind of feed a body is, for people ("an Atom feed"); call after parse_feed accepted it."""
    if looks_like_json_feed(body, content_type):
        return "a JSON Feed"
    version = str(feedparser.parse(body).get("version") or "")
    return next((name for prefix, name in _FORMATS.items() if version.startswith(prefix)), "a feed")


def _feed_link(feed: Any, rel: str, feed_url: str) -> str | None:
    """The first <link rel=hub|self> (Atom, or atom:link inside RSS) as an absolute http(s) URL."""
    for link in feed.get("links") or []:
        if isinstance(link, dict) and link.get("rel") == rel:
            found = absolute_http(feed_url, link.get("href"))
            if found:
                return found
    return None


def _item_from_entry(entry: Any, feed_url: str) -> FeedItem | None:
    url = absolute_http(feed_url, entry.get("link") or _first_alternate(entry))
    if url is None:
        return None
    return FeedItem(
        url=url,
        guid=_clean(entry.get("id")) or url,
        title=_clean(entry.get("title")) or "",
        published=_entry_date(entry),
        author=_clean(entry.get("author")),
        summary=_clean(entry.get("summary")),
        categories=_tags(entry),
    )


def _tags(entry: Any) -> tuple[str, ...]:
    """<category> (RSS) and <category term label> (Atom), as feedparser's tags: term, then label."""
    tags = [tag for tag in entry.get("tags") or [] if isinstance(tag, dict)]
    return clean_categories(value for tag in tags for value in (tag.get("term"), tag.get("label")))


def _first_alternate(entry: Any) -> str | None:
    for link in entry.get("links") or []:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    return None


def _entry_date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (ValueError, OverflowError, OSError):  # 9999-12-31T23:59-14:00 is in year 10000
                continue
    return None


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None
