"""extract_document on hand-written pages, hostile pages, the demo site and the shared dev set."""

from __future__ import annotations

import gzip
import json
import pickle
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from babelwire.domain import Block, BlockKind, Document, Page
from babelwire.extract import ExtractionError, extract_document
from babelwire.extract.document import drop_repeated_title
from babelwire.extract.metadata import parse_datetime
from babelwire.fetch.encoding import decode_html

TESTDATA = Path(__file__).parent / "testdata"
DEV_SET = Path(__file__).parents[2] / ".." / "shared" / "data" / "extraction-dev"
COURIER = "https://courier.example/news/2025/harbour-ferry-returns"


def page(html: str, url: str = "https://news.example/story.html") -> Page:
    return Page(url=url, final_url=url, status=200, content_type="text/html; charset=utf-8", html=html)


def fixture(name: str, url: str = "https://news.example/story.html") -> Document:
    return extract_document(page((TESTDATA / name).read_text(encoding="utf-8"), url))


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def courier() -> Document:
    return fixture("article_en.html", COURIER)


def test_metadata(courier: Document) -> None:
    assert courier.url == COURIER
    assert courier.title == "Harbour ferry returns after two-year repair"
    assert courier.byline == "Priya Raman"
    assert courier.site_name == "The Bayside Courier"
    assert courier.description == "The Mary Ellen ferry is back in service across the harbour."
    assert courier.lead_image == "https://courier.example/media/ferry-lead.jpg"
    assert courier.language == "en"


def test_published_is_timezone_aware(courier: Document) -> None:
    assert courier.published == datetime(2025, 6, 14, 8, 45, tzinfo=timezone(timedelta(hours=1)))
    assert courier.published is not None and courier.published.utcoffset() == timedelta(hours=1)


def test_blocks_in_reading_order(courier: Document) -> None:
    assert [(b.kind, b.text[:30]) for b in courier.blocks] == [
        (BlockKind.CAPTION, "The Mary Ellen moored at the n"),
        (BlockKind.PARAGRAPH, "The Mary Ellen, the harbour's "),
        (BlockKind.PARAGRAPH, "About 140 commuters made the e"),
        (BlockKind.HEADING, "A crossing older than the brid"),
        (BlockKind.PARAGRAPH, "The service has run since 1911"),
        (BlockKind.QUOTE, '"People kept asking me when th'),
        (BlockKind.PARAGRAPH, "The timetable for the summer s"),
        (BlockKind.LIST_ITEM, "Departures every twenty minute"),
        (BlockKind.LIST_ITEM, "Half-hourly crossings on Satur"),
        (BlockKind.PARAGRAPH, "Tickets cost £2.10 for adults "),
    ]


def test_title_is_not_repeated_as_a_heading(courier: Document) -> None:
    assert all(b.text != courier.title for b in courier.blocks)


def test_inline_markup_and_absolute_links(courier: Document) -> None:
    first = courier.blocks[1]
    assert (
        '<a href="https://courier.example/news/2023/ferry-hull-damage" rel="noopener noreferrer nofollow">'
        in (first.html)
    )
    assert "<strong>£1.8 million</strong>" in first.html
    assert "<em>cheering</em>" in courier.blocks[2].html
    assert first.text.endswith("that cost the council £1.8 million.")


CHROME = [
    "Skip to content",
    "We use cookies",
    "Accept all cookies",
    "Local news",
    "Business desk",
    "Share on Facebook",
    "Email this story",
    "Related stories",
    "cycle lanes",
    "morning briefing",
    "Subscribe now",
    "comments",
    "BoatFan77",
    "I missed this boat",
    "Most read",
    "kayakers",
    "All rights reserved",
    "Privacy policy",
    "By Priya Raman",
]


def test_no_page_chrome(courier: Document) -> None:
    everything = courier.title + "\n" + "\n".join(b.text + b.html for b in courier.blocks)
    leaked = [text for text in CHROME if text in everything]
    assert leaked == []


def test_wrong_declared_language_is_corrected() -> None:
    document = fixture("article_es_declared_ca.html")
    assert document.language == "es"
    assert document.published == datetime(2025, 1, 20, 10, 0, tzinfo=UTC)
    assert "Avís legal" not in document.body_text and "Inici" not in document.body_text


def test_hostile_page_comes_out_clean() -> None:
    document = fixture("hostile.html", "https://water.example/news/report")
    assert document.title == "Council publishes annual water quality report"
    html = "".join(b.html for b in document.blocks)
    text = document.body_text
    for bad in (
        "<script",
        "alert",
        "javascript",
        "data:",
        "onclick",
        "onerror",
        "<svg",
        "<iframe",
        "style=",
        "<img",
    ):
        assert bad not in html.lower(), bad
    assert "alert" not in text and "steal=" not in text
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith("https://") for h in hrefs)
    assert "https://water.example/taps" in hrefs  # relative link resolved against the page
    assert "2,400 samples" in text and "less scale in kettles" in text
    assert "unclosed emphasis" in text


def test_final_url_is_the_base_for_links() -> None:
    html = (TESTDATA / "hostile.html").read_text(encoding="utf-8")
    moved = Page(
        url="http://short.example/x",
        final_url="https://water.example/news/report",
        status=200,
        content_type="text/html",
        html=html,
    )
    document = extract_document(moved)
    assert document.url == "https://water.example/news/report"
    assert "https://water.example/taps" in "".join(b.html for b in document.blocks)


