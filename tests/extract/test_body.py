"""trafilatura_body (no copy, no metadata) gives the body bare_extraction gives for the same options."""

from __future__ import annotations

from copy import deepcopy

import pytest
import trafilatura
from lxml import etree

from babelwire.extract.body import TRAFILATURA_OPTIONS, trafilatura_body
from babelwire.extract.errors import ExtractionError
from babelwire.extract.metadata import mark_captions
from babelwire.extract.parsing import parse_page
from tests.extract.test_page_metadata import PAGES

# bare_extraction's names for the same settings.
BARE_OPTIONS = {
    "include_comments": TRAFILATURA_OPTIONS["comments"],
    "include_tables": TRAFILATURA_OPTIONS["tables"],
    "include_formatting": TRAFILATURA_OPTIONS["formatting"],
    "include_links": TRAFILATURA_OPTIONS["links"],
    "include_images": TRAFILATURA_OPTIONS["images"],
    "favor_precision": TRAFILATURA_OPTIONS["precision"],
}


@pytest.mark.parametrize(("url", "html"), PAGES, ids=[url[-50:] for url, _ in PAGES])
def test_same_body_as_bare_extraction(url: str, html: str) -> None:
    try:
        tree = parse_page(html)
    except ExtractionError:
        pytest.skip("not a parseable page")
    mark_captions(tree)
    expected = trafilatura.bare_extraction(deepcopy(tree), url=url, output_format="xml", **BARE_OPTIONS)
    if expected is None:
        with pytest.raises(ExtractionError):
            trafilatura_body(tree, url)
        return
    assert isinstance(expected, trafilatura.settings.Document)
    assert etree.tostring(trafilatura_body(tree, url)) == etree.tostring(expected.body)


def test_no_article_is_no_content() -> None:
    with pytest.raises(ExtractionError) as caught:
        trafilatura_body(parse_page("<html><body><div></div><script>var a = 1;</script></body></html>"), None)
    assert caught.value.reason == "no_content"


LINKS = '<a href="photo.html">p</a> <a href="#note">1</a> <a href="//cdn.example/m">m</a> <a href="/x">x</a>'
TEXT = "Ferry news from the harbour. " * 5
LINKED_PAGE = f"<html><body><article><p>{TEXT}{LINKS}</p></article></body></html>"


@pytest.mark.parametrize("url", ["https://news.example/2025/june/ferry.html", "http://a.example", None])
def test_links_resolve_as_bare_extraction_resolves_them(url: str | None) -> None:
    expected = trafilatura.bare_extraction(
        parse_page(LINKED_PAGE), url=url, output_format="xml", **BARE_OPTIONS
    )
    assert isinstance(expected, trafilatura.settings.Document)
    got = [ref.get("target") for ref in trafilatura_body(parse_page(LINKED_PAGE), url).iter("ref")]
    assert got == [ref.get("target") for ref in expected.body.iter("ref")]
    assert len(got) == 4
