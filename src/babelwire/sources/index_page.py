"""Article-link discovery on an HTML page without any feed (a section front, a "latest news" page).

No library finds "the links that are articles" (trafilatura and courlan extract or filter
single URLs, not a page's story list), so this is a small scorer: keep links on the page's
own host, drop navigation, taxonomy, account, feed, asset and pagination links, and keep
those that look like articles (a date in the path, a long hyphenated slug, a numeric id).
A user-supplied regular expression (Source.link_pattern) replaces the scorer.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

from lxml import etree
from lxml.html import HtmlElement, document_fromstring

from babelwire.domain import FeedItem
from babelwire.safe_regex import MAX_PATTERN_LENGTH, UnsafePatternError, compile_safe_pattern
from babelwire.sources.errors import SourceError
from babelwire.sources.urls import absolute_http, host_of

HTML_TYPES = ("text/html", "application/xhtml+xml")
HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
MAX_LINKS = 200

# Path segments that name a listing, an account page or a feed, never one article.
_NOT_ARTICLE_WORDS = """
tag tags category categories categoria categorias topic topics author authors autor autores search
buscar busqueda login logout signin signup register registro account cuenta subscribe suscripcion
suscribete newsletter feed feeds rss atom page pagina wp-admin wp-login.php wp-json cdn-cgi static
assets privacy privacidad cookies contact contacto about legal terms
"""
_NOT_ARTICLE_SEGMENTS = frozenset(_NOT_ARTICLE_WORDS.split())
_ASSET = re.compile(
    r"\.(?:css|js|json|xml|rss|atom|png|jpe?g|gif|svg|webp|avif|ico|pdf|zip|gz|mp3|mp4|webm|woff2?|ttf)$",
    re.IGNORECASE,
)
_PAGING_QUERY = frozenset({"page", "paged", "s", "q", "query", "search", "replytocom", "share"})
_DATE_PATH = re.compile(r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])(?:[/-](0?[1-9]|[12]\d|3[01]))?(?=[/-]|$)")
_NUMERIC_ID = re.compile(r"(?:^|[/_-])[a-z]?\d{5,}(?:\.html?)?(?:$|[/_-])")


def compile_link_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a user's link pattern, refusing ones that are invalid or could backtrack for ever
    (the rule every person's pattern follows: babelwire/safe_regex.py)."""
    fix = "use a short pattern such as '/noticias/\\d{4}/' (no nested repeats like '(a+)+')"
    try:
        return compile_safe_pattern(pattern, "link pattern")
    except UnsafePatternError as exc:
        shown = pattern[:40] if len(pattern) > MAX_PATTERN_LENGTH else pattern
        raise SourceError(shown, "bad_link_pattern", f"{exc}; {fix}") from exc


def parse_html(html: str | bytes) -> HtmlElement | None:
    """An lxml tree of any HTML (None when there is nothing to parse)."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    html = html.replace("\x00", "")
    if not html.strip():
        return None
    try:
        return document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def article_links(html: str | bytes, page_url: str, link_pattern: str | None = None) -> list[FeedItem]:
    """The page's article links in page order, titled by their anchor text (the longest one wins)."""
    pattern = compile_link_pattern(link_pattern) if link_pattern else None
    tree = parse_html(html)
    return [] if tree is None else links_in_tree(tree, page_url, pattern)


def links_in_tree(tree: HtmlElement, page_url: str, pattern: re.Pattern[str] | None) -> list[FeedItem]:
    """article_links on a parsed page (the poller parses once for links, title and language)."""
    base = _base_url(tree, page_url)
    host = _bare(host_of(page_url))
    page = _normal(page_url)
    found: dict[str, FeedItem] = {}
    for anchor in tree.iter("a"):
        url = absolute_http(base, anchor.get("href"))
        if url is None or _bare(host_of(url)) != host or _normal(url) == page:
            continue
        if _is_chrome(url) or not (pattern.search(url) if pattern else _looks_like_article(url)):
            continue
        title = _anchor_text(anchor)
        known = found.get(url)
        if known is None:
            if len(found) >= MAX_LINKS:
                break
            found[url] = FeedItem(url=url, guid=url, title=title, published=_path_date(url))
        elif len(title) > len(known.title):
            found[url] = FeedItem(url=url, guid=url, title=title, published=known.published)
    return list(found.values())


def page_title(tree: HtmlElement) -> str | None:
    """The page's <title>, whitespace collapsed."""
    node = tree.find(".//title")
    text = " ".join((node.text_content() if node is not None else "").split())
    return text[:300] or None


def page_language(tree: HtmlElement) -> str | None:
    """<html lang="es-ES">, as the page declares it."""
    lang = " ".join(str(tree.get("lang") or "").split())
    return lang[:16] or None


def _base_url(tree: HtmlElement, page_url: str) -> str:
    base = tree.find(".//base[@href]")
    return (absolute_http(page_url, base.get("href")) if base is not None else None) or page_url


def _bare(host: str) -> str:
    return host.removeprefix("www.")


def _normal(url: str) -> str:
    return url.rstrip("/")


def _is_chrome(url: str) -> bool:
    """Navigation, taxonomy, account, feed, asset and pagination links."""
    parts = urlsplit(url)
    segments = [s.lower() for s in parts.path.split("/") if s]
    if not segments or _ASSET.search(parts.path):
        return True
    if any(segment in _NOT_ARTICLE_SEGMENTS for segment in segments):
        return True
    return any(key.lower() in _PAGING_QUERY for key, _ in parse_qsl(parts.query, keep_blank_values=True))


def _looks_like_article(url: str) -> bool:
    """A date path followed by a slug, a long hyphenated slug, or a long numeric id."""
    path = urlsplit(url).path
    last = next((s for s in reversed(path.split("/")) if s), "")
    slug = re.sub(r"\.[a-z0-9]{2,5}$", "", last.lower())
    long_slug = slug.count("-") + slug.count("_") >= 3 and len(slug) >= 20
    dated = bool(_DATE_PATH.search(path)) and not slug.isdigit()  # /2026/03/ is an archive
    return dated or long_slug or bool(_NUMERIC_ID.search(path.lower()))


def _path_date(url: str) -> datetime | None:
    """/2026/11/26/… is the publication day; a month alone is too vague to date an item."""
    match = _DATE_PATH.search(urlsplit(url).path)
    if not match or not match.group(3):
        return None
    try:
        return datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)), tzinfo=UTC)
    except ValueError:
        return None


def _anchor_text(anchor: HtmlElement) -> str:
    text = anchor.text_content()
    if not text.strip():
        text = anchor.get("title") or next((img.get("alt") or "" for img in anchor.iter("img")), "")
    return " ".join(text.split())[:500]
