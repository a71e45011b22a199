"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1), written by hand with `json`.

feedgen writes only RSS and Atom; JSON Feed is small enough that a dict is the clearest writer.
It carries the same entries as the XML feeds (see feeds.make_entries), plus a `_babelwire`
extension object with the provenance a machine reader may want as data rather than prose.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from babelwire.web.dates import iso_datetime
from babelwire.web.rendering import web_url

if TYPE_CHECKING:  # feeds.py imports this module to render; the types are all it needs from there
    from babelwire.web.feeds import Entry, FeedInfo

VERSION = "https://jsonfeed.org/version/1.1"


def json_feed_item(entry: Entry) -> dict[str, object]:
    article = entry.article
    item: dict[str, object] = {
        "id": entry.url,
        "url": entry.url,
        "title": article.title,
        "content_html": entry.html,
        "date_published": iso_datetime(entry.published),
        "date_modified": iso_datetime(entry.updated),
        "authors": [{"name": entry.author}],
        "language": article.language,
        "_babelwire": {
            "machine_translated": article.is_machine_translated,
            "engine": article.engine,
            "model_version": article.model_version,
            "original_title": article.original_title,
            "original_language": article.source_language,
            "source_name": article.source_name,
            "source_url": article.source_url,
        },
    }
    if web_url(article.original_url):  # third-party data: only web links
        item["external_url"] = article.original_url
    if web_url(article.lead_image):
        item["image"] = article.lead_image
    return item


def json_feed(info: FeedInfo, entries: list[Entry]) -> dict[str, object]:
    return {
        "version": VERSION,
        "title": info.title,
        "home_page_url": info.home_url,
        "feed_url": info.url("json"),
        "description": info.description,
        "language": info.language,
        "items": [json_feed_item(entry) for entry in entries],
    }


def render_json_feed(info: FeedInfo, entries: list[Entry]) -> bytes:
    return json.dumps(json_feed(info, entries), ensure_ascii=False, indent=1).encode()
