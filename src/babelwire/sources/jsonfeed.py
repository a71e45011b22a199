"""JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1).

Written by hand because feedparser's JSON Feed support exists only in its unreleased 7.x
line; the format is small and plain JSON, so a strict reader is a few lines.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from babelwire.domain import FeedItem, FeedPoll
from babelwire.sources.categories import clean_categories
from babelwire.sources.errors import SourceError
from babelwire.sources.urls import absolute_http


def looks_like_json_feed(body: bytes, content_type: str) -> bool:
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime in ("application/feed+json", "application/json"):
        return True
    return "xml" not in mime and body.lstrip()[:1] == b"{"


def parse_json_feed(body: bytes, url: str) -> FeedPoll:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise SourceError(url, "invalid_json_feed", f"not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(
        "https://jsonfeed.org/version/"
    ):
        raise SourceError(url, "not_a_feed", "JSON document without a jsonfeed.org version: not a JSON Feed")
    raw_items = data.get("items")
    if not isinstance(raw_items, list):
        raise SourceError(url, "invalid_json_feed", "JSON Feed without an items array")
    items: list[FeedItem] = []
    seen: set[str] = set()
    for raw in raw_items:
        item = _item(raw, url) if isinstance(raw, dict) else None
        if item is not None and item.url not in seen:
            seen.add(item.url)
            items.append(item)
    return FeedPoll(
        items=tuple(items),
        title=_text(data.get("title")),
        site_url=absolute_http(url, _text(data.get("home_page_url"))),
        language=_text(data.get("language")),
        hub_url=_websub_hub(data.get("hubs"), url),
        self_url=absolute_http(url, _text(data.get("feed_url"))),
    )


def _websub_hub(hubs: object, feed_url: str) -> str | None:
    """The first hub of type WebSub (the spec's `hubs`: [{"type": "WebSub", "url": ...}])."""
    if not isinstance(hubs, list):
        return None
    for hub in hubs:
        if isinstance(hub, dict) and str(hub.get("type", "")).lower() == "websub":
            found = absolute_http(feed_url, _text(hub.get("url")))
            if found:
                return found
    return None


def _item(raw: dict[str, Any], feed_url: str) -> FeedItem | None:
    url = absolute_http(feed_url, _text(raw.get("url")) or _text(raw.get("external_url")))
    if url is None:
        return None
    authors = raw.get("authors") or [raw.get("author")]  # 1.1 list, or 1.0's single object
    if not isinstance(authors, list):
        authors = []
    names = [str(a["name"]) for a in authors if isinstance(a, dict) and a.get("name")]
    return FeedItem(
        url=url,
        guid=_text(raw.get("id")) or url,
        title=_text(raw.get("title")) or "",
        published=_date(raw.get("date_published")) or _date(raw.get("date_modified")),
        author=", ".join(names) or None,
        summary=_text(raw.get("summary")),
        categories=clean_categories(tags) if isinstance(tags := raw.get("tags"), list) else (),
    )


def _date(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _text(value: object) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = " ".join(str(value).split())
    return text or None
