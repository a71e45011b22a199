"""The extract stage: Page -> Document.

Trafilatura finds the article (main text, not nav, share bars, related links, comments) and
its metadata; this module asks it for structure rather than plain text (its XML tree, with
formatting and links kept), converts that structure to babelwire blocks (`blocks.py`, which
also sanitizes), and fills in what trafilatura leaves coarse: the exact publication instant,
the lead image and the language (`metadata.py`, `language.py`).

The page is parsed once. What babelwire reads from its markup (`page_metadata.py`,
`metadata.py`) is read first; then the same tree goes to trafilatura's cascade, which prunes it
in place (`body.py`): no second parse and no copy of the page (benchmarks/extraction.py).
"""

from __future__ import annotations

import re

from babelwire.domain import Block, BlockKind, Document, Page
from babelwire.extract.blocks import blocks_from_body, normalize_space
from babelwire.extract.body import trafilatura_body
from babelwire.extract.errors import ExtractionError
from babelwire.extract.language import detect_language
from babelwire.extract.metadata import (
    declared_language,
    declared_published,
    lead_image,
    mark_captions,
    parse_datetime,
)
from babelwire.extract.page_metadata import htmldate_day, page_metadata
from babelwire.extract.parsing import parse_page

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


def extract_document(page: Page) -> Document:
    """Extract the article on `page`: metadata plus sanitized blocks in reading order.

    Raises ExtractionError("no_content") when the page has no article text,
    ExtractionError("not_html") when it cannot be parsed, ExtractionError("extractor_failed")
    when the extractor itself breaks on it; never anything else for bad HTML.
    """
    url = page.final_url or page.url
    try:
        tree = parse_page(page.html)
        captions = mark_captions(tree)
        # Everything read from the page's markup first: trafilatura then prunes the tree in place.
        meta = page_metadata(tree, url)
        declared = declared_language(tree, page.headers)
        published = declared_published(tree) or parse_datetime(htmldate_day(tree, meta.url))
        image = lead_image(meta.image, tree, url)
        blocks = blocks_from_body(trafilatura_body(tree, url), url, captions)
        title = normalize_space(meta.title or "")
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
            language=detect_language(body_text, declared),
            byline=normalize_space(meta.author or "") or None,
            published=published,
            lead_image=image,
            site_name=normalize_space(meta.sitename or "") or None,
            description=normalize_space(meta.description or "") or None,
        )
    except ExtractionError:
        raise
    except RecursionError as exc:
        raise ExtractionError("extractor_failed", "page too deeply nested") from exc
    except Exception as exc:  # trafilatura/lxml raise assorted errors on hostile pages: fail the item only
        raise ExtractionError("extractor_failed", f"{type(exc).__name__}: {exc}") from exc
