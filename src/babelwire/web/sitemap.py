"""sitemap.xml: every published article in every target language, with hreflang alternates.

Each language version of an article lists all its versions (and x-default) as
`<xhtml:link rel="alternate" hreflang=...>`, which is how search engines learn that /en/articles/7
and /es/articles/7 are one story. The protocol caps a file at 50,000 URLs, so a large site gets a
sitemap index at /sitemap.xml pointing at /sitemaps/{n}.xml; a small one gets the URL set itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import cast

from fastapi import APIRouter, HTTPException, Response
from lxml import etree
from sqlalchemy.orm import Session

from babelwire.config import Settings
from babelwire.store.articles import (
    count_sitemap_items,
    published_languages,
    sitemap_entries,
    sitemap_last_changes,
)
from babelwire.web.dates import iso_datetime
from babelwire.web.deps import AppSettings, ReadSession

router = APIRouter()

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
MAX_URLS = 50_000  # per file, by the protocol
# Articles per file. With a URL per language, each with every language's alternate, a file of
# 10,000 was 15 MB and two seconds to render at 100k articles, too large for the page cache; 1,000
# (Google News' own cap per sitemap) makes ~1.5 MB files that render in ~0.2 s and stay cached.
ITEMS_PER_FILE = 1_000
HEADERS = {"Cache-Control": "public, max-age=3600"}
# lxml takes None for the default namespace; its stubs say str keys only.
URLSET_NS = cast("dict[str, str]", {None: SITEMAP_NS, "xhtml": XHTML_NS})
INDEX_NS = cast("dict[str, str]", {None: SITEMAP_NS})


def items_per_file(languages: list[str]) -> int:
    """Items per file: one URL per language each, and room for the home pages in file 1."""
    return max(1, min(ITEMS_PER_FILE, (MAX_URLS - len(languages)) // max(1, len(languages))))


def _add_url(urlset: etree._Element, loc: str, lastmod: datetime | None, versions: dict[str, str]) -> None:
    url = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
    etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = loc
    if lastmod is not None:
        etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = iso_datetime(lastmod)  # a W3C datetime
    if len(versions.keys() - {"x-default"}) < 2:  # one version has no alternates
        return
    for hreflang, href in versions.items():
        etree.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=hreflang, href=href)


def language_versions(settings: Settings, path: str, languages: Iterable[str]) -> dict[str, str]:
    """hreflang -> absolute URL of the page /{code}/{path} in each of `languages` that has it, in the
    site's language order, plus x-default (the first of them). The sitemap's alternates; article pages
    take theirs from here too (with `article_versions`), so that both say the same."""
    base = settings.base_url.rstrip("/")
    shown = set(languages)
    ordered = {code: f"{base}/{code}/{path}" for code in settings.target_languages if code in shown}
    return {**ordered, "x-default": next(iter(ordered.values()))} if ordered else ordered


def article_versions(settings: Settings, session: Session, item_id: int) -> dict[str, str]:
    """The languages that show this article now (review verdicts applied), as `language_versions`."""
    shown = published_languages(session, item_id, settings.target_languages)
    return language_versions(settings, f"articles/{item_id}", shown)


def render_urlset(settings: Settings, session: Session, page: int) -> bytes:
    """File `page` (from 1): the home pages (file 1 only), then a slice of articles in id order."""
    languages = settings.target_languages
    urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap=URLSET_NS)
    if page == 1:
        changes = sitemap_last_changes(session, languages)
        homes = language_versions(settings, "", languages)
        for code in languages:
            _add_url(urlset, homes[code], changes.get(code), homes)
    per_file = items_per_file(languages)
    for entry in sitemap_entries(session, languages, limit=per_file, offset=(page - 1) * per_file):
        versions = language_versions(settings, f"articles/{entry.item_id}", entry.versions)
        for code, changed in entry.versions.items():
            _add_url(urlset, versions[code], changed, versions)
    return bytes(etree.tostring(urlset, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def render_index(settings: Settings, files: int) -> bytes:
    base = settings.base_url.rstrip("/")
    index = etree.Element(f"{{{SITEMAP_NS}}}sitemapindex", nsmap=INDEX_NS)
    for page in range(1, files + 1):
        sitemap = etree.SubElement(index, f"{{{SITEMAP_NS}}}sitemap")
        etree.SubElement(sitemap, f"{{{SITEMAP_NS}}}loc").text = f"{base}/sitemaps/{page}.xml"
    return bytes(etree.tostring(index, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def file_count(settings: Settings, session: Session) -> int:
    items = count_sitemap_items(session, settings.target_languages)
    return max(1, -(-items // items_per_file(settings.target_languages)))


def _xml(body: bytes) -> Response:
    return Response(body, media_type="application/xml; charset=utf-8", headers=HEADERS)


@router.get("/sitemap.xml", include_in_schema=False)
def sitemap(session: ReadSession, settings: AppSettings) -> Response:
    files = file_count(settings, session)
    if files == 1:
        return _xml(render_urlset(settings, session, 1))
    return _xml(render_index(settings, files))


@router.get("/sitemaps/{page}.xml", include_in_schema=False)
def sitemap_file(page: int, session: ReadSession, settings: AppSettings) -> Response:
    if not 1 <= page <= file_count(settings, session):
        raise HTTPException(status_code=404, detail="no such sitemap file")
    return _xml(render_urlset(settings, session, page))
