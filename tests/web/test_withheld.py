"""Sentences the automated editor withheld, and its repairs, on every published surface.

A withheld sentence is published in the original language, marked (span with the source's
`lang`, a visible mark, a notice); the bilingual view and the API show what the editor tried.
Foreign text stays foreign: a hostile original sentence is sanitized wherever it appears.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from babelwire.config import Settings
from babelwire.domain import (
    Block,
    BlockKind,
    Document,
    FeedItem,
    Repair,
    RepairAttempt,
    SentencePair,
    Source,
    TranslatedBlock,
    Translation,
)
from babelwire.store import queries
from babelwire.store.db import Store
from babelwire.store.models import TranslationRow
from babelwire.web import i18n, rendering
from babelwire.web.app import create_app
from tests.web.xss_corpus import VECTORS, unsafe_html, unsafe_json_feed, unsafe_xml_feed

NUMBERS = "numbers (error): 175,000 is missing"
WITHHELD = "El puerto movió 175.000 contenedores en marzo."
HOSTILE = [v for v in VECTORS if not v.breaks_page][:40]
HOSTILE_SOURCE = "Frase <em>hostil</em> " + "".join(v.html for v in HOSTILE) + "."
HOSTILE_FINDING = 'names (error): "Villamar" <img src=x onerror=__xss(0)> is missing'


def translation_for(document_key: str) -> Translation:
    """Title (segment 0), heading (1), a withheld sentence (2), a repaired one (3), a hostile one (4)."""
    return Translation(
        document_key=document_key,
        source_lang="es",
        target_lang="en",
        engine="apertium",
        model_version="apertium-eng-spa test",
        title="Port traffic",
        blocks=(
            TranslatedBlock(BlockKind.HEADING, "Traffic", "Tráfico", (SentencePair("Tráfico", "Traffic"),)),
            TranslatedBlock(
                BlockKind.PARAGRAPH,
                f"{WITHHELD} Cranes were renewed.",
                f"{WITHHELD} Se renovaron las grúas.",
                (
                    SentencePair(WITHHELD, WITHHELD, NUMBERS),
                    SentencePair("Se renovaron las grúas.", "Cranes were renewed."),
                ),
            ),
            TranslatedBlock(
                BlockKind.PARAGRAPH,
                HOSTILE_SOURCE,
                HOSTILE_SOURCE,
                (SentencePair(HOSTILE_SOURCE, HOSTILE_SOURCE, HOSTILE_FINDING),),
            ),
        ),
        repairs=(
            Repair(
                segment=2,
                source_html=WITHHELD,
                first_html="The port moved 17,000 containers in March.",
                first_findings=(NUMBERS,),
                attempts=(
                    RepairAttempt("pivot", "The harbour moved 17 000 boxes in March.", (NUMBERS,)),
                    RepairAttempt("unprotected", "The port moved <img src=x onerror=__xss(0)>.", (NUMBERS,)),
                ),
                kept="original",
            ),
            Repair(
                segment=3,
                source_html="Se renovaron las grúas.",
                first_html="Renewed themselves the cranes.",
                first_findings=("fluency (warning): reads as a word-for-word translation",),
                attempts=(RepairAttempt("split", "Cranes were renewed.", ()),),
                kept="split",
            ),
        ),
    )


def publish(session: Session, source_url: str, n: int, *, excerpt_only: bool = False) -> int:
    source = queries.upsert_source(session, Source(f"Diario {n}", source_url, language="es"))
    source.excerpt_only = excerpt_only
    url = f"{source_url.rsplit('/', 1)[0]}/noticia-{n}"
    published = datetime(2025, 3, n, 9, tzinfo=UTC)
    [item] = queries.add_items(
        session, source, (FeedItem(url=url, guid=url, title="Tráfico", published=published),)
    )
    document = Document(
        url=url,
        title="Tráfico del puerto",
        language="es",
        published=published,
        blocks=(
            Block(BlockKind.HEADING, "Tráfico", "Tráfico"),
            Block(BlockKind.PARAGRAPH, f"{WITHHELD} Se renovaron las grúas.", WITHHELD),
            Block(BlockKind.PARAGRAPH, HOSTILE_SOURCE, "Frase hostil."),
        ),
    )
    item.document_key = queries.save_document(session, document).key
    translation = translation_for(document.key)
    key = queries.save_translation(session, translation).key
    findings = [{"segment": 2, "check": "numbers", "severity": "error", "message": "175,000 is missing"}]
    queries.save_verdict(session, key, "publish", 0.7, json.dumps(findings), repaired=translation)
    queries.settle_item(session, item, ["publish"])
    return item.id


@dataclass
class Site:
    client: TestClient
    article: int
    excerpt: int


@pytest.fixture
def site(store: Store, tmp_path: Path) -> Site:
    with store.session() as session, session.begin():
        article = publish(session, "https://diario.example/rss", 10)
        excerpt = publish(session, "https://gaceta.example/rss", 5, excerpt_only=True)
    settings = Settings(
        data_dir=tmp_path, database_url=store.url, target_languages=["en", "es"], base_url="http://wire.test"
    )
    return Site(TestClient(create_app(settings, store)), article, excerpt)


def withheld_spans(html: str) -> list[tuple[str, str, str]]:
    """(lang, title, inner HTML) of each marked sentence."""
    return re.findall(r'<span class="withheld" lang="([^"]*)" title="([^"]*)">(.*?)</span>', html, re.DOTALL)


def test_article_page_shows_a_withheld_sentence_in_the_original_marked(site: Site) -> None:
    html = site.client.get(f"/en/articles/{site.article}").text
    spans = withheld_spans(html)
    assert len(spans) == 2
    lang, title, inner = spans[0]
    assert (lang, inner) == ("es", WITHHELD)
    assert title == f"Translation withheld by the automated editor: {NUMBERS}"
    assert f'{WITHHELD}</span> <small class="withheld-mark">[original]</small> Cranes were renewed.' in html
    assert (
        "2 sentences are shown in the original language: the automated editor withheld their translation."
        in html
    )
    assert f'href="/en/articles/{site.article}/bilingual">See what it found' in html


def test_withheld_marks_are_in_the_readers_language(site: Site, store: Store) -> None:
    """The mark and the notice follow the page's language; the sentence keeps its own."""
    with store.session() as session, session.begin():
        for row in session.query(TranslationRow).all():
            spanish = replace(translation_for(row.document_key), target_lang="es")
            key = queries.save_translation(session, spanish).key
            queries.save_verdict(session, key, "publish", 0.7, "[]", repaired=spanish)
    html = site.client.get(f"/es/articles/{site.article}").text
    assert withheld_spans(html)[0] == (
        "es",
        f"Traducción retenida por el editor automático: {NUMBERS}",
        WITHHELD,
    )
    assert "[original]</small>" in html
    assert "2 frases se muestran en el idioma original: el editor automático retuvo su traducción." in html
    bilingual = site.client.get(f"/es/articles/{site.article}/bilingual").text
    assert "Traducción retenida por el editor automático</strong>" in bilingual
    assert (
        "Primera traducción" in bilingual
        and "la frase original (ninguna traducción pasó la revisión)" in bilingual
    )


