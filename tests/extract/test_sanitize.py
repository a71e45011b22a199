"""sanitize_inline: the one allow-list every piece of third-party HTML passes through."""

from __future__ import annotations

import random

import nh3
import pytest

from babelwire.extract import sanitize
from babelwire.extract.sanitize import sanitize_inline

BASE = "https://news.example/world/story.html"
REL = 'rel="noopener noreferrer nofollow"'


def test_keeps_inline_markup() -> None:
    html = (
        "<em>a</em> <strong>b</strong> <b>c</b> <i>d</i> <code>e</code> H<sub>2</sub>O m<sup>2</sup> x<br>y"
    )
    assert sanitize_inline(html) == html


def test_links_are_absolutised_and_marked() -> None:
    out = sanitize_inline('<a href="../sport/match.html" title="t" target="_blank">match</a>', BASE)
    assert out == f'<a href="https://news.example/sport/match.html" {REL}>match</a>'


def test_protocol_relative_and_mailto_links() -> None:
    assert f'href="https://cdn.example/x" {REL}' in sanitize_inline('<a href="//cdn.example/x">x</a>', BASE)
    assert 'href="mailto:desk@news.example"' in sanitize_inline('<a href="mailto:desk@news.example">m</a>')


def test_relative_link_without_base_becomes_text() -> None:
    assert sanitize_inline('see <a href="/about">about us</a>') == "see about us"


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java&#x09;script:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
    ],
)
def test_dangerous_link_schemes_are_removed(href: str) -> None:
    assert sanitize_inline(f'<a href="{href}">click</a>', BASE) == "click"


def test_scripts_styles_and_their_content_are_gone() -> None:
    out = sanitize_inline("a<script>alert('x')</script>b<style>p{color:red}</style>c<noscript>n</noscript>d")
    assert out == "abcd"


def test_event_handlers_and_style_attributes_are_gone() -> None:
    out = sanitize_inline('<em onclick="alert(1)" style="color:red" class="x" id="y">word</em>')
    assert out == "<em>word</em>"


def test_svg_and_math_are_dropped_with_their_payloads() -> None:
    out = sanitize_inline('ok<svg onload="alert(1)"><script>alert(2)</script><a href="/x">s</a></svg>', BASE)
    assert "script" not in out and "svg" not in out and "alert" not in out
    assert out.startswith("ok")


def test_block_and_embed_tags_are_unwrapped_or_dropped() -> None:
    out = sanitize_inline(
        '<div><p>text</p><img src="x" onerror="alert(1)"><iframe src="https://e.x"></iframe></div>'
    )
    assert out == "text"


def test_broken_markup_is_closed_and_cannot_smuggle_tags() -> None:
    assert sanitize_inline("<b>bold <i>both") == "<b>bold <i>both</i></b>"
    out = sanitize_inline('<a href="https://ok.example/" <script>alert(1)</script>x</a>')
    assert "<script" not in out
    out = sanitize_inline("<<script>script>alert(1)<</script>/script>")
    assert "<script" not in out


def test_text_is_escaped() -> None:
    assert sanitize_inline("1 &lt; 2 &amp; 3 &gt; 2") == "1 &lt; 2 &amp; 3 &gt; 2"
    assert sanitize_inline("<notatag> & co") == " &amp; co"


def test_comments_are_stripped() -> None:
    assert sanitize_inline("a<!-- <script>x</script> -->b") == "ab"


def test_empty_input() -> None:
    assert sanitize_inline("") == ""


def test_only_href_survives_on_any_tag() -> None:
    out = sanitize_inline(
        '<a href="https://x.example/" title="t" lang="en" dir="rtl">m</a><em lang="fr" title="x">y</em>'
    )
    assert out == f'<a href="https://x.example/" {REL}>m</a><em>y</em>'


def test_plain_text_shortcut_is_what_nh3_returns() -> None:
    """Text without & < > NBSP CR NUL BOM or surrogates skips the parser: nh3 would return it as is."""
    chars = [chr(c) for c in range(0x300)] + list("\u2028\u202e\u200b\u00ad\u0301\ufdd0\ufffd\U0001f600 ")
    rng = random.Random(13)
    for _ in range(20_000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(1, 24)))
        if sanitize._PARSER_NEEDED.search(text) is None:
            assert sanitize_inline(text) == text == nh3.clean(text)


def test_text_needing_the_parser_still_goes_through_it() -> None:
    assert sanitize_inline("a\u00a0b") == "a&nbsp;b"
    assert sanitize_inline("\ufeffword") == "word"
    assert sanitize_inline("1 > 0") == "1 &gt; 0"
