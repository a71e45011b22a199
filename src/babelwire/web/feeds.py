"""Feeds per target language and per source: RSS 2.0 and Atom 1.0 (feedgen), JSON Feed 1.1 (jsonfeed.py).

Every entry credits its original the way the article page does: the machine-translation notice with
engine and model, a link to the original and its source. Sources whose terms forbid full
republication (`excerpt_only`) get the first paragraph and the link, never the body.
Only what the site shows is in a feed: the read model already filters on the review verdict.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlsplit, urlunsplit

from fastapi import APIRouter, HTTPException, Request, Response
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree
from markupsafe import Markup, escape

from babelwire.config import Settings
from babelwire.domain import BlockKind, TranslatedBlock
from babelwire.store.articles import PublishedArticle, get_feed_source, latest_articles
from babelwire.web.dates import iso_datetime, last_change, publication_date, utc_seconds
from babelwire.web.deps import AppSettings, ReadSession, RowId, check_language
from babelwire.web.jsonfeed import render_json_feed
from babelwire.web.rendering import BLOCK_TAGS, block_body, language_name, web_url, withheld_count

router = APIRouter()

FEED_LIMIT = 50
# format -> (media type, the name readers know it by); the file extension is the key.
FORMATS: dict[str, tuple[str, str]] = {
    "rss": ("application/rss+xml", "RSS"),
    "atom": ("application/atom+xml", "Atom"),
    "json": ("application/feed+json", "JSON Feed"),
}
# XML 1.0 cannot carry most control characters at all (lxml refuses them): a hostile title with
# one must not take the whole feed down, so they are dropped from every string that goes in.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    return _NOT_XML.sub("", value)


def canonical_url(url: str) -> str:
    """The URL as feed validators compare Atom ids (RFC 3986 §6.2.2-3, in what site URLs vary): scheme and
    host in lower case, no default port, "/" for an empty path. Sources' sites are often "https://x.org"."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    userinfo, at, host = parts.netloc.rpartition("@")
    default = {"http": ":80", "https": ":443"}.get(scheme)
    host = host.lower().removesuffix(default) if default else host.lower()
    return urlunsplit((scheme, userinfo + at + host, parts.path or "/", parts.query, parts.fragment))


@dataclass(frozen=True)
class FeedInfo:
    """A feed's own metadata, shared by the three formats."""

    title: str
    description: str
    language: str
    site_url: str  # root of the site, no trailing slash
    home_url: str  # the HTML page this feed mirrors
    path: str  # feed URL without the extension: f"{path}.{fmt}"

    def url(self, fmt: str) -> str:
        return f"{self.site_url}{self.path}.{fmt}"


def article_url(site_url: str, article: PublishedArticle) -> str:
    return f"{site_url}/{article.language}/articles/{article.id}"


@dataclass(frozen=True)
class Entry:
    """One article as every feed format carries it; built once, rendered three ways."""

    article: PublishedArticle
    url: str  # our article page; also the entry's id
    html: str  # notice + body (or first paragraph): sanitized, XML-safe
    author: str  # the byline, else the source: Atom requires an author on every entry
    published: datetime  # dates.publication_date: UTC, whole seconds, as pages and JSON-LD say it
    updated: datetime  # dates.last_change


def make_entries(site_url: str, articles: list[PublishedArticle]) -> list[Entry]:
    return [
        Entry(
            article=article,
            url=article_url(site_url, article),
            html=article_html(article, excerpt_only=article.excerpt_only, site_url=site_url),
            author=article.author or article.source_name,
            published=publication_date(article),
            updated=last_change(article),
        )
        for article in articles
    ]


def feed_updated(entries: list[Entry]) -> datetime:
    """The newest change: stable between requests, so ETags and Last-Modified stay useful."""
    return max((entry.updated for entry in entries), default=utc_seconds(datetime.now(UTC)))


def notice_html(article: PublishedArticle) -> Markup:
    """The notice every entry starts with: who translated it, and where the original is."""
    href = web_url(article.original_url)
    title = escape(article.original_title or article.original_url)
    original = Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(href, title) if href else title
    if not article.is_machine_translated:
        return Markup("<p><em>Originally published by {} as {}.</em></p>").format(
            article.source_name, original
        )
    return Markup(
        "<p><em>Machine-translated by {} ({}) from {}; it may contain errors. "
        "The original, published by {}: {}.</em></p>"
    ).format(
        article.engine, article.model_version, language_name(article.source_language), article.source_name,
        original,
    )  # fmt: skip


def blocks_html(article: PublishedArticle) -> Markup:
    """Blocks as HTML, through the same allow-list as the pages; list items grouped into lists.
    A sentence the editor withheld is in the original language, marked (rendering.block_body)."""
    parts: list[Markup] = []
    in_list = False
    for block in article.blocks:
        if (block.kind == BlockKind.LIST_ITEM) != in_list:
            in_list = not in_list
            parts.append(Markup("<ul>") if in_list else Markup("</ul>"))
        tag = Markup(BLOCK_TAGS.get(block.kind, "p"))  # noqa: S704 - a constant of ours
        html = Markup("<{0}>{1}</{0}>").format(
            tag, block_body(block, article.source_language, article.language)
        )
        parts.append(Markup("<figure>{}</figure>").format(html) if tag == "figcaption" else html)
    if in_list:
        parts.append(Markup("</ul>"))
    return Markup("").join(parts)


