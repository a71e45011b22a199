"""page_metadata and page_author give what trafilatura's own extract_metadata / extract_author give."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pytest
from lxml.html import HtmlElement, document_fromstring
from trafilatura.metadata import extract_author, extract_metadata

from babelwire.extract import author
from babelwire.extract.author import page_author
from babelwire.extract.metadata import mark_captions
from babelwire.extract.page_metadata import htmldate_day, htmldate_params, page_metadata
from babelwire.extract.parsing import parse_page
from babelwire.fetch.encoding import decode_html

TESTDATA = Path(__file__).parent / "testdata"
DEV_SET = Path(__file__).parents[2] / ".." / "shared" / "data" / "extraction-dev"
FIELDS = ("title", "author", "url", "sitename", "description", "image")


def pages() -> list[tuple[str, str]]:
    """(url, html): the fixtures and, when present, the first 40 pages of the shared dev set."""
    found = [(f"https://news.example/{p.name}", p.read_text(encoding="utf-8")) for p in TESTDATA.iterdir()]
    if (DEV_SET / "evaldata.json").exists():
        evaldata = json.loads((DEV_SET / "evaldata.json").read_text(encoding="utf-8"))
        for url, entry in list(evaldata.items())[:40]:
            raw = gzip.decompress((DEV_SET / "html" / f"{entry['file']}.gz").read_bytes())
            found.append((url, decode_html(raw)))
    return found


def tree_of(html: str) -> HtmlElement:
    tree = parse_page(html)
    mark_captions(tree)
    return tree


PAGES = pages()


@pytest.mark.parametrize(("url", "html"), PAGES, ids=[url[-50:] for url, _ in PAGES])
def test_same_metadata_as_trafilatura(url: str, html: str) -> None:
    try:
        tree = tree_of(html)
    except Exception:
        pytest.skip("not a parseable page")
    expected = extract_metadata(tree, url, htmldate_params())
    got = page_metadata(tree, url)
    assert [getattr(got, f) for f in FIELDS] == [getattr(expected, f) for f in FIELDS]
    assert htmldate_day(tree, got.url) == expected.date
    assert page_author(tree) == extract_author(tree)


def test_rules_are_the_installed_trafilaturas() -> None:
    # A trafilatura upgrade that changes these XPaths makes page_author fall back to (slow)
    # extract_author: transcribe the new rules into author.py and update TRAFILATURA_RULES.
    assert author.RULES_MATCH


# Every string the author XPaths' class and id tests accept contains one of these (the regex
# alternatives spelled out: author-?name, [Aa]uthor, [Bb]yline, and the exact values).
CLASS_LITERALS = (
    "author-name", "authorname", "AuthorName", "authorName", "author", "Author", "channel-name",
    "zuozhe", "bianji", "xiaobian", "submitted-by", "posted-by", "journalist-name", "screenname",
    "writer", "Byline", "byline", "username", "byl", "BBL",
)  # fmt: skip
ID_LITERALS = ("author", "Author", "zuozhe", "bianji", "xiaobian")


def test_cheap_prefilter_keeps_every_author_candidate() -> None:
    for literal in CLASS_LITERALS:
        assert any(word in literal.lower() for word in author.CLASS_WORDS), literal
    for literal in ID_LITERALS:
        assert any(word in literal.lower() for word in author.ID_WORDS), literal


BYLINE_CASES = {
    "meta-only": "<p>Text.</p>",
    "plain": '<p class="byline">By Ana Ruiz</p>',
    "in-discarded-box": '<div class="sidebar"><span class="author">Sidebar Writer</span></div>'
    '<span class="author-name">Real Author</span>',
    "time-inside": '<div class="byline">Jo Smith <time datetime="2025-01-01">1 Jan</time> tail</div>',
    "figure-inside": '<p class="byline">Ann <figure>photo credit</figure>Lee</p>',
    "generic-only": '<section class="post-writer">Written by Kim Park</section>',
    "itemprop": '<span itemprop="author">Lu Wei</span>',
    "rel-author": '<a rel="author" href="/x">Mara Costa</a>',
    "too-long": '<div class="author">' + "word " * 40 + '</div><p class="byline">Short Name</p>',
    "rel-child": "<div><rel>me</rel>Someone</div>",
    "comment-list": '<div id="comments"><p class="byline">A commenter</p></div>',
}


@pytest.mark.parametrize("body", BYLINE_CASES.values(), ids=BYLINE_CASES.keys())
def test_author_cases(body: str) -> None:
    tree = document_fromstring(f"<html><head><title>t</title></head><body>{body}</body></html>")
    assert page_author(tree) == extract_author(tree)


def test_htmldate_params_are_markup_only() -> None:
    params = htmldate_params()
    assert params["extensive_search"] is False and params["max_date"] == date.today().isoformat()
