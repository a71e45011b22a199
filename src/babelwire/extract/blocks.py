"""Trafilatura's XML body -> babelwire Blocks.

Trafilatura describes an article in its own TEI-like vocabulary (<head rend="h2">, <p>,
<quote>, <list><item>, <hi rend="#i">, <ref target=...>, <lb/>, <graphic>, <code>).
Babelwire's blocks carry HTML inline markup instead, because that is what markup-aware
translation (Apertium's HTML mode) and the templates understand.
This module is the one translation between the two; every block's HTML then goes through
`sanitize_inline` (the single sanitizer), so the output of this module is safe by
construction *and* by filter.

Nesting is flattened into reading order: a <p> inside a <quote> becomes a QUOTE block, a
nested list's items become LIST_ITEM blocks after their parent item's own text, a table
row becomes one paragraph with its cells separated by " | ", and any unknown wrapper (div,
figure...) is walked through as a container.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape

from lxml import etree

from babelwire.domain import Block, BlockKind
from babelwire.extract.sanitize import sanitize_inline

# trafilatura's <hi rend=...> -> our inline tag; "#u" (underline) has no place in news text.
_HI_TAGS = {"#i": "em", "#b": "strong", "#t": "code", "#sub": "sub", "#sup": "sup"}
_BLOCK_TAGS = frozenset({"p", "head", "quote", "item", "list"})
_CONTAINER_TAGS = frozenset(
    {"body", "main", "doc", "div", "section", "figure", "note", "ab", "table", "cell", "details"}
)
_SKIP_TAGS = frozenset({"graphic", "comments", "teiHeader", "fw"})

# Soft hyphens, zero-width spaces, word joiners, BOMs and control characters: invisible on the
# page, but they split words for search, language id, snippet matching and MT. Zero-width
# (non-)joiners and bidi marks stay: they change how Persian, Indic and RTL text renders.
_INVISIBLE = re.compile(r"[\u00ad\u200b\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_HTML_SPACES = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n{2,}")
_WORD = re.compile(r"\w")
_ADDRESS = re.compile(r"://|www\.|@")

# A paragraph or list item made only of a link this short is navigation ("Zurück nach oben",
# "Back to the newsroom"), which trafilatura keeps when asked to keep links.
MAX_LINK_CHROME_WORDS = 6


def _text_of(elem: etree._Element) -> str:
    return "".join(str(part) for part in elem.itertext())


def normalize_space(text: str) -> str:
    """Collapse runs of whitespace to one space: how captions and titles are compared."""
    return " ".join(text.split())


@dataclass
class _Run:
    """Inline content collected for the block being built."""

    kind: BlockKind
    html: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    link_depth: int = 0
    has_unlinked_text: bool = False

    def add_text(self, value: str | None) -> None:
        if value:
            value = _INVISIBLE.sub("", value)
            spaced = _HTML_SPACES.sub(" ", value)  # newlines too: a line break in a block is <lb/>
            self.html.append(escape(spaced, quote=False))
            self.text.append(spaced)
            if not self.link_depth and _WORD.search(value):
                self.has_unlinked_text = True

    def add_break(self) -> None:
        self.html.append("<br>")
        self.text.append("\n")


@dataclass
class _Builder:
    base_url: str | None
    captions: frozenset[str]
    blocks: list[Block] = field(default_factory=list)

    def flush(self, run: _Run) -> None:
        """Turn a run into a block, unless it holds no text at all."""
        text = unicodedata.normalize("NFC", "".join(run.text)) if run.text else ""
        if "\n" in text:
            text = "\n".join(line.strip() for line in text.split("\n"))
            text = _BLANK_LINES.sub("\n", text)
        text = text.strip()
        if text and not _is_link_chrome(run, text):
            html = unicodedata.normalize("NFC", _strip_edge_breaks("".join(run.html)))
            kind = run.kind
            if kind is BlockKind.PARAGRAPH and normalize_space(text) in self.captions:
                kind = BlockKind.CAPTION
            self.blocks.append(Block(kind=kind, html=sanitize_inline(html, self.base_url), text=text))
        run.html.clear()
        run.text.clear()
        run.has_unlinked_text = False

    def walk(self, elem: etree._Element, kind: BlockKind) -> None:
        """Emit the blocks of `elem`, whose own inline content is of `kind`."""
        run = _Run(kind)
        run.add_text(elem.text)
        for child in elem:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _SKIP_TAGS:
                pass
            elif tag == "row":
                self.flush(run)
                self.table_row(child, kind)
            elif tag in _BLOCK_TAGS or tag in _CONTAINER_TAGS:
                self.flush(run)
                self.walk(child, _child_kind(kind, tag))
            elif tag == "code" and "\n" in _text_of(child).strip():
                self.flush(run)
                self.code_block(child, kind)
            elif tag:
                self.inline(child, run)
            run.add_text(child.tail)
        self.flush(run)

    def table_row(self, row: etree._Element, kind: BlockKind) -> None:
        """A table row becomes one block, its non-empty cells separated by " | "."""
        run = _Run(kind)
        cells = [cell for cell in row if _text_of(cell).strip()]
        for number, cell in enumerate(cells):
            if number:
                run.add_text(" | ")
            self.inline(cell, run)
        self.flush(run)

    def code_block(self, elem: etree._Element, kind: BlockKind) -> None:
        """A preformatted block keeps its line breaks as <br> inside one <code>."""
        run = _Run(kind)
        lines = _text_of(elem).strip("\n").split("\n")
        run.html.append("<code>")
        for number, line in enumerate(lines):
            if number:
                run.add_break()
            line = _INVISIBLE.sub("", line)
            run.html.append(escape(line, quote=False))
            run.text.append(line)
        run.html.append("</code>")
        self.flush(run)

    def inline(self, elem: etree._Element, run: _Run) -> None:
        """Serialize one inline element (and its children) into the run as HTML."""
        tag = elem.tag
        if tag == "lb":
            run.add_break()
            return
        if tag in _SKIP_TAGS:
            return
        opening = closing = ""
        if tag == "hi":
            name = _HI_TAGS.get(str(elem.get("rend", "")))
            if name:
                opening, closing = f"<{name}>", f"</{name}>"
        elif tag == "ref" and elem.get("target"):
            opening, closing = f'<a href="{escape(str(elem.get("target")), quote=True)}">', "</a>"
            run.link_depth += 1
        elif tag == "code":
            opening, closing = "<code>", "</code>"
        run.html.append(opening)
        run.add_text(elem.text)
        for child in elem:
            if isinstance(child.tag, str):
                self.inline(child, run)
            run.add_text(child.tail)
        run.html.append(closing)
        if closing == "</a>":
            run.link_depth -= 1


def _strip_edge_breaks(html: str) -> str:
    """`html` without leading and trailing whitespace and <br>s.

    A loop rather than one regex: an anchored-at-end regex is tried at every space of the block.
    """
    while True:
        html = html.strip()
        if html.startswith("<br>"):
            html = html[4:]
        elif html.endswith("<br>"):
            html = html[:-4]
        else:
            return html


def _is_link_chrome(run: _Run, text: str) -> bool:
    """A short paragraph or list item that is nothing but a link: "Back to top", "More news".

    A link whose text is an address (a URL, an e-mail) is kept: the address is the content.
    """
    return (
        run.kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM)
        and not _ADDRESS.search(text)
        and not run.has_unlinked_text
        and "</a>" in "".join(run.html)
        and len(text.split()) <= MAX_LINK_CHROME_WORDS
    )


def _child_kind(parent: BlockKind, tag: str) -> BlockKind:
    """The kind of a nested element's text: a quote stays a quote down to its paragraphs."""
    if tag == "head":
        return BlockKind.HEADING
    if tag == "quote":
        return BlockKind.QUOTE
    if tag in {"item", "list"}:
        return BlockKind.LIST_ITEM
    return parent


def blocks_from_body(
    body: etree._Element, base_url: str | None = None, captions: Iterable[str] = ()
) -> list[Block]:
    """Blocks in reading order from a trafilatura body element; empty blocks dropped.

    `captions` are the (whitespace-normalised) texts of the page's <figcaption>s: a
    paragraph with exactly that text is a caption, since trafilatura has no caption tag.
    """
    builder = _Builder(base_url=base_url, captions=frozenset(normalize_space(c) for c in captions))
    builder.walk(body, BlockKind.PARAGRAPH)
    return builder.blocks


def blocks_from_xml(xml: str, base_url: str | None = None, captions: Iterable[str] = ()) -> list[Block]:
    """Blocks from trafilatura's `output_format="xml"` string (its <doc><main> or a bare body)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    root = etree.fromstring(xml.encode("utf-8"), parser)
    if root is None:
        return []
    main = root.find("main") if root.tag == "doc" else None
    return blocks_from_body(main if main is not None else root, base_url, captions)
