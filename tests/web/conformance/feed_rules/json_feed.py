"""JSON Feed 1.1 (jsonfeed.org), which feedparser 6.0 cannot read."""

from __future__ import annotations

import codecs
import json
from collections import Counter
from datetime import datetime
from typing import Any

from tests.web.conformance.feed_rules.common import (
    JSON_AUTHOR_KEYS,
    JSON_FEED_KEYS,
    JSON_FEED_VERSION,
    JSON_ITEM_KEYS,
    Finding,
    Findings,
    check_html,
    check_language,
    date_order,
    is_web_url,
    report_duplicates,
    rfc3339,
)


def _json_keys(data: dict[str, Any], known: frozenset[str], where: str, out: Findings) -> None:
    for key in data:
        if key not in known and not key.startswith("_"):
            out.error("json-extension", f"{where}: {key!r} is not JSON Feed 1.1's and does not start with _")


def _json_authors(data: dict[str, Any], where: str, out: Findings) -> None:
    if "author" in data:
        out.warning("json-authors", f"{where}: 'author' is JSON Feed 1.0's; 1.1 has 'authors'")
    authors = data.get("authors", [])
    for author in authors if isinstance(authors, list) else [authors]:
        if not isinstance(author, dict) or not isinstance(author.get("name"), str) or not author["name"]:
            out.error("json-authors", f"{where}: authors holds {author!r}, not an object with a name")
        else:
            _json_keys(author, JSON_AUTHOR_KEYS, f"{where} author", out)


def _json_item(item: dict[str, Any], where: str, out: Findings, now: datetime | None) -> None:
    ident = item.get("id")
    if not isinstance(ident, str) or not ident:
        out.error("json-item-id", f"{where}: id {ident!r} is not a non-empty string")
    if not any(isinstance(item.get(key), str) for key in ("content_html", "content_text")):
        out.error("json-item-content", f"{where}: neither content_html nor content_text")
    if "content_html" in item:
        check_html(str(item["content_html"]), f"{where} content_html", out)
    for key in ("url", "external_url"):
        if key in item and not is_web_url(str(item[key])):
            out.error("json-item-url", f"{where}: {key} {item[key]!r} is not an absolute URL")
    published = rfc3339(item.get("date_published"), f"{where} date_published", out, now)
    modified = rfc3339(item.get("date_modified"), f"{where} date_modified", out, now)
    date_order(published, modified, where, out)
    _json_authors(item, where, out)
    if "language" in item:
        check_language(str(item["language"]), f"{where} language", out)
    _json_keys(item, JSON_ITEM_KEYS, where, out)


def check_json_feed(body: bytes, url: str, *, now: datetime | None = None) -> list[Finding]:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    out = Findings()
    if body.startswith(codecs.BOM_UTF8):
        out.error("encoding", "a byte order mark before the JSON")
    try:
        data = json.loads(body.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError as error:
        out.error("encoding", f"not UTF-8: {error}")
        return out
    except ValueError as error:
        out.error("json-parse", str(error))
        return out
    if not isinstance(data, dict):
        out.error("json-parse", f"a JSON {type(data).__name__}, not an object")
        return out
    if data.get("version") != JSON_FEED_VERSION:
        out.error("json-version", f"version {data.get('version')!r}, not {JSON_FEED_VERSION!r}")
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        out.error("json-title", "no title")
    if data.get("feed_url") != url:
        out.warning("json-feed-url", f"feed_url {data.get('feed_url')!r}, fetched from {url!r}")
    if "home_page_url" not in data:
        out.warning("json-home-page-url", "no home_page_url")
    elif not is_web_url(str(data["home_page_url"])):
        out.error("json-home-page-url", f"home_page_url {data['home_page_url']!r} is not an absolute URL")
    _json_keys(data, JSON_FEED_KEYS, "feed", out)
    _json_authors(data, "feed", out)
    if "language" in data:
        check_language(str(data["language"]), "feed language", out)
    items = data.get("items")
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        out.error("json-items", "items is not a list of objects")
        return out
    for number, item in enumerate(items, 1):
        _json_item(item, f"item {number}", out, now)
        if "language" not in item and "language" not in data:
            out.warning("json-language", f"item {number}: no language, and none on the feed")
    ids = Counter(item["id"] for item in items if isinstance(item.get("id"), str))
    report_duplicates(ids, "json-item-id", "items", out)
    return out
