"""Article metadata trafilatura does not give us in the form we need.

Trafilatura (via htmldate) finds the publication *day* very reliably but drops the time and
the UTC offset; the wire sorts and publishes by instant, so the exact timestamp is read here
from the page's own machine-readable declarations (OpenGraph/article meta, schema.org
JSON-LD, <time datetime>), and htmldate's day is the fallback. Also here: the page's
declared language and the lead image, both resolved against the page URL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from itertools import chain
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from babelwire.extract.blocks import normalize_space

_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "date.published",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.created",
    "date",
)
_MAX_JSON_LD = 20
_MAX_JSON_CHARS = 200_000


def parse_datetime(value: str | None) -> datetime | None:
    """ISO 8601 or RFC 2822 -> aware datetime; a value without offset is taken as UTC.

    Always timezone-aware, because the store and the feeds compare and sort instants and
    Python refuses to compare naive with aware datetimes.
    """
    if not value or not value.strip():
        return None
    text = value.strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    if not 1990 <= parsed.year <= datetime.now(UTC).year + 1:
        return None
    return parsed


def _meta_values(tree: HtmlElement) -> Iterator[tuple[str, str]]:
    """(lower-cased name/property/itemprop, content) of every <meta> in the page."""
    for meta in tree.iter("meta"):
        content = str(meta.get("content") or "")
        if not content:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = str(meta.get(attribute) or "")
            if key:
                yield key.strip().lower(), content


def _json_ld_dates(tree: HtmlElement) -> Iterator[str]:
    """Every "datePublished" string in the page's schema.org JSON-LD, in document order."""
    scripts = tree.xpath('//script[@type="application/ld+json"]')
    for script in scripts[:_MAX_JSON_LD]:
        raw = (script.text or "")[:_MAX_JSON_CHARS]
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack: list[object] = [data]
        while stack:
            node = stack.pop(0)
            if isinstance(node, dict):
                value = node.get("datePublished")
                if isinstance(value, str):
                    yield value
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)


def _time_elements(tree: HtmlElement) -> Iterator[str]:
    for value in tree.xpath('//time[@itemprop="datePublished" or @pubdate]/@datetime'):
        yield str(value)


def declared_published(tree: HtmlElement) -> datetime | None:
    """The publication instant in the page's meta tags, JSON-LD or <time>, if any parses.

    In that order, and lazily: JSON-LD is only parsed when no meta tag gives a date. Without
    one, the caller falls back to htmldate's day (`page_metadata.htmldate_day`) at 00:00 UTC.
    """
    metas = dict(reversed(list(_meta_values(tree))))  # first occurrence of each key wins
    candidates = chain(
        (metas[key] for key in _PUBLISHED_META if key in metas), _json_ld_dates(tree), _time_elements(tree)
    )
    for candidate in candidates:
        parsed = parse_datetime(candidate)
        if parsed is not None:
            return parsed
    return None


def declared_language(tree: HtmlElement, headers: dict[str, str] | None = None) -> str | None:
    """What the page says its language is (raw; `normalize_language` cleans it)."""
    root = tree.getroottree().getroot()
    for attribute in ("lang", "{http://www.w3.org/XML/1998/namespace}lang", "xml:lang"):
        value = str(root.get(attribute) or "").strip()
        if value:
            return value
    metas = dict(reversed(list(_meta_values(tree))))
    for key in ("content-language", "language", "og:locale", "dc.language"):
        if metas.get(key, "").strip():
            return metas[key].strip()
    header = (headers or {}).get("content-language", "").split(",")[0].strip()
    return header or None


def absolute_http_url(url: str | None, base_url: str) -> str | None:
    """`url` resolved against the page, if that gives an http(s) URL (no data:, javascript:)."""
    if not url or not url.strip():
        return None
    try:
        resolved = urljoin(base_url, url.strip())
        scheme = urlsplit(resolved).scheme
    except ValueError:
        return None
    return resolved if scheme in ("http", "https") else None


def lead_image(declared: str | None, tree: HtmlElement, base_url: str) -> str | None:
    """og:image/twitter:image if usable, else the first image inside <article> or <main>.

    Only the article container is searched: the first image of the whole page is usually a
    logo or an ad.
    """
    image = absolute_http_url(declared, base_url)
    if image:
        return image
    for source in tree.xpath("(//article//img | //main//img)/@src")[:10]:
        image = absolute_http_url(str(source), base_url)
        if image:
            return image
    return None


def mark_captions(tree: HtmlElement) -> list[str]:
    """Turn each <figure>'s <figcaption> into a paragraph in its place; return their texts.

    Trafilatura has no notion of captions and, with images off, deletes <figure>s whole.
    Standing in for the figure as a plain <p>, a caption goes through trafilatura's usual
    filters (a caption in a related-stories box is still dropped with the box), and
    `blocks_from_body` turns the paragraph back into a CAPTION block by its text.
    """
    captions: list[str] = []
    for caption in list(tree.iter("figcaption")):
        text = normalize_space(caption.text_content())
        if text:
            captions.append(text)
        caption.tag = "p"
        caption.attrib.clear()
        figure = next(caption.iterancestors("figure"), None)
        parent = figure.getparent() if figure is not None else None
        if figure is not None and parent is not None:
            caption.tail = figure.tail
            parent.replace(figure, caption)
    return captions