def withheld_note(article: PublishedArticle, blocks: list[TranslatedBlock], site_url: str) -> Markup:
    """After the body: how many sentences are in the original language, and where to see why."""
    count = withheld_count(blocks)
    if not count:
        return Markup("")
    href = f"{article_url(site_url, article)}/bilingual"
    return Markup(
        "<p><em>{} sentence(s) shown in the original language: the automated editor withheld their "
        'translation. <a href="{}">Original and translation, sentence by sentence</a>.</em></p>'
    ).format(count, href)


def article_html(article: PublishedArticle, *, excerpt_only: bool = False, site_url: str = "") -> str:
    """Notice, then the body; for excerpt-only sources the first paragraph and a link on instead."""
    if not excerpt_only:
        body = blocks_html(article) + withheld_note(article, list(article.blocks), site_url)
        return xml_text(str(notice_html(article) + body))
    href = web_url(article.original_url)
    more = (
        Markup('<p><a href="{}" rel="noopener noreferrer">Read the full article at {}</a></p>').format(
            href, article.source_name
        )
        if href
        else Markup("")
    )
    block = article.excerpt_block
    first = Markup("<p>{}</p>").format(
        block_body(block, article.source_language, article.language) if block else ""
    )
    note = withheld_note(article, [block] if block else [], site_url)
    return xml_text(str(notice_html(article) + first + note + more))


@dataclass(frozen=True)
class SourceCredit:
    """Where an entry was copied from: the source feed's metadata (Atom <source>, RSS <source>)."""

    id: str  # the feed we polled, else the source's page; in canonical form (an Atom id)
    title: str
    updated: datetime  # the source had changed at least by the time it carried this story
    feed_url: str | None  # only feeds: RSS's <source url> must be "the XMLization of the source"
    site_url: str | None


def source_credit(item: Entry) -> SourceCredit | None:
    article = item.article
    feed_url = web_url(xml_text(article.source_feed_url or ""))
    site_url = web_url(xml_text(article.source_url))
    ident = feed_url or site_url
    if ident is None:
        return None
    title = xml_text(article.source_name)
    site = site_url if site_url != feed_url else None
    return SourceCredit(canonical_url(ident), title, item.published, feed_url, site)


class Provenance(BaseEntryExtension):  # type: ignore[misc]  # feedgen is untyped
    """The original and its source, written here rather than by feedgen: feedgen 1.0 drops rel, type,
    hreflang and title from entry links, and its <source> has neither id nor updated (RFC 4287 §4.2.11
    wants them) and puts one URL in both formats, where RSS wants the source's feed."""

    def __init__(self) -> None:
        self.via: dict[str, str] | None = None
        self.source: SourceCredit | None = None

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        """Unqualified elements, as feedgen writes its own (its root declares xmlns as an attribute)."""
        if self.via:
            etree.SubElement(entry, "link", self.via)
        if self.source:
            source = etree.SubElement(entry, "source")
            etree.SubElement(source, "id").text = self.source.id
            etree.SubElement(source, "title").text = self.source.title
            etree.SubElement(source, "updated").text = iso_datetime(self.source.updated)
            if self.source.site_url:
                etree.SubElement(source, "link", rel="alternate", type="text/html", href=self.source.site_url)
            if self.source.feed_url:
                etree.SubElement(source, "link", rel="self", href=self.source.feed_url)
        return entry

    def extend_rss(self, item: etree._Element) -> etree._Element:
        if self.source and self.source.feed_url:
            etree.SubElement(item, "source", url=self.source.feed_url).text = self.source.title
        return item


def _feed_links(feed: FeedGenerator, info: FeedInfo, fmt: str) -> None:
    """The site page (rel=alternate) first, then the feed itself (rel=self): some readers take an Atom
    feed's first link for the site. feedgen makes the last link RSS's <link>, so RSS adds them the
    other way round (it writes only the self link as atom:link)."""
    alternate = {"href": info.home_url, "rel": "alternate", "type": "text/html"}
    self_link = {"href": info.url(fmt), "rel": "self", "type": FORMATS[fmt][0]}
    for link in (self_link, alternate) if fmt == "rss" else (alternate, self_link):
        feed.link(**link)