def test_hostile_withheld_sentence_is_sanitized_on_the_page(site: Site) -> None:
    html = site.client.get(f"/en/articles/{site.article}").text
    assert unsafe_html(html, own_scripts=True) == []
    lang, title, inner = withheld_spans(html)[1]
    assert lang == "es" and inner.startswith("Frase <em>hostil</em> ") and "<script" not in inner.lower()
    assert "<img src=x" not in title and "&lt;img" in title  # the finding is text in an attribute


def test_excerpt_and_cards_use_the_same_marked_body(site: Site) -> None:
    page = site.client.get(f"/en/articles/{site.excerpt}").text
    assert [(lang, inner) for lang, _, inner in withheld_spans(page)] == [("es", WITHHELD)]
    assert "1 sentence is shown in the original language" in page
    home = site.client.get("/en/").text
    assert sum(1 for _, _, inner in withheld_spans(home) if inner == WITHHELD) == 2


def test_bilingual_view_shows_withheld_sentences_and_repairs(site: Site) -> None:
    html = site.client.get(f"/en/articles/{site.article}/bilingual").text
    assert unsafe_html(html, own_scripts=True) == []
    row = re.search(r'<tr id="s2" class="([^"]*)">(.*?)</tr>', html, re.DOTALL)
    assert row is not None and "withheld-row" in row.group(1)
    cells = row.group(2)
    assert f'<span class="withheld" lang="es">{WITHHELD}</span>' in cells
    assert 'Translation withheld by the automated editor</strong>: <span lang="en">' + NUMBERS in cells
    assert "The port moved 17,000 containers in March." in cells  # the first, flagged translation
    assert "The harbour moved 17 000 boxes in March." in cells and ">pivot</span>" in cells
    assert ">unprotected</span>" in cells and "onerror" not in cells
    assert cells.count(NUMBERS) >= 3  # the reason, and what the editor found in the first and in each try
    assert "the original sentence (no translation passed)" in cells
    repaired = re.search(r'<tr id="s3" class="([^"]*)">(.*?)</tr>', html, re.DOTALL)
    assert repaired is not None and "withheld-row" not in repaired.group(1)
    kept = repaired.group(2)
    assert "Renewed themselves the cranes." in kept and "fluency (warning)" in kept
    assert re.search(r'<li class="attempt kept"><span class="how" lang="en">split</span>', kept)
    assert 'Kept: <span lang="en">split</span>' in kept
    assert "2 sentences shown in the original language" in html


