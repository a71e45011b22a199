"""Trafilatura's article body, run on babelwire's own parse of the page without copying it.

`trafilatura.bare_extraction(tree)` deep-copies a tree it is handed (its cascade prunes the
tree in place), and babelwire reads its metadata from the same tree. Here the metadata is read
first and the tree is then given to trafilatura's cascade to consume: the steps of
bare_extraction for babelwire's options (no metadata, no language filter, no dedup), minus the
copy, minus the text rendering of the "python" format, which babelwire never reads, and with
links resolved on the article only (`_resolve_links`).
tests/extract/test_body.py checks the result against bare_extraction itself.
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from lxml.html import HtmlElement
from trafilatura.core import trafilatura_sequence
from trafilatura.settings import Extractor
from trafilatura.utils import safe_base_url, safe_relative_url

from babelwire.extract.errors import ExtractionError

# Trafilatura's settings, measured with benchmarks/extraction.py on the shared dev set.
# Comments are page chrome for a news wire. Tables on: each row becomes a paragraph, and they
# hold article text (+0.9 points of snippet recall). Images off: the lead image comes from
# metadata, and with images on trafilatura keeps more boilerplate (-1.1 points clean rate).
# favor_precision off: it trades 3 points of recall for 1.6 of clean rate, a worse F1.
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "comments": False,
    "tables": True,
    "formatting": True,
    "links": True,
    "images": False,
    "precision": False,
}


# The options bare_extraction builds from these settings (format "xml", no URL: links are
# resolved by `_resolve_links`). Built once: reading its settings from trafilatura's ConfigParser
# cost 0.3 ms a page, and the cascade only reads it (its recall retry works on a copy).
_OPTIONS = Extractor(output_format="xml", **TRAFILATURA_OPTIONS)


def trafilatura_body(tree: HtmlElement, url: str | None) -> etree._Element:
    """Trafilatura's body element (its XML vocabulary) for the page; `tree` is pruned in place.

    Raises ExtractionError("no_content") where bare_extraction would return None.
    """
    options = _OPTIONS
    try:
        body, text, _, comments = trafilatura_sequence(tree, options, options.url)
        if options.max_tree_size and len(body) > options.max_tree_size:
            etree.strip_tags(body, "hi")
            if len(body) > options.max_tree_size:
                raise ValueError("output tree too long")
        if len(text) < options.min_output_size and len(comments) < options.min_output_comm_size:
            raise ValueError("text and comments not long enough")
    except (TypeError, ValueError) as exc:
        raise ExtractionError("no_content", "no article text found on the page") from exc
    _resolve_links(body, url)
    return body


def _resolve_links(body: etree._Element, url: str | None) -> None:
    """Each link target as trafilatura's convert_link resolves it when given the page URL.

    Given the URL, trafilatura resolves every link of the whole page, once per fallback it runs
    (a tenth of its time on a news page); the result only keeps the article's. Same function,
    same base, so the same targets. (That base is the site's root, not the page: "photo.html"
    on /news/a.html becomes /photo.html, "#note" the home page. Kept as it was; a fix belongs
    with `sanitize_inline`, which resolves against the page URL anyway.)
    """
    base_url = url and safe_base_url(url)
    if not base_url:
        return
    for ref in body.iter("ref"):
        target = ref.get("target")
        if target:
            ref.set("target", safe_relative_url(base_url, target) or target)
