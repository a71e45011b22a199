"""The XSS corpus against the one sanitizer and the extract stage, without a browser (fast).

`test_xss_pipeline.py` runs the same corpus through the whole pipeline into Chromium; here each
vector meets `sanitize_inline` and `extract_document` directly, and the checker the XSS tests
rely on (`xss_corpus.unsafe_html`, `unsafe_xml_feed`, `unsafe_json_feed`) is checked itself.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime
from html import escape

import pytest
from lxml import html as lxml_html

from babelwire.domain import Page
from babelwire.extract import extract_document
from babelwire.extract.sanitize import sanitize_inline
from tests.web.xss_corpus import (
    BY_ID,
    STORIES,
    VECTORS,
    Vector,
    article_page,
    assign,
    bad_url,
    unsafe_html,
    unsafe_json_feed,
    unsafe_xml_feed,
)

BASE = "https://diario.example/noticias/hoy.html"
# Markup vectors the checker rightly leaves alone: "<scr<script>ipt>" opens an element named
# "scr<script" (inert), and a bare "javascript:" URL is text until something makes it an href.
INERT_MARKUP = {20, 125}


def _text(fragment: str) -> str:
    if not fragment:
        return ""
    return str(lxml_html.fragment_fromstring(fragment, create_parent="div").text_content())


def test_the_corpus_is_large_varied_and_traceable() -> None:
    assert len(VECTORS) >= 120
    assert [v.id for v in VECTORS] == list(range(1, len(VECTORS) + 1))
    assert len({v.html for v in VECTORS}) == len(VECTORS), "duplicate vectors"
    categories = Counter(v.category for v in VECTORS)
    required = {"script", "event", "url", "svg", "mathml", "css", "frame", "rawtext", "breakout", "comment",
                "broken", "encoded", "unicode", "polyglot"}  # fmt: skip
    assert required <= set(categories)
    assert all(categories[c] >= 3 for c in required)
    # Each vector names its own id, directly or encoded (base64, char codes).
    for vector in VECTORS:
        encoded = ("base64", "atob", "fromCharCode")
        assert str(vector.id) in vector.html or any(e in vector.html for e in encoded), vector
    # Dealt over the stories, every vector is placed exactly once.
    dealt = [v.id for group in assign() for v in group]
    assert sorted(dealt) == [v.id for v in VECTORS]


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: f"{v.id}-{v.category}")
def test_sanitize_inline_neutralizes_the_vector(vector: Vector) -> None:
    for base in (None, BASE):
        cleaned = sanitize_inline(vector.html, base)
        assert unsafe_html(cleaned) == [], f"{vector.html!r} -> {cleaned!r}"
        # Sanitizing twice changes nothing (the templates sanitize stored HTML again).
        assert sanitize_inline(cleaned, base) == cleaned
    # Written as text (escaped), a vector stays exactly that text: never dropped, never markup.
    quoted = sanitize_inline(escape(vector.html), BASE)
    assert unsafe_html(quoted) == []
    assert _text(quoted) == vector.html


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: f"{v.id}-{v.category}")
def test_the_checker_flags_markup_and_never_text(vector: Vector) -> None:
    """The checker must see the executable vectors (the browser control in test_xss_pipeline.py
    proves it for every vector that actually ran) and must not cry wolf over escaped text."""
    assert unsafe_html(escape(vector.html)) == []
    if vector.category in {"script", "event", "url", "svg", "css", "frame"} and vector.id not in INERT_MARKUP:
        assert unsafe_html(vector.html), f"checker misses {vector.html!r}"


def test_the_checker_knows_the_site_s_own_scripts() -> None:
    page = (
        '<!doctype html><html><head><script type="application/ld+json">{"headline": "a < b"}</script>'
        '<link rel="stylesheet" href="/static/style.css"><script src="/static/site.js"></script></head>'
        '<body><a href="https://x.example/?q=a onerror=b" rel="noopener">x</a></body></html>'
    )
    assert unsafe_html(page, own_scripts=True) == []
    assert unsafe_html(page)  # in foreign content, no script at all
    broken_out = page.replace('"a < b"', '"</script><script>__xss(1)</script>"')
    assert any("JSON-LD" in p for p in unsafe_html(broken_out, own_scripts=True))
    assert bad_url(" JaVa\tScRiPt:alert(1)") and bad_url("\x01data:text/html,x") and not bad_url("https://x")


def test_the_feed_checker() -> None:
    clean = (
        '<rss version="2.0"><channel><title>&lt;script&gt;</title><link>https://x.example/</link>'
        "<description>a &lt;b&gt; c</description><item><title>&lt;img src=x onerror=f()&gt;</title>"
        '<description>&lt;p&gt;hola &lt;a href="https://x.example/"&gt;x&lt;/a&gt;&lt;/p&gt;</description>'
        "</item></channel></rss>"
    )
    assert unsafe_xml_feed(clean.encode()) == []
    rss = clean.replace("&lt;p&gt;hola", "&lt;img src=x onerror=__xss(1)&gt;")
    assert unsafe_xml_feed(rss.encode())
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>t</title>'
        '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><script>__xss(1)</script></div>'
        '</content><link href="javascript:__xss(2)"/></entry></feed>'
    )
    problems = unsafe_xml_feed(atom.encode())
    assert any("script" in p for p in problems) and any("javascript:" in p for p in problems)
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "<script>", "home_page_url": "https://x/",
            "items": [{"id": "1", "content_html": "<p onclick=x>a</p>", "url": "javascript:x"}]}  # fmt: skip
    problems = unsafe_json_feed(json.dumps(feed).encode())
    assert any("onclick" in p for p in problems) and any("javascript:" in p for p in problems)
    assert not any("title" in p for p in problems)  # a JSON Feed title is text
    feed["items"] = [{"id": "1", "content_html": "<p>&lt;script&gt;</p>", "url": "https://x/1"}]
    assert unsafe_json_feed(json.dumps(feed).encode()) == []


def _page(url: str, markup: str) -> Page:
    return Page(url=url, final_url=url, status=200, content_type="text/html; charset=utf-8", html=markup)


@pytest.mark.parametrize("index", range(len(STORIES)), ids=[s.slug for s in STORIES])
def test_extract_document_neutralizes_a_hostile_article(index: int) -> None:
    """An article page with its share of the corpus pasted raw into every part of it."""
    story, vectors = STORIES[index], assign()[index]
    url = f"https://faro.example/noticias/{story.slug}.html"
    markup = article_page(story, vectors, published=datetime(2026, 3, 2, 9, tzinfo=UTC), image_url=url)
    document = extract_document(_page(url, markup))

    assert document.language == "es"
    assert story.title in document.title
    assert story.paragraphs[0][:60] in " ".join(b.text for b in document.blocks)
    for block in document.blocks:
        assert unsafe_html(block.html) == [], f"{block.kind}: {block.html!r}"
    assert document.lead_image is None or document.lead_image.startswith(("http://", "https://"))
    # The letters to the editor quote every vector: as text it all survives, invisible marks aside.
    text = " ".join(" ".join(b.text for b in document.blocks).split())
    for vector in vectors:
        quoted = " ".join(re.sub("[\u00ad\u200b]", "", vector.html).split())
        assert quoted in text, f"vector {vector.id} lost from the text"


def test_extract_document_on_the_whole_corpus_in_one_page() -> None:
    paragraphs = "\n".join(
        f"<p>El pleno aprobó la propuesta número {v.id} por mayoría. {v.html} Los vecinos celebraron.</p>"
        for v in VECTORS
        if not v.breaks_page
    )
    breaking = "\n".join(f"<p>Última hora: {v.html}</p>" for v in VECTORS if v.breaks_page)
    markup = (
        '<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Pleno municipal</title></head>'
        f"<body><article><h1>Pleno municipal</h1>{paragraphs}{breaking}</article></body></html>"
    )
    document = extract_document(_page("https://faro.example/pleno.html", markup))
    assert len(document.blocks) > len(VECTORS) // 2
    unsafe = {b.html: unsafe_html(b.html) for b in document.blocks if unsafe_html(b.html)}
    assert unsafe == {}
    hrefs = re.findall(r'href="([^"]*)"', " ".join(b.html for b in document.blocks))
    assert all(h.startswith(("http://", "https://", "mailto:")) for h in hrefs), hrefs
    assert BY_ID[1].html not in " ".join(b.html for b in document.blocks)


def test_a_control_character_reference_does_not_hide_the_article() -> None:
    """Vector 96 (`<a href="&#1;javascript:...">`) once made trafilatura discard the whole page."""
    body = "".join(f"<p>{text}</p>" for text in STORIES[0].paragraphs)
    markup = (
        f'<html lang="es"><body><article><h1>{STORIES[0].title}</h1>{body}'
        '<p>Más información en <a href="&#1;javascript:__xss(96)">la web</a> del ayuntamiento.</p>'
        "</article></body></html>"
    )
    document = extract_document(_page("https://faro.example/mercado.html", markup))
    assert STORIES[0].paragraphs[0][:40] in document.blocks[0].text
