"""Find what to watch on a site: its feed, else a news sitemap, else the page as an index.

Order: the URL itself when it already is a feed or sitemap; the page's
<link rel="alternate"> feeds; the paths feeds and news sitemaps usually live at; last, the
page itself as an index of article links. Every request goes through the getter, so
discovery obeys the same SSRF guard, robots.txt and per-host limits as polling.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from babelwire.domain import Source, SourceKind
from babelwire.errors import BabelwireError
from babelwire.fetch.client import FetchResult
from babelwire.fetch.encoding import decode_html
from babelwire.sources.errors import SourceError
from babelwire.sources.feeds import FEED_ACCEPT, FEED_TYPES, feed_format, parse_feed
from babelwire.sources.index_page import HTML_TYPES, links_in_tree, page_title, parse_html
from babelwire.sources.sitemap import SITEMAP_ACCEPT, SITEMAP_TYPES, parse_sitemap
from babelwire.sources.urls import absolute_http, host_of

if TYPE_CHECKING:
    from babelwire.sources.poll import Getter  # poll.py imports this module

# <link rel="alternate" type=...> values that announce a feed (plain application/json is
# WordPress's REST API, not a feed).
FEED_LINK_TYPES = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "json",
    "application/rdf+xml": "rss",
}
COMMON_FEED_PATHS = ("/feed", "/rss", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml", "/feed.json")
COMMON_SITEMAP_PATHS = ("/news-sitemap.xml", "/sitemap_news.xml", "/sitemap-news.xml", "/sitemap.xml")
MAX_FEED_LINKS = 10
_ANY_ACCEPT = "text/html, " + FEED_ACCEPT


@dataclass(frozen=True)
class FeedLink:
    """A feed a page announces in its <head>."""

    url: str
    format: str  # rss, atom or json
    title: str | None = None


@dataclass(frozen=True)
class Discovery:
    """The source found, and what it is in words ("an Atom feed"), for the person who asked."""

    source: Source
    found: str


_Acceptor = Callable[[FetchResult], Discovery | None]


def feed_links(html: str | bytes, base_url: str) -> list[FeedLink]:
    """The feeds a page announces, site feeds before comment feeds, each URL once."""
    tree = parse_html(html)
    return [] if tree is None else _feed_links(tree, base_url)


def _feed_links(tree: HtmlElement, base_url: str) -> list[FeedLink]:
    links: dict[str, FeedLink] = {}
    for link in tree.iter("link"):
        rels = str(link.get("rel") or "").lower().split()
        kind = FEED_LINK_TYPES.get(str(link.get("type") or "").split(";")[0].strip().lower())
        url = absolute_http(base_url, link.get("href"))
        if "alternate" in rels and kind and url and url not in links:
            title = " ".join(str(link.get("title") or "").split()) or None
            links[url] = FeedLink(url, kind, title)
        if len(links) >= MAX_FEED_LINKS:
            break
    return sorted(links.values(), key=lambda link: "comment" in (link.title or "").lower() + link.url)


async def discover(
    getter: Getter, url: str, *, name: str | None = None, language: str | None = None
) -> Discovery:
    """Feed first, then a news sitemap, then the page as an index; SourceError when none works.

    A failure to fetch `url` itself propagates (FetchError); failures of the guesses do not.
    """
    everything = (*FEED_TYPES, *SITEMAP_TYPES, *HTML_TYPES)
    result = await getter.get(url, accept=_ANY_ACCEPT, allowed_types=everything)
    direct = _as_feed(result) or _as_sitemap(result, news_only=False)
    if direct:
        return _named(direct, name, language)
    tree = parse_html(decode_html(result.body, result.content_type))
    base = result.final_url
    tried = {url, base}
    announced = [link.url for link in _feed_links(tree, base)] if tree is not None else []
    root = _origin(base)
    for candidate in [*announced, *(root + path for path in COMMON_FEED_PATHS)]:
        found = await _try(getter, candidate, tried, FEED_ACCEPT, FEED_TYPES, _as_feed)
        if found:
            return _named(found, name, language)
    news_sitemap = partial(_as_sitemap, news_only=True)
    for candidate in (root + path for path in COMMON_SITEMAP_PATHS):
        found = await _try(getter, candidate, tried, SITEMAP_ACCEPT, SITEMAP_TYPES, news_sitemap)
        if found:
            return _named(found, name, language)
    links = links_in_tree(tree, base, None) if tree is not None else []
    if tree is not None and links:
        title = page_title(tree) or host_of(base)
        source = Source(name=title, url=base, kind=SourceKind.INDEX, site_url=base)
        what = f"no feed or news sitemap; an index page with {len(links)} article links"
        return _named(Discovery(source, what), name, language)
    raise SourceError(
        url,
        "nothing_found",
        "no feed, news sitemap or article links found; give the feed's URL, "
        "or add the page with --kind index --link-pattern REGEX",
    )


async def _try(
    getter: Getter,
    url: str,
    tried: set[str],
    accept: str,
    types: Sequence[str],
    accept_result: _Acceptor,
) -> Discovery | None:
    if url in tried:
        return None
    tried.add(url)
    try:
        result = await getter.get(url, accept=accept, allowed_types=types)
    except BabelwireError:  # a guess that is missing, refused or broken is simply not it
        return None
    return accept_result(result)


def _as_feed(result: FetchResult) -> Discovery | None:
    try:
        poll = parse_feed(result.body, result.final_url, result.content_type)
    except SourceError:
        return None
    kind = feed_format(result.body, result.content_type)
    source = Source(
        name=poll.title or host_of(result.final_url),
        url=result.final_url,
        kind=SourceKind.FEED,
        site_url=poll.site_url,
    )
    return Discovery(source, kind)


def _as_sitemap(result: FetchResult, *, news_only: bool) -> Discovery | None:
    """A news sitemap, or a sitemap index's child whose URL says news; any sitemap unless `news_only`."""
    try:
        sitemap = parse_sitemap(result.body, result.final_url)
    except SourceError:
        return None
    site = _origin(result.final_url) + "/"
    name = sitemap.publication or host_of(result.final_url)
    if sitemap.is_news:
        source = Source(name=name, url=result.final_url, kind=SourceKind.SITEMAP, site_url=site)
        return Discovery(source, "a news sitemap")
    news = next((child for child in sitemap.children if "news" in child.url.lower()), None)
    if news is not None:
        source = Source(name=name, url=news.url, kind=SourceKind.SITEMAP, site_url=site)
        return Discovery(source, "a news sitemap (listed in a sitemap index)")
    if news_only:
        return None
    described = "a sitemap index" if sitemap.children else "a sitemap"
    source = Source(name=name, url=result.final_url, kind=SourceKind.SITEMAP, site_url=site)
    return Discovery(source, described)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _named(found: Discovery, name: str | None, language: str | None) -> Discovery:
    named = replace(found.source, name=name or found.source.name, language=language)
    return Discovery(named, found.found)
