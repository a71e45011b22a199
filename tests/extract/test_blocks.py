"""Trafilatura XML -> blocks: kinds, reading order, inline markup, empty blocks."""

from __future__ import annotations

from babelwire.domain import Block, BlockKind
from babelwire.extract.blocks import blocks_from_xml

BASE = "https://news.example/a/story.html"
REL = 'rel="noopener noreferrer nofollow"'


def _doc(body: str) -> str:
    return f'<doc title="t"><main>{body}</main><comments><p>a reader comment</p></comments></doc>'


def kinds(blocks: list[Block]) -> list[BlockKind]:
    return [block.kind for block in blocks]


def test_block_kinds_in_reading_order() -> None:
    blocks = blocks_from_xml(
        _doc(
            '<p>Intro.</p><head rend="h2">Section</head><quote>Quoted words.</quote>'
            '<list rend="ul"><item>One</item><item>Two</item></list><p>Outro.</p>'
        )
    )
    assert [(b.kind, b.text) for b in blocks] == [
        (BlockKind.PARAGRAPH, "Intro."),
        (BlockKind.HEADING, "Section"),
        (BlockKind.QUOTE, "Quoted words."),
        (BlockKind.LIST_ITEM, "One"),
        (BlockKind.LIST_ITEM, "Two"),
        (BlockKind.PARAGRAPH, "Outro."),
    ]


def test_comments_section_is_not_body() -> None:
    assert all("reader comment" not in b.text for b in blocks_from_xml(_doc("<p>Body.</p>")))


def test_inline_markup_becomes_html() -> None:
    (block,) = blocks_from_xml(
        _doc(
            '<p>A <hi rend="#i">slanted</hi>, <hi rend="#b">heavy</hi>, <hi rend="#t">mono</hi>, '
            'H<hi rend="#sub">2</hi>O, m<hi rend="#sup">2</hi>, <hi rend="#u">underlined</hi> '
            '<ref target="/b/other.html">link</ref><lb/>next line</p>'
        ),
        BASE,
    )
    assert block.html == (
        "A <em>slanted</em>, <strong>heavy</strong>, <code>mono</code>, H<sub>2</sub>O, "
        f'm<sup>2</sup>, underlined <a href="https://news.example/b/other.html" {REL}>link</a>'
        "<br>next line"
    )
    assert block.text == "A slanted, heavy, mono, H2O, m2, underlined link\nnext line"


def test_nested_formatting_and_links() -> None:
    (block,) = blocks_from_xml(
        _doc('<p><hi rend="#b">bold <ref target="https://x.example/">and link</ref></hi></p>')
    )
    assert block.html == f'<strong>bold <a href="https://x.example/" {REL}>and link</a></strong>'


def test_text_is_escaped_not_interpreted() -> None:
    (block,) = blocks_from_xml(_doc("<p>1 &lt; 2 &amp;&amp; &lt;script&gt;alert(1)&lt;/script&gt;</p>"))
    assert block.text == "1 < 2 && <script>alert(1)</script>"
    assert "<script" not in block.html and "&lt;script&gt;" in block.html


def test_hostile_link_targets_are_dropped() -> None:
    (block,) = blocks_from_xml(_doc('<p>see <ref target="javascript:alert(1)">this</ref> now</p>'), BASE)
    assert block.html == "see this now"


def test_link_without_target_is_plain_text() -> None:
    (block,) = blocks_from_xml(_doc("<p>a <ref>b</ref> c</p>"))
    assert block.html == "a b c"


def test_empty_and_whitespace_blocks_are_dropped() -> None:
    blocks = blocks_from_xml(
        _doc("<p>  </p><p><lb/> <lb/></p><head/><p>Real.</p><list><item> </item></list>")
    )
    assert [(b.kind, b.html) for b in blocks] == [(BlockKind.PARAGRAPH, "Real.")]


def test_whitespace_is_normalised() -> None:
    (block,) = blocks_from_xml(_doc("<p>\n   Several\n  spaced\t\twords  <lb/>  here \n</p>"))
    assert block.text == "Several spaced words\nhere"
    assert block.html == "Several spaced words <br> here"


def test_quote_paragraphs_are_quotes_and_headings_stay_headings() -> None:
    blocks = blocks_from_xml(
        _doc('<quote>Lead-in <hi rend="#i">said</hi><p>First.</p><p>Second.</p></quote>')
    )
    assert [(b.kind, b.html) for b in blocks] == [
        (BlockKind.QUOTE, "Lead-in <em>said</em>"),
        (BlockKind.QUOTE, "First."),
        (BlockKind.QUOTE, "Second."),
    ]


def test_nested_lists_are_flattened_in_order() -> None:
    blocks = blocks_from_xml(
        _doc(
            '<list rend="ol"><item>One<list rend="ul"><item>One.a</item></list></item>'
            "<item><p>Two</p></item></list>"
        )
    )
    assert [(b.kind, b.text) for b in blocks] == [
        (BlockKind.LIST_ITEM, "One"),
        (BlockKind.LIST_ITEM, "One.a"),
        (BlockKind.LIST_ITEM, "Two"),
    ]


def test_paragraph_matching_a_figcaption_is_a_caption() -> None:
    blocks = blocks_from_xml(_doc("<p>The quay at   dawn.</p><p>Story.</p>"), captions=["The quay at dawn."])
    assert kinds(blocks) == [BlockKind.CAPTION, BlockKind.PARAGRAPH]


def test_table_rows_become_paragraphs() -> None:
    blocks = blocks_from_xml(
        _doc(
            '<table><row><cell role="head">Party</cell><cell role="head">Seats</cell></row>'
            "<row><cell>Blue</cell><cell/><cell>12</cell></row></table>"
        )
    )
    assert [b.text for b in blocks] == ["Party | Seats", "Blue | 12"]


def test_code_block_keeps_its_lines() -> None:
    (block,) = blocks_from_xml(_doc("<code>x = 1\ny = 2</code>"))
    assert block.html == "<code>x = 1<br>y = 2</code>"
    assert block.text == "x = 1\ny = 2"


def test_invisible_characters_are_removed_and_text_is_nfc() -> None:
    (block,) = blocks_from_xml(_doc("<p>Kiess\u00adling\u200b cafe\u0301\u0007</p>"))
    assert block.text == "Kiessling café"
    assert block.html == "Kiessling café"


def test_unknown_wrappers_are_walked_through() -> None:
    blocks = blocks_from_xml(_doc("<div><p>Inside a div.</p></div><figure><p>In a figure.</p></figure>"))
    assert [b.text for b in blocks] == ["Inside a div.", "In a figure."]


def test_bare_body_and_broken_xml() -> None:
    assert [b.text for b in blocks_from_xml("<body><p>Bare.</p></body>")] == ["Bare."]
    assert [b.text for b in blocks_from_xml("<doc><main><p>Unclosed <hi>tag</main></doc>")] == [
        "Unclosed tag"
    ]


def test_short_link_only_paragraphs_are_navigation() -> None:
    blocks = blocks_from_xml(
        _doc(
            '<p><ref target="/top">Back to top</ref></p>'
            '<list><item><ref target="/news">More news</ref></item></list>'
            '<p><ref target="https://petition.example/">https://petition.example/</ref></p>'
            '<p>Read <ref target="/r">the report</ref>.</p>'
            '<p><ref target="/long">A link that is a whole sentence of the story, with many words</ref></p>'
        ),
        BASE,
    )
    assert [b.text for b in blocks] == [
        "https://petition.example/",
        "Read the report.",
        "A link that is a whole sentence of the story, with many words",
    ]
