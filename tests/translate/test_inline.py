from __future__ import annotations

import pytest

from babelwire.translate.inline import parse_inline, slice_html, to_text

HTML = (
    'El <a href="https://x.es/a?b=1&amp;c=2">Sr. <em>García</em> dijo. Luego</a> se fue &amp; volvió.<br>Fin.'
)


def test_text_and_tags() -> None:
    inline = parse_inline(HTML)
    assert inline.text == "El Sr. García dijo. Luego se fue & volvió.\nFin."
    assert [t.name for t in inline.tags] == ["a", "em", "br"]


def test_whole_span_round_trips() -> None:
    inline = parse_inline(HTML)
    assert slice_html(inline, 0, len(inline.text)) == HTML


def test_a_tag_across_a_sentence_boundary_is_closed_and_reopened() -> None:
    inline = parse_inline(HTML)
    cut = inline.text.index("Luego")
    first, second = slice_html(inline, 0, cut - 1), slice_html(inline, cut, len(inline.text))
    assert first == 'El <a href="https://x.es/a?b=1&amp;c=2">Sr. <em>García</em> dijo.</a>'
    assert second == '<a href="https://x.es/a?b=1&amp;c=2">Luego</a> se fue &amp; volvió.<br>Fin.'


def test_gap_keeps_line_breaks_only() -> None:
    inline = parse_inline("Uno.<br><em>Dos</em>.")
    cut = inline.text.index("Dos")
    assert slice_html(inline, 4, cut, voids_only=True) == "<br>"


@pytest.mark.parametrize(
    "html", ["<em>sin cerrar", "texto</strong> suelto", "", "a &lt;b&gt; c", "<b><i>x</b></i>"]
)
def test_broken_or_plain_markup_never_crashes(html: str) -> None:
    inline = parse_inline(html)
    rebuilt = slice_html(inline, 0, len(inline.text))
    assert to_text(rebuilt) == inline.text
