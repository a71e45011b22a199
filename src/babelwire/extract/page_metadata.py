"""Trafilatura's page metadata: the fields babelwire uses, at a fraction of the cost.

`bare_extraction(with_metadata=True)` spent more time on metadata than on anything else
babelwire adds (benchmarks/extraction.py, profiled on the dev set: about 34 ms a page against 85
for the article itself). Where it went: the author search deep-copies the page and runs three
regex XPaths (~25 ms where the page has no author meta tag); htmldate looks for a date (~3.5 ms)
that babelwire only needs when the page declares none (`metadata.declared_published`);
categories, tags and the license (~8 ms) are never used.

`page_metadata` runs the steps of trafilatura.metadata.extract_metadata, in its order and with
its functions, except that the author comes from `author.page_author` (the same answer, one walk
of the page), the date is left to `htmldate_day`, and hostname, categories, tags and license are
not looked for. tests/extract/test_page_metadata.py checks the result field by field against
extract_metadata.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import Document as TrafilaturaDocument

from babelwire.extract.author import page_author

LOGGER = logging.getLogger(__name__)


def page_metadata(tree: HtmlElement, url: str | None) -> TrafilaturaDocument:
    """Title, author, URL, site name, description and image as extract_metadata finds them.

    `date` is left empty (see `htmldate_day`); `url` is the page's canonical URL, which
    htmldate reads dates from.
    """
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception as err:  # trafilatura's own guard: bugs in its JSON-LD code
        LOGGER.warning("error in JSON metadata extraction: %s", err)
    if not metadata.title:
        metadata.title = extract_title(tree)
    if not metadata.author:
        metadata.author = page_author(tree)
    if not metadata.url:
        metadata.url = extract_url(tree, url)
    # (no hostname: a public-suffix lookup babelwire never reads)
    if not metadata.sitename:
        metadata.sitename = extract_sitename(tree)
    if metadata.sitename:
        metadata.sitename = metadata.sitename.lstrip("@")
        if metadata.sitename and "." not in metadata.sitename and not metadata.sitename[0].isupper():
            metadata.sitename = metadata.sitename.title()
    elif metadata.url:
        match = META_URL.match(metadata.url)
        if match:
            metadata.sitename = match[1]
    metadata.clean_and_trim()
    return metadata


def htmldate_params() -> dict[str, Any]:
    """htmldate on markup only: its free-text search (dateparser) costs more than the whole
    body extraction, and `declared_published` reads the page's declared timestamps first."""
    return {"extensive_search": False, "original_date": True, "max_date": date.today().isoformat()}


def htmldate_day(tree: HtmlElement, canonical_url: str | None) -> str | None:
    """htmldate's publication day ("YYYY-MM-DD"), asked the way extract_metadata asks it."""
    day = find_date(tree, url=canonical_url, **htmldate_params())
    return str(day) if day else None