def _generator(info: FeedInfo, entries: list[Entry], fmt: str) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(info.home_url)
    feed.title(xml_text(info.title))
    feed.subtitle(xml_text(info.description))  # RSS <description> too
    _feed_links(feed, info, fmt)
    feed.language(info.language)  # RSS <language>, Atom xml:lang
    feed.generator("babelwire")
    feed.load_extension("dc")
    feed.register_extension("provenance", BaseExtension, Provenance, atom=True, rss=True)
    feed.updated(feed_updated(entries))  # RSS lastBuildDate
    for item in reversed(entries):  # feedgen prepends entries
        article = item.article
        entry = feed.add_entry()
        entry.id(item.url)
        entry.guid(item.url, permalink=True)
        entry.title(xml_text(article.title))
        entry.link(href=item.url)  # RSS <link>; Atom <link>, rel="alternate" by default
        original = web_url(xml_text(article.original_url))
        if original:
            via = {"href": original, "rel": "via", "hreflang": article.source_language}
            if xml_text(article.original_title).strip():  # a blank title attribute is worse than none
                via["title"] = xml_text(article.original_title)
            entry.provenance.via = via
        entry.provenance.source = source_credit(item)
        author = xml_text(item.author)
        entry.author({"name": author})  # Atom <author>; RSS <author> would need an e-mail address,
        entry.dc.dc_creator(author)  # so RSS gets Dublin Core's creator, which takes a name
        entry.published(item.published)
        entry.updated(item.updated)
        entry.content(item.html, type="html")  # escaped, never CDATA: "]]>" cannot end anything
    return feed


def render_rss(info: FeedInfo, entries: list[Entry]) -> bytes:
    return bytes(_generator(info, entries, "rss").rss_str(pretty=True))


def render_atom(info: FeedInfo, entries: list[Entry]) -> bytes:
    return bytes(_generator(info, entries, "atom").atom_str(pretty=True))


RENDERERS: dict[str, Callable[[FeedInfo, list[Entry]], bytes]] = {
    "rss": render_rss,
    "atom": render_atom,
    "json": render_json_feed,
}


def feed_links(
    settings: Settings, lang: str, source_id: int | None = None, *, source_name: str | None = None
) -> list[tuple[str, str, str]]:
    """(media type, title, absolute URL) of the feeds a page should announce with <link rel=alternate>.

    With a source: that source's feeds first, then the language's (a reader on a source page may want
    either, as blogs announce a category feed and the main one).
    """
    base = settings.base_url.rstrip("/")
    scopes = [(f"/{lang}/feed", f"{settings.site_title} ({language_name(lang)})")]
    if source_id is not None:
        name = source_name or f"source {source_id}"
        scopes.insert(0, (f"/{lang}/sources/{source_id}/feed", f"{name} — {settings.site_title} ({lang})"))
    return [
        (mime, f"{title}, {label}", f"{base}{path}.{fmt}")
        for path, title in scopes
        for fmt, (mime, label) in FORMATS.items()
    ]


def feed_response(request: Request, info: FeedInfo, articles: list[PublishedArticle], fmt: str) -> Response:
    """The feed in `fmt`, with validators so that polling readers get 304s while nothing changed."""
    if fmt not in FORMATS:
        raise HTTPException(status_code=404, detail=f"no feed format {fmt!r}")
    return entries_response(request, info, make_entries(info.site_url, articles), fmt)


def entries_response(request: Request, info: FeedInfo, entries: list[Entry], fmt: str) -> Response:
    """`feed_response` for entries made already (web/story_feeds.py adds to make_entries' own)."""
    if fmt not in FORMATS:
        raise HTTPException(status_code=404, detail=f"no feed format {fmt!r}")
    body = RENDERERS[fmt](info, entries)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(feed_updated(entries).astimezone(UTC), usegmt=True),
        "Cache-Control": "public, max-age=300",
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=f"{FORMATS[fmt][0]}; charset=utf-8", headers=headers)


@router.get("/{lang}/feed.{fmt}", include_in_schema=False)
def language_feed(
    request: Request, lang: str, fmt: str, session: ReadSession, settings: AppSettings
) -> Response:
    check_language(settings, lang)
    base = settings.base_url.rstrip("/")
    info = FeedInfo(
        title=f"{settings.site_title} ({language_name(lang)})",
        description=f"Machine-translated news in {language_name(lang)}, with a link to every original.",
        language=lang,
        site_url=base,
        home_url=f"{base}/{lang}/",
        path=f"/{lang}/feed",
    )
    return feed_response(request, info, latest_articles(session, lang, limit=FEED_LIMIT), fmt)


@router.get("/{lang}/sources/{source_id}/feed.{fmt}", include_in_schema=False)
def source_feed(
    request: Request, lang: str, source_id: RowId, fmt: str, session: ReadSession, settings: AppSettings
) -> Response:
    check_language(settings, lang)
    source = get_feed_source(session, source_id)
    if source is None:
        raise HTTPException(status_code=404, detail="no such source")
    base = settings.base_url.rstrip("/")
    info = FeedInfo(
        title=f"{source.name} — {settings.site_title} ({language_name(lang)})",
        description=f"Stories from {source.name}, machine-translated into {language_name(lang)}.",
        language=lang,
        site_url=base,
        home_url=f"{base}/{lang}/sources/{source_id}",
        path=f"/{lang}/sources/{source_id}/feed",
    )
    articles = latest_articles(session, lang, source_id=source_id, limit=FEED_LIMIT)
    return feed_response(request, info, articles, fmt)
