"""The extract stage: Page -> Document.

Trafilatura finds the article (main text, not nav, share bars, related links, comments) and
its metadata; this module asks it for structure rather than plain text (its XML tree, with
formatting and links kept), converts that structure to babelwire blocks (`blocks.py`, which
also sanitizes), and fills in what trafilatura leaves coarse: the exact publication instant,
the lead image and the language (`metadata.py`, `language.py`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import trafilatura
from lxml.html import HtmlElement
from trafilatura.settings import Document as TrafilaturaDocument
from trafilatura.utils import load_html

from babelwire.domain import Block, BlockKind, Document, Page
from babelwire.extract.blocks import blocks_from_body, normalize_space
from babelwire.extract.errors import ExtractionError
from babelwire.extract.language import detect_language
from babelwire.extract.metadata import declared_language, lead_image, mark_captions, published_datetime

# Trafilatura's settings, measured with benchmarks/extraction.py on the shared dev set.
# Comments are page chrome for a news wire. Tables on: each row becomes a paragraph, and they
# hold article text (+0.9 points of snippet recall). Images off: the lead image comes from
# metadata, and with images on trafilatura keeps more boilerplate (-1.1 points clean rate).
# favor_precision off: it trades 3 points of recall for 1.6 of clean rate, a worse F1.
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "include_formatting": True,
    "include_links": True,
    "include_images": False,
    "favor_precision": False,
    "with_metadata": True,
}

# Less body text than this (headings aside) is a menu or an error page, not an article:
# trafilatura's last-resort baseline returns whatever text a page has, e.g. "Home News".
MIN_ARTICLE_CHARS = 40
# How far into the body a heading repeating the title is looked for.
_TITLE_WINDOW = 3
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»]+\s+")
_NON_WORD = re.compile(r"\W+")


def _key(text: str) -> str:
    """Comparison key for titles: case, spacing and punctuation do not matter."""
    return _NON_WORD.sub("", text.casefold())


def _is_title(heading: str, title: str) -> bool:
    """True when `heading` is the title, or the title minus a " | Site name" part."""
    heading_key = _key(heading)
    if not heading_key:
        return False
    parts = [title, *_TITLE_SEPARATORS.split(title)]
    return any(_key(part) == heading_key for part in parts)


def drop_repeated_title(blocks: list[Block], title: str) -> list[Block]:
    """Remove the first heading near the top when it only repeats the title."""
    for index, block in enumerate(blocks[:_TITLE_WINDOW]):
        if block.kind is BlockKind.HEADING:
            if _is_title(block.text, title):
                return blocks[:index] + blocks[index + 1 :]
            return blocks
    return blocks


# C0 control characters (except tab, newline, carriage return), raw or as character references:
# lxml refuses them in XML, and one `&#1;` anywhere made trafilatura discard the whole article.
_CONTROL_CHARACTERS = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f]|&#0*(?:[0-8]|1[124-9]|2\d|3[01]);|&#[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]);"
)


def _parse(html: str) -> HtmlElement:
    """Parse the page like trafilatura does (it copes with encodings declared in the markup)."""
    if not html or not html.strip():
        raise ExtractionError("no_content", "the page is empty")
    tree = load_html(_CONTROL_CHARACTERS.sub("", html))
    if tree is None:
        raise ExtractionError("not_html", "the page could not be parsed as HTML")
    return tree


def _date_params() -> dict[str, Any]:
    """htmldate on markup only: its free-text search (dateparser) costs more than the whole
    body extraction, and `published_datetime` reads the page's declared timestamps first."""
    return {"extensive_search": False, "original_date": True, "max_date": date.today().isoformat()}


def _run_trafilatura(tree: HtmlElement, url: str) -> TrafilaturaDocument:
    """Trafilatura's body (as its XML tree) and metadata; it returns None for "no article"."""
    result = trafilatura.bare_extraction(
        tree, url=url, date_extraction_params=_date_params(), **TRAFILATURA_OPTIONS
    )
    if not isinstance(result, TrafilaturaDocument):
        raise ExtractionError("no_content", "no article text found on the page")
    return result


def extract_document(page: Page) -> Document:
    """Extract the article on `page`: metadata plus sanitized blocks in reading order.

    Raises ExtractionError("no_content") when the page has no article text,
    ExtractionError("not_html") when it cannot be parsed, ExtractionError("extractor_failed")
    when the extractor itself breaks on it; never anything else for bad HTML.
    """
    url = page.final_url or page.url
    try:
        tree = _parse(page.html)
        captions = mark_captions(tree)
        result = _run_trafilatura(tree, url)
        blocks = blocks_from_body(result.body, url, captions)
        title = normalize_space(result.title or "")
        if not title:
            title = next((b.text for b in blocks[:_TITLE_WINDOW] if b.kind is BlockKind.HEADING), "")
            title = normalize_space(title)
        blocks = drop_repeated_title(blocks, title)
        body_chars = sum(len(b.text) for b in blocks if b.kind is not BlockKind.HEADING)
        if body_chars < MIN_ARTICLE_CHARS:
            raise ExtractionError("no_content", f"only {body_chars} characters of article text")
        body_text = "\n".join(block.text for block in blocks)
        return Document(
            url=url,
            title=title,
            blocks=tuple(blocks),
            language=detect_language(body_text, declared_language(tree, page.headers)),
            byline=normalize_space(result.author or "") or None,
            published=published_datetime(tree, result.date),
            lead_image=lead_image(result.image, tree, url),
            site_name=normalize_space(result.sitename or "") or None,
            description=normalize_space(result.description or "") or None,
        )
    except ExtractionError:
        raise
    except RecursionError as exc:
        raise ExtractionError("extractor_failed", "page too deeply nested") from exc
    except Exception as exc:  # trafilatura/lxml raise assorted errors on hostile pages: fail the item only
        raise ExtractionError("extractor_failed", f"{type(exc).__name__}: {exc}") from exc
