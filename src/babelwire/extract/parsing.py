"""The page parsed once, into the tree trafilatura would build, a little faster.

`parse_page` is trafilatura.utils.load_html for a decoded page (same parser settings, same
repairs, same fallbacks, so the same tree; tests/extract/test_parsing.py compares them), with
two changes that only save time:

- lxml.html's parser looks up a Python class for every element object it hands out (a Python
  callback per element, for `<form>`/`<input>` helpers nobody here calls). Trafilatura creates
  element objects by the thousand on a page; with the C-level lookup of plain HtmlElements the
  whole extraction runs ~3 % faster.
- Characters XML forbids are looked for with bytes.translate before the regex that removes
  them runs: the regex scan alone was 0.7 ms a page, and almost no page has one.

Character references to C0 controls (`&#1;`) are removed too: lxml refuses them in XML, and one
anywhere made trafilatura discard the whole article.
"""

from __future__ import annotations

import logging
import re

from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    fromstring,
)
from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, INVALID_XML_CHARS, is_dubious_html

from babelwire.extract.errors import ExtractionError

LOGGER = logging.getLogger(__name__)

# trafilatura.utils.HTML_PARSER's settings, with a class lookup that needs no Python callback.
HTML_PARSER = HTMLParser(  # type: ignore[call-arg]  # lxml-stubs lack default_doctype
    collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
)
HTML_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
    )
)
_CONTROL_REFERENCES = re.compile(
    r"&#(?:0*(?:[0-8]|1[124-9]|2\d|3[01])|[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]));"
)
# INVALID_XML_CHARS as UTF-8: C0 controls are single bytes UTF-8 never uses in a sequence.
_INVALID_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def _without_invalid_characters(html: str) -> str:
    """INVALID_XML_CHARS.sub("", html), skipping the scan when there is nothing to remove."""
    raw = html.encode("utf-8", "surrogatepass")
    if len(raw.translate(None, _INVALID_BYTES)) == len(raw) and "\ufffe" not in html and "\uffff" not in html:
        return html
    return INVALID_XML_CHARS.sub("", html)


def _repair(html: str, beginning: str) -> str:
    """trafilatura.utils.repair_faulty_html."""
    html = _without_invalid_characters(html)
    if "doctype" in beginning:  # libxml2/lxml issue: https://bugs.launchpad.net/lxml/+bug/1955915
        firstline, _, rest = html.partition("\n")
        html = DOCTYPE_TAG.sub("", firstline, count=1) + "\n" + rest
    for line in html[:4096].splitlines()[:4]:  # self-closing <html/> in the first lines
        if "<html" in line and line.endswith("/>"):
            html = FAULTY_HTML.sub(r"\1>", html, count=1)
            break
    return html


def _from_bytes(html: str) -> HtmlElement | None:
    try:
        return fromstring(html.encode("utf8", "surrogatepass"), parser=HTML_PARSER)
    except Exception as err:
        LOGGER.debug("lxml parser bytestring %s", err)
    return None


def load_html(html: str) -> HtmlElement | None:
    """trafilatura.utils.load_html for a decoded page: the tree, or None for "not HTML"."""
    beginning = html[:50].lower()
    dubious = is_dubious_html(beginning)
    html = _repair(html, beginning)
    tree, fallback = None, False
    try:
        tree = fromstring(html, parser=HTML_PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree, fallback = _from_bytes(html), True
    except Exception as err:
        LOGGER.debug("lxml parsing failed: %s", err)
    if (tree is None or len(tree) < 1) and not fallback:
        tree = _from_bytes(html)
    if tree is not None and dubious and len(tree) < 2:
        return None  # not (well-formed) HTML at all
    return tree


def strip_control_references(html: str) -> str:
    """`html` without character references to C0 control characters (`&#1;`, `&#x1F;`)."""
    return _CONTROL_REFERENCES.sub("", html) if "&#" in html else html


def parse_page(html: str) -> HtmlElement:
    """The page's tree, as trafilatura would parse it; ExtractionError for an empty or non-HTML page."""
    if not html or not html.strip():
        raise ExtractionError("no_content", "the page is empty")
    tree = load_html(strip_control_references(html))
    if tree is None:
        raise ExtractionError("not_html", "the page could not be parsed as HTML")
    return tree
