"""parse_page builds the tree trafilatura's own load_html builds, control characters aside."""

from __future__ import annotations

import re

import pytest
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from babelwire.extract.errors import ExtractionError
from babelwire.extract.parsing import parse_page
from tests.extract.test_page_metadata import PAGES

# What babelwire removed before handing a page to load_html, as one regex (before this module).
CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f]|&#0*(?:[0-8]|1[124-9]|2\d|3[01]);|&#[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]);"
)
ARTICLE = "<p>The ferry is back after two years in the yard.</p>"
TRICKY = {
    "controls": f"<html><body>a\x01b&#1;c&#x0b;d\te\nf\rg{ARTICLE}</body></html>",
    "reference-made-by-removal": f"<html><body>&\x01#1; &#\x011; &#&#1;1;{ARTICLE}</body></html>",
    "references": f"<html><body>&#0000012;&#x1F;&#x20;&#32;&#9;&#10;&#13;&#8217;{ARTICLE}</body></html>",
    "noncharacters": f"<html><body>\ufffe x \uffff{ARTICLE}</body></html>",
    "doctype": f'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x.dtd">\n<html><body>{ARTICLE}</body>',
    "self-closing-html": f'<html xmlns="http://www.w3.org/1999/xhtml"/>\n<body>{ARTICLE}</body>',
    "encoding-declaration": f'<?xml version="1.0" encoding="utf-8"?><html><body>{ARTICLE}</body></html>',
    "fragment": ARTICLE,
    "no-html-word": "<div>just a div</div>",
    "text": "plain text, no markup at all",
    "surrogate": f"<html><body>\ud800{ARTICLE}</body></html>",
}


def serialized(tree: HtmlElement | None) -> bytes | None:
    return None if tree is None else etree.tostring(tree.getroottree())


@pytest.mark.parametrize(
    "html", [*TRICKY.values(), *(html for _, html in PAGES)], ids=[*TRICKY, *(u[-40:] for u, _ in PAGES)]
)
def test_same_tree_as_trafilatura(html: str) -> None:
    expected = load_html(CONTROL.sub("", html))
    try:
        got: HtmlElement | None = parse_page(html)
    except ExtractionError as exc:
        assert exc.reason == "not_html"
        got = None
    assert serialized(got) == serialized(expected)


def test_elements_are_plain_html_elements() -> None:
    tree = parse_page(f"<html><body><form><input name='q'></form>{ARTICLE}</body></html>")
    assert all(type(element) is HtmlElement for element in tree.iter("form", "input", "p"))


def test_empty_page_is_no_content() -> None:
    for html in ("", "  \n "):
        with pytest.raises(ExtractionError) as caught:
            parse_page(html)
        assert caught.value.reason == "no_content"
