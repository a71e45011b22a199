"""Sitemaps (urlset), sitemap indexes and the Google News extension, parsed into FeedItems.

A news sitemap (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap)
lists a site's articles of the last two days with a title, a publication date and the
publication's name and language: for a site without feeds it is as good as a feed. lxml is
set up so a hostile sitemap can neither read local files (XXE) nor expand entities without
bound (billion laughs); gzip bodies (.xml.gz) are inflated under a size cap.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from lxml import etree

from babelwire.domain import FeedItem
from babelwire.sources.categories import keyword_list
from babelwire.sources.errors import SourceError
from babelwire.sources.urls import absolute_http, same_site, site_of

# The sitemap protocol caps a sitemap at 50 MB uncompressed and 50,000 URLs.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
MAX_ITEMS = 1000  # newest first; a poll never needs more
MAX_CHILDREN = 1000
DEFAULT_MAX_AGE = timedelta(days=3)  # news sitemaps list two days; one spare for time zones

SITEMAP_TYPES = (
    "application/xml",
    "text/xml",
    "application/x-gzip",
    "application/gzip",
    "application/octet-stream",
    "text/plain",
)
SITEMAP_ACCEPT = "application/xml, text/xml;q=0.9, application/x-gzip;q=0.8, */*;q=0.5"

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
)
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class ChildSitemap:
    """One <sitemap> of a sitemap index."""

    url: str
    lastmod: datetime | None = None


@dataclass(frozen=True)
class Sitemap:
    """A parsed sitemap: its article items (newest first) or, for an index, its child sitemaps."""

    items: tuple[FeedItem, ...] = ()
    children: tuple[ChildSitemap, ...] = ()
    is_news: bool = False  # at least one entry carries the news: extension
    publication: str | None = None  # news:publication/news:name
    language: str | None = None  # news:publication/news:language


def parse_sitemap(
    body: bytes,
    url: str,
    *,
    now: datetime | None = None,
    max_age: timedelta = DEFAULT_MAX_AGE,
    max_bytes: int = MAX_SITEMAP_BYTES,
) -> Sitemap:
    """Parse a sitemap or a sitemap index (gzip or not); SourceError when it is neither.

    Only http(s) URLs on the sitemap's own site (its registrable domain or a subdomain) are
    kept, and entries dated before `now - max_age` are skipped; undated entries are kept
    after the dated ones.
    """
    root = _root(inflate(body, url, max_bytes), url)
    name = _local(root)
    site = site_of(url)
    cutoff = (now or datetime.now(UTC)) - max_age
    if name == "sitemapindex":
        return Sitemap(children=_children(root, url, site))
    if name != "urlset":
        raise SourceError(url, "not_a_sitemap", f"root element is <{name}>, not <urlset> or <sitemapindex>")
    return _urlset(root, url, site, cutoff)


def inflate(body: bytes, url: str, max_bytes: int = MAX_SITEMAP_BYTES) -> bytes:
    """Gunzip a .xml.gz body, refusing to expand past `max_bytes` (a gzip bomb stops there)."""
    if not body.startswith(_GZIP_MAGIC):
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise SourceError(url, "invalid_gzip", f"the gzip-compressed sitemap is corrupt: {exc}") from exc
    if len(data) > max_bytes:
        raise SourceError(
            url, "too_large", f"the sitemap expands past {max_bytes} bytes (the protocol's limit is 50 MB)"
        )
    if not inflater.eof:
        raise SourceError(url, "invalid_gzip", "the gzip-compressed sitemap is truncated")
    return data


def _root(data: bytes, url: str) -> etree._Element:
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise SourceError(url, "invalid_sitemap", f"not well-formed XML: {exc}") from exc
    except ValueError as exc:  # lxml refuses some inputs outright (e.g. unicode with a declaration)
        raise SourceError(url, "invalid_sitemap", f"not a sitemap: {exc}") from exc
    if root is None:
        raise SourceError(url, "invalid_sitemap", "an empty document, not a sitemap")
    return root


def _local(element: etree._Element) -> str:
    """The element's name without its namespace: sitemaps in the wild mix or omit namespaces."""
    tag = element.tag
    if not isinstance(tag, str):  # comments, processing instructions, entity references
        return ""
    return tag.rsplit("}", 1)[-1]


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in element if _local(c) == name), None)


def _text(element: etree._Element, *path: str) -> str | None:
    node: etree._Element | None = element
    for name in path:
        node = _child(node, name) if node is not None else None
    if node is None:
        return None
    text = " ".join(_plain_text(node).split())
    return text or None


def _plain_text(element: etree._Element) -> str:
    """Text of an element and its descendants, without unexpanded entity references (&xxe;)."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(_plain_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _children(root: etree._Element, url: str, site: str) -> tuple[ChildSitemap, ...]:
    found: dict[str, ChildSitemap] = {}
    for entry in root:
        if _local(entry) != "sitemap":
            continue
        loc = absolute_http(url, _text(entry, "loc"))
        if loc and loc not in found and same_site(loc, site):
            found[loc] = ChildSitemap(loc, parse_date(_text(entry, "lastmod")))
        if len(found) >= MAX_CHILDREN:
            break
    return tuple(sorted(found.values(), key=newest_first))


def _urlset(root: etree._Element, url: str, site: str, cutoff: datetime) -> Sitemap:
    items: dict[str, FeedItem] = {}
    publication = language = None
    is_news = False
    for entry in root:
        if _local(entry) != "url":
            continue
        loc = absolute_http(url, _text(entry, "loc"))
        if loc is None or loc in items or not same_site(loc, site):
            continue
        news = _child(entry, "news")
        published = parse_date(_text(news, "publication_date") if news is not None else None)
        published = published or parse_date(_text(entry, "lastmod"))
        if published is not None and published < cutoff:
            continue
        title = ""
        keywords: tuple[str, ...] = ()
        if news is not None:
            is_news = True
            title = _text(news, "title") or ""
            keywords = keyword_list(_text(news, "keywords"))
            publication = publication or _text(news, "publication", "name")
            language = language or _text(news, "publication", "language")
        items[loc] = FeedItem(url=loc, guid=loc, title=title, published=published, categories=keywords)
    ordered = sorted(items.values(), key=newest_first)[:MAX_ITEMS]
    return Sitemap(items=tuple(ordered), is_news=is_news, publication=publication, language=language)


def newest_first(entry: FeedItem | ChildSitemap) -> tuple[bool, float]:
    """Sort key: dated entries newest first, then the undated ones in their original order."""
    when = entry.published if isinstance(entry, FeedItem) else entry.lastmod
    return (when is None, -when.timestamp() if when else 0.0)


def parse_date(value: str | None) -> datetime | None:
    """W3C datetime as sitemaps write it: 2026-11-26, 2026-11-26T09:30Z, 2026-11-26T09:30:00+01:00."""
    if not value or len(value) > 40:
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError):  # not a date, or year 1 moved before year 1 by its offset
        return None