def test_title_from_first_heading_when_page_has_none() -> None:
    body = "<p>The lighthouse keeper retired on Sunday after forty-one years at the headland station.</p>" * 3
    document = extract_document(
        page(f"<html><body><article><h1>Keeper retires</h1>{body}</article></body></html>")
    )
    assert document.title == "Keeper retires"
    assert document.blocks[0].kind is BlockKind.PARAGRAPH


def test_date_only_becomes_midnight_utc_and_no_date_is_none() -> None:
    body = (
        "<article><p>"
        + "The new pier opened to the public this morning after a long delay. " * 4
        + "</p></article>"
    )
    meta = '<meta property="article:published_time" content="2024-11-02">'
    dated = f"<html><head>{meta}</head><body>{body}</body></html>"
    assert extract_document(page(dated)).published == datetime(2024, 11, 2, tzinfo=UTC)
    assert extract_document(page(f"<html><body>{body}</body></html>")).published is None


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("", "no_content"),
        ("   \n  ", "no_content"),
        ((TESTDATA / "no_article.html").read_text(encoding="utf-8"), "no_content"),
        ("<html><body><nav><a href='/'>Home</a></nav></body></html>", "no_content"),
    ],
)
def test_pages_without_an_article_raise(html: str, reason: str) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_document(page(html))
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    "html",
    [
        bytes(range(256)).decode("latin-1") * 20,
        "\x00\x01\x02 binary \xff\xfe garbage \x00" * 100,
        "<" * 5000,
        "<html><body>" + "<div>" * 3000 + "<p>deep</p>" + "</div>" * 3000 + "</body></html>",
        "<html><body>" + "<b><i>" * 2000 + "text" + "</body></html>",
        "<html><body><table>" + "<tr><td>cell</td>" * 2000 + "</table></body></html>",
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    ],
    ids=["bytes", "nul-garbage", "angle-brackets", "deep-divs", "unclosed-inline", "huge-table", "xxe"],
)
def test_broken_and_hostile_html_never_crashes(html: str) -> None:
    try:
        document = extract_document(page(html))
    except ExtractionError as exc:
        assert exc.reason in {"no_content", "not_html", "extractor_failed"}
    else:
        assert "root:" not in document.body_text  # no file contents pulled in through entities


def test_drop_repeated_title() -> None:
    heading = Block(BlockKind.HEADING, "Storm hits coast", "Storm hits coast")
    para = Block(BlockKind.PARAGRAPH, "Text.", "Text.")
    assert drop_repeated_title([heading, para], "Storm hits coast | Daily Planet") == [para]
    assert drop_repeated_title([heading, para], "STORM HITS COAST!") == [para]
    assert drop_repeated_title([para, heading], "Something else") == [para, heading]
    later = [para, para, para, heading]
    assert drop_repeated_title(later, "Storm hits coast") == later


def test_demo_site_articles_extract_cleanly() -> None:
    site = pytest.importorskip("babelwire.demo.site")
    chrome = pytest.importorskip("babelwire.demo.chrome")
    lxml_html = pytest.importorskip("lxml.html")
    base = "http://127.0.0.1:8999"
    articles = site.load_articles()
    routes = site.render_site(base, articles)
    assert articles
    for article in articles:
        html = routes[article.path].body.decode("utf-8")
        document = extract_document(page(html, base + article.path))
        assert document.title == article.title
        assert document.language == "es"
        assert document.byline == article.author
        assert document.published == article.published
        body = squash(document.body_text)
        source = lxml_html.fragment_fromstring(article.body_html, create_parent="div")
        for element in source.iter("p", "h2", "h3", "li", "blockquote", "figcaption"):
            assert squash(element.text_content()) in body, (article.slug, element.text_content())
        everything = document.title + "\n" + document.body_text
        leaked = [text for text in chrome.CHROME_STRINGS if text in everything]
        assert leaked == [], article.slug


@pytest.mark.skipif(not (DEV_SET / "evaldata.json").exists(), reason="shared extraction dev set not present")
def test_shared_dev_set_sample() -> None:
    evaldata = json.loads((DEV_SET / "evaldata.json").read_text(encoding="utf-8"))
    found = total = 0
    for url, entry in list(evaldata.items())[:12]:
        html = decode_html(gzip.decompress((DEV_SET / "html" / f"{entry['file']}.gz").read_bytes()))
        try:
            text = squash(extract_document(page(html, url)).body_text)
        except ExtractionError:
            text = ""
        total += len(entry["with"])
        found += sum(squash(snippet) in text for snippet in entry["with"])
    assert found / total >= 0.8


def test_extraction_error_survives_a_process_boundary() -> None:
    error = pickle.loads(pickle.dumps(ExtractionError("no_content", "nothing here")))
    assert (error.reason, error.message) == ("no_content", "nothing here")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-01T09:15:00+01:00", datetime(2025, 3, 1, 9, 15, tzinfo=timezone(timedelta(hours=1)))),
        ("2025-03-01T09:15:00Z", datetime(2025, 3, 1, 9, 15, tzinfo=UTC)),
        ("2025-03-01 09:15", datetime(2025, 3, 1, 9, 15, tzinfo=UTC)),
        ("Sat, 01 Mar 2025 09:15:00 GMT", datetime(2025, 3, 1, 9, 15, tzinfo=UTC)),
        ("1850-01-01", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_datetime(value: str | None, expected: datetime | None) -> None:
    assert parse_datetime(value) == expected
