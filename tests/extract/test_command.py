"""`babelwire extract` rendering: JSON, text and a standalone HTML page, from a local file."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import lxml.html
import pytest

from babelwire.commands.extract import extract_command, render_html
from babelwire.domain import Block, BlockKind, Document
from babelwire.extract import ExtractionError
from tests.conftest import LOOPBACK_ENV

TESTDATA = Path(__file__).parent / "testdata"
ARTICLE = TESTDATA / "article_en.html"


def test_json_format_round_trips_to_a_document() -> None:
    data = json.loads(extract_command(str(ARTICLE), "json"))
    document = Document.from_json(data)
    assert document.title == "Harbour ferry returns after two-year repair"
    assert (
        document.url == "https://courier.example/news/2025/harbour-ferry-returns"
    )  # from <link rel=canonical>
    assert document.blocks[1].kind is BlockKind.PARAGRAPH


def test_text_format() -> None:
    text = extract_command(str(ARTICLE), "text")
    lines = text.splitlines()
    assert lines[0] == "Harbour ferry returns after two-year repair"
    assert lines[1] == ""
    assert "A crossing older than the bridge" in lines
    assert "<" not in text


def test_html_format_is_a_proper_page(tmp_path: Path) -> None:
    gz = tmp_path / "story.html.gz"
    gz.write_bytes(gzip.compress(ARTICLE.read_bytes()))
    html = extract_command(str(gz), "html")
    tree = lxml.html.document_fromstring(html)
    assert tree.get("lang") == "en"
    assert tree.findtext(".//title") == "Harbour ferry returns after two-year repair"
    assert [h.text for h in tree.iter("h2")] == ["A crossing older than the bridge"]
    (ul,) = tree.iter("ul")
    assert len(ul.findall("li")) == 2
    assert len(list(tree.iter("blockquote"))) == 1
    assert tree.findtext(".//figcaption") == "The Mary Ellen moored at the north quay on Friday morning."


def test_html_format_escapes_metadata() -> None:
    document = Document(
        url='https://x.example/?a=1&b="2"',
        title="<script>alert(1)</script> & more",
        blocks=(Block(BlockKind.QUOTE, "<em>safe</em>", "safe"),),
        byline="<b>Eve</b>",
    )
    html = render_html(document)
    assert "<script>" not in html and "<b>Eve</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "<blockquote>\n<p><em>safe</em></p>\n</blockquote>" in html


def test_missing_file_and_non_article_raise() -> None:
    with pytest.raises(OSError):
        extract_command("/nonexistent/page.html", "json")
    with pytest.raises(ExtractionError):
        extract_command(str(TESTDATA / "no_article.html"), "text")


def test_local_copy_without_canonical_keeps_absolute_links(tmp_path: Path) -> None:
    copy = tmp_path / "hostile.html"
    shutil.copy(TESTDATA / "hostile.html", copy)
    html = extract_command(str(copy), "html")
    assert 'href="https://water.example/report.pdf"' in html
    assert html.count("file://") == 1  # only the link to the original; relative links had no base


def test_url_target_is_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(*LOOPBACK_ENV)  # the demo site is on 127.0.0.1, which the SSRF guard refuses
    server = pytest.importorskip("babelwire.demo.server")
    with server.DemoSite() as site:
        article = site.articles[0]
        data = json.loads(extract_command(site.article_url(article), "json"))
    assert data["title"] == article.title
    assert data["url"] == site.article_url(article)
    assert data["language"] == "es"
