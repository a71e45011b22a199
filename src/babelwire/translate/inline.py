"""Inline HTML as text plus tag positions, so sentences can be cut on text offsets.

The segmenter works on plain text; blocks carry inline markup (links, emphasis). This
module maps between the two: `parse_inline` gives the text and where each tag opens and
closes, `slice_html` rebuilds well-formed HTML for any text span, closing tags that run
past the span's end and reopening them in the next one. Written by hand because the
markup is already reduced to a tiny allow-list by extract/, and no library maps
sentence offsets back into markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

VOID_TAGS = frozenset({"br", "img", "wbr", "hr"})


@dataclass(frozen=True)
class TagSpan:
    """A paired tag covering text[start:end], or a void tag at `start` (end == start)."""

    start: int
    end: int
    name: str
    open_html: str
    void: bool = False


@dataclass(frozen=True)
class InlineText:
    text: str
    tags: tuple[TagSpan, ...]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.open: list[tuple[str, str, int]] = []
        self.tags: list[TagSpan] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        rendered = "<" + tag + "".join(f' {k}="{escape(v or "", quote=True)}"' for k, v in attrs) + ">"
        if tag in VOID_TAGS:
            # A line break is whitespace to the segmenter: it stands in the text as one "\n".
            self.tags.append(TagSpan(self.length, self.length + 1, tag, rendered, void=True))
            self.parts.append("\n")
            self.length += 1
        else:
            self.open.append((tag, rendered, self.length))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            name, rendered, start = self.open[index]
            if name == tag:
                del self.open[index]
                self.tags.append(TagSpan(start, self.length, name, rendered))
                return

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self.length += len(data)

    def result(self) -> InlineText:
        for name, rendered, start in self.open:  # unclosed tags run to the end
            self.tags.append(TagSpan(start, self.length, name, rendered))
        ordered = sorted(self.tags, key=lambda t: (t.start, -t.end))
        return InlineText("".join(self.parts), tuple(ordered))


def parse_inline(html: str) -> InlineText:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.result()


def slice_html(inline: InlineText, start: int, end: int, *, voids_only: bool = False) -> str:
    """Well-formed HTML for inline.text[start:end], with every tag that overlaps the span.

    `voids_only` renders just text and line breaks: for the gaps between sentences, so a
    `<br>` between two sentences survives their translation.
    """
    events: list[tuple[int, int, str]] = []  # (position, rank, html); closes sort before opens
    skip: set[int] = set()
    for depth, tag in enumerate(inline.tags):
        if tag.void:
            if start <= tag.start < end:
                events.append((tag.start, 0, tag.open_html))
                skip.add(tag.start)
            continue
        lo, hi = max(tag.start, start), min(tag.end, end)
        if lo < hi and not voids_only:
            events.append((lo, 1000 + depth, tag.open_html))
            events.append((hi, -1000 + depth, f"</{tag.name}>"))
    events.sort(key=lambda e: (e[0], e[1]))
    out: list[str] = []
    cursor = start
    for position, _, html in events:
        out.append(_text(inline.text, cursor, position, skip))
        cursor = max(cursor, position)
        out.append(html)
    out.append(_text(inline.text, cursor, end, skip))
    return "".join(out)


def _text(text: str, start: int, end: int, skip: set[int]) -> str:
    if end <= start:
        return ""
    if not any(start <= position < end for position in skip):
        return escape(text[start:end], quote=False)
    chars = "".join(ch for i, ch in enumerate(text[start:end], start) if i not in skip)
    return escape(chars, quote=False)


def to_text(html: str) -> str:
    return parse_inline(html).text
