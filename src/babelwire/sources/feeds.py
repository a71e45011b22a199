"""RSS 2.0, Atom 1.0 and JSON Feed, parsed by feedparser into FeedItems."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from babelwire.domain import FeedItem, FeedPoll
from babelwire.sources.errors import SourceError
from babelwire.sources.jsonfeed import looks_like_json_feed, parse_json_feed

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


def parse_feed(body: bytes, url: str, content_type: str = "") -> FeedPoll:
    """Parse a feed (XML via feedparser, JSON Feed by hand); SourceError when nothing usable is in it.

    feedparser is lenient (it sets `bozo` on malformed XML and still returns entries); a
    feed is rejected only when it yields neither a feed title nor any entry.
    """
    if looks_like_json_feed(body, content_type):
        return parse_json_feed(body, url)
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(body, response_headers=headers)
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
    site = feed.get("link")
    return FeedPoll(
        items=tuple(items),
        title=_clean(feed.get("title")),
        site_url=urljoin(url, site) if site else None,
        language=_clean(feed.get("language")),
    )


def _item_from_entry(entry: Any, feed_url: str) -> FeedItem | None:
    link = entry.get("link") or _first_alternate(entry)
    if not link:
        return None
    url = urljoin(feed_url, link.strip())
    if not url.startswith(("http://", "https://")):
        return None
    return FeedItem(
        url=url,
        guid=_clean(entry.get("id")) or url,
        title=_clean(entry.get("title")) or "",
        published=_entry_date(entry),
        author=_clean(entry.get("author")),
        summary=_clean(entry.get("summary")),
    )


def _first_alternate(entry: Any) -> str | None:
    for link in entry.get("links") or []:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    return None


def _entry_date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    return None


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None
