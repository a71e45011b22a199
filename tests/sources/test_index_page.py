from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from babelwire.sources.errors import SourceError
from babelwire.sources.index_page import article_links, compile_link_pattern

DATA = Path(__file__).parent / "testdata"
PAGE_URL = "https://www.diario.example/ultimas"


def test_article_links_skip_chrome_and_keep_stories_in_page_order() -> None:
    links = article_links((DATA / "index-page.html").read_bytes(), PAGE_URL)
    assert [(item.url.removeprefix("https://www.diario.example"), item.title) for item in links] == [
        ("/2026/03/10/ampliacion-del-dique-norte-aprobada", "Aprobada la ampliación del dique norte"),
        ("/economia/la-conservera-contratara-a-doscientas-personas-para-la-campana",
         "La conservera contratará a 200 personas"),
        ("/noticia/483920", "Incendio en una nave del polígono"),
        ("/2026/03/09/regata-de-traineras", "Regata de traineras"),
    ]  # fmt: skip
    assert links[0].published == datetime(2026, 3, 10, tzinfo=UTC)
    assert links[2].published is None


def test_link_pattern_replaces_the_heuristics() -> None:
    links = article_links((DATA / "index-page.html").read_bytes(), PAGE_URL, r"/noticia/\d+$")
    assert [item.url for item in links] == ["https://www.diario.example/noticia/483920"]


def test_base_href_resolves_links_and_page_itself_is_skipped() -> None:
    html = """<html><head><base href="https://www.diario.example/es/"></head><body>
    <a href="2026/03/10/una-noticia-con-titulo-largo">Una</a>
    <a href="https://diario.example/ultimas/">self, without www and with a slash</a>
    <a href="/ultimas">self</a></body></html>"""
    assert [item.url for item in article_links(html, PAGE_URL)] == [
        "https://www.diario.example/es/2026/03/10/una-noticia-con-titulo-largo"
    ]


@pytest.mark.parametrize("html", ["", "   ", "\x00\x00", "<html></html>", b"\xff\xfe\x00garbage"])
def test_empty_or_garbage_pages_have_no_links(html: str | bytes) -> None:
    assert article_links(html, PAGE_URL) == []


def test_anchor_title_falls_back_to_image_alt_and_the_longest_text_wins() -> None:
    html = """<a href="/2026/03/10/story-one"><img alt="Picture of the port"></a>
    <a href="/2026/03/10/story-one">Story one: the port grows</a><a href="/2026/03/10/story-one">more</a>"""
    (item,) = article_links(html, PAGE_URL)
    assert item.title == "Story one: the port grows"


@pytest.mark.parametrize(
    ("pattern", "says"),
    [("(unclosed", "invalid link pattern"), ("(a+)+$", "nested repeat"), ("x" * 201, "longer than 200")],
)
def test_bad_link_patterns_are_clear_errors(pattern: str, says: str) -> None:
    with pytest.raises(SourceError) as caught:
        compile_link_pattern(pattern)
    assert caught.value.reason == "bad_link_pattern"
    assert says in caught.value.message and "use a short pattern" in caught.value.message
    with pytest.raises(SourceError):
        article_links("<a href='/x'>x</a>", PAGE_URL, pattern)
