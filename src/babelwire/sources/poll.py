"""Poll one source of any kind: a feed, a (news) sitemap or sitemap index, or an index page.

The HTTP side is a `Getter` (the fetcher, with robots.txt and per-host politeness; an
in-memory one in fuzzing), so this module holds only what each kind of source needs: which
content types to accept, which parser, and which request is conditional.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from babelwire.domain import FeedItem, FeedPoll, Source, SourceKind
from babelwire.errors import BabelwireError
from babelwire.fetch.client import FetchResult
from babelwire.fetch.encoding import decode_html
from babelwire.sources.discover import discover
from babelwire.sources.errors import SourceError
from babelwire.sources.feeds import FEED_ACCEPT, FEED_TYPES, parse_feed
from babelwire.sources.index_page import (
    HTML_ACCEPT,
    HTML_TYPES,
    compile_link_pattern,
    links_in_tree,
    page_language,
    page_title,
    parse_html,
)
from babelwire.sources.parse_pool import FeedParser
from babelwire.sources.sitemap import MAX_ITEMS, SITEMAP_ACCEPT, SITEMAP_TYPES, newest_first, parse_sitemap

__all__ = ["MAX_CHILD_SITEMAPS", "Getter", "discover", "poll_source"]

MAX_CHILD_SITEMAPS = 5  # of a sitemap index, newest lastmod first: news lives in the newest


class Getter(Protocol):
    """What polling needs from the fetcher: one GET, with its limits (matches Fetcher.get)."""

    async def get(
        self,
        url: str,
        *,
        accept: str = "*/*",
        etag: str | None = None,
        last_modified: str | None = None,
        allowed_types: Sequence[str] | None = None,
        max_bytes: int | None = None,
        robots: bool = True,
    ) -> FetchResult: ...


async def poll_source(
    getter: Getter,
    source: Source,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    parse: FeedParser | None = None,
) -> FeedPoll:
    """Fetch and parse a source, conditionally: a 304 gives an empty, `not_modified` poll.

    `parse` parses a feed's body elsewhere (a big round's ParsePool); by default, here.
    Raises FetchError (network, HTTP, limits) or SourceError (the body is not what the
    source's kind promises); the runner records either on the source.
    """
    types: Sequence[str]
    if source.kind == SourceKind.SITEMAP:
        accept, types = SITEMAP_ACCEPT, SITEMAP_TYPES
    elif source.kind == SourceKind.INDEX:
        accept, types = HTML_ACCEPT, HTML_TYPES
    else:
        accept, types = FEED_ACCEPT, FEED_TYPES
    pattern = compile_link_pattern(source.link_pattern) if source.link_pattern else None
    result = await getter.get(
        source.url, accept=accept, etag=etag, last_modified=last_modified, allowed_types=types
    )
    etag = result.headers.get("etag") or etag
    last_modified = result.headers.get("last-modified") or last_modified
    if result.not_modified:
        return FeedPoll(items=(), not_modified=True, etag=etag, last_modified=last_modified)
    if source.kind == SourceKind.SITEMAP:
        poll = await _sitemap_poll(getter, result)
    elif source.kind == SourceKind.INDEX:
        poll = _index_poll(result, pattern)
    elif parse is not None:
        poll = await parse(result.body, result.final_url, result.content_type)
    else:
        poll = parse_feed(result.body, result.final_url, result.content_type)
    return replace(poll, etag=etag, last_modified=last_modified)


async def _sitemap_poll(getter: Getter, result: FetchResult) -> FeedPoll:
    """A sitemap's items; for an index, the items of its newest few child sitemaps."""
    top = parse_sitemap(result.body, result.final_url)
    found = list(top.items)
    publication, language = top.publication, top.language
    failures: list[BabelwireError] = []
    children = top.children[:MAX_CHILD_SITEMAPS]
    for child in children:
        try:
            fetched = await getter.get(child.url, accept=SITEMAP_ACCEPT, allowed_types=SITEMAP_TYPES)
            sitemap = parse_sitemap(fetched.body, fetched.final_url)
        except BabelwireError as exc:  # one broken child must not hide the others' news
            failures.append(exc)
            continue
        found.extend(sitemap.items)  # a child that is itself an index is not followed further
        publication, language = publication or sitemap.publication, language or sitemap.language
    if children and len(failures) == len(children):
        raise failures[0]
    return FeedPoll(items=_newest_unique(found), title=publication, language=language)


def _index_poll(result: FetchResult, pattern: re.Pattern[str] | None) -> FeedPoll:
    tree = parse_html(decode_html(result.body, result.content_type))
    if tree is None:
        raise SourceError(result.url, "empty_page", "the index page is empty")
    items = links_in_tree(tree, result.final_url, pattern)
    if not items:
        raise SourceError(
            result.url,
            "no_article_links",
            "no article links found on the index page; set a link pattern "
            "(babelwire sources add URL --kind index --link-pattern REGEX)",
        )
    return FeedPoll(
        items=tuple(items),
        title=page_title(tree),
        site_url=result.final_url,
        language=page_language(tree),
    )


def _newest_unique(items: list[FeedItem]) -> tuple[FeedItem, ...]:
    """Each URL once (its first sighting), newest first, undated last, at most MAX_ITEMS."""
    unique: dict[str, FeedItem] = {}
    for item in items:
        unique.setdefault(item.url, item)
    ordered = sorted(unique.values(), key=newest_first)
    return tuple(ordered[:MAX_ITEMS])