def test_api_returns_withheld_and_repairs(site: Site) -> None:
    detail = site.client.get(f"/api/v1/articles/{site.article}").json()
    sentences = [s for b in detail["blocks"] for s in b["sentences"]]
    assert [s["withheld"] for s in sentences] == [None, NUMBERS, None, HOSTILE_FINDING]
    assert sentences[1]["target_html"] == WITHHELD
    assert withheld_spans(detail["blocks"][1]["html"])[0][2] == WITHHELD
    assert all(unsafe_html(b["html"]) == [] for b in detail["blocks"])
    repairs = detail["repairs"]
    assert [(r["segment"], r["kept"]) for r in repairs] == [(2, "original"), (3, "split")]
    assert repairs[0]["first_findings"] == [NUMBERS]
    assert [a["how"] for a in repairs[0]["attempts"]] == ["pivot", "unprotected"]
    assert "onerror" not in repairs[0]["attempts"][1]["target_html"]
    assert repairs[1]["attempts"] == [{"how": "split", "target_html": "Cranes were renewed.", "findings": []}]
    excerpt = site.client.get(f"/api/v1/articles/{site.excerpt}").json()
    assert [r["segment"] for r in excerpt["repairs"]] == [2, 3]  # the first paragraph's sentences only
    assert withheld_spans(excerpt["excerpt_html"])[0][2] == WITHHELD


def test_openapi_documents_withheld_and_repairs(site: Site) -> None:
    schemas = site.client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "withheld" in schemas["SentenceOut"]["properties"]
    assert "repairs" in schemas["ArticleDetail"]["properties"]
    assert set(schemas["RepairOut"]["properties"]) == {
        "segment", "source_html", "first_html", "first_findings", "attempts", "kept"
    }  # fmt: skip
    assert set(schemas["RepairAttemptOut"]["properties"]) == {"how", "target_html", "findings"}


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_feeds_show_the_marked_sentence(site: Site, fmt: str) -> None:
    response = site.client.get(f"/en/feed.{fmt}")
    assert response.status_code == 200
    body = response.content
    assert (unsafe_json_feed(body) if fmt == "json" else unsafe_xml_feed(body)) == []
    if fmt == "json":
        html = "".join(item["content_html"] for item in json.loads(body)["items"])
    else:
        html = unescape(body.decode())  # the entry's HTML, escaped once in the XML
    assert (
        f'<span class="withheld" lang="es" title="Translation withheld by the automated editor: {NUMBERS}">'
        in html
    )
    assert f'{WITHHELD}</span> <small class="withheld-mark">[original]</small>' in html
    assert f'<a href="http://wire.test/en/articles/{site.article}/bilingual">' in html


def test_every_withheld_string_is_in_the_catalogs() -> None:
    for message in (rendering.WITHHELD_TITLE, rendering.WITHHELD_MARK):
        assert all(message in i18n.catalog(language) for language in ("en", "es", "ca"))
