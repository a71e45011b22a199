"""Reader pages through HTTP: bilingual view, review verdict, sources, pagination, language, catalogs."""

from __future__ import annotations

import importlib.util
import json
import re
import string
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from babelwire.config import Settings
from babelwire.demo.server import DemoSite
from babelwire.store.articles import get_article
from babelwire.store.db import Store
from babelwire.store.models import ItemRow, SourceRow, TranslationRow
from babelwire.web import pages
from babelwire.web.app import create_app
from babelwire.web.rendering import inline_html

WEB = Path(pages.__file__).parent
MESSAGE = re.compile(r"""_n?\(\s*(["'])(.+?)\1(?:\s*,\s*(["'])(.+?)\3)?""")


@pytest.fixture(scope="module")
def client(site_settings: Settings, published_store: Store) -> TestClient:
    return TestClient(create_app(site_settings, published_store))


def ids(html: str, lang: str) -> list[int]:
    return [int(n) for n in re.findall(rf'<h2><a href="/{lang}/articles/(\d+)"', html)]


def assert_csp_clean(html: str) -> None:
    """Nothing the CSP would block: no style attributes, no inline script (JSON-LD data aside)."""
    assert not re.search(r"\sstyle\s*=", html) and "<style" not in html
    assert all('type="application/ld+json"' in tag for tag in re.findall(r"<script[^>]*>", html))


def test_bilingual_view_pairs_every_sentence(client: TestClient, published_store: Store) -> None:
    item_id = ids(client.get("/en/").text, "en")[0]
    with published_store.session() as session:
        article = get_article(session, "en", item_id)
    assert article is not None
    html = client.get(f"/en/articles/{item_id}/bilingual").text
    assert_csp_clean(html)
    pairs = [pair for block in article.blocks for pair in block.sentences]
    assert len(pairs) > 5
    rows = re.findall(r"<tr id=\"s(\d+)\"", html)
    assert rows == [str(n) for n in range(len(pairs) + 1)]  # title is 0, then sentences across blocks
    for pair in pairs:
        assert str(inline_html(pair.source_html)) in html and str(inline_html(pair.target_html)) in html
    assert html.count('<td class="source" lang="es"') == len(pairs) + 1
    assert '<table class="bilingual-table">' in html and "Original (Español)" in html


def test_flagged_sentences_show_their_findings(client: TestClient, published_store: Store) -> None:
    item_id = ids(client.get("/en/").text, "en")[-1]
    findings = [
        {"segment": 2, "check": "numbers", "severity": "critical", "message": "12,7 <b>lost</b>"},
        {"segment": 0, "check": "untranslated", "severity": "warning", "message": "title left as is"},
        {"segment": -1, "check": "length", "severity": "info", "message": "a bit short overall"},
    ]
    with published_store.session() as session, session.begin():
        item = session.get_one(ItemRow, item_id)
        row = session.scalars(
            select(TranslationRow)
            .where(TranslationRow.document_key == item.document_key, TranslationRow.target_lang == "en")
            .order_by(TranslationRow.created_at.desc())
        ).first()
        assert row is not None
        session.add(
            TranslationRow(
                key="f" * 64,
                document_key=row.document_key,
                source_lang="es",
                target_lang="en",
                engine=row.engine,
                model_version="flagged",
                title=row.title,
                blocks_json=row.blocks_json,
                review_status="publish",
                review_score=0.61,
                findings_json=json.dumps(findings),
                created_at=datetime.now(UTC) + timedelta(days=1),
            )
        )
    html = client.get(f"/en/articles/{item_id}/bilingual").text
    flagged = re.findall(r'<tr id="s(\d+)" class="[^"]*flagged', html)
    assert flagged == ["0", "2"]
    second = html[html.index('<tr id="s2"') : html.index('<tr id="s3"')]
    assert "numbers" in second and "critical" in second and "12,7 &lt;b&gt;lost&lt;/b&gt;" in second
    general = html[html.index('class="general-findings"') : html.index("<table")]
    assert "a bit short overall" in general
    page = client.get(f"/en/articles/{item_id}").text
    assert "Reviewed automatically: published (score 0.61)" in page and "2 sentences flagged" in page
    assert f'href="/en/articles/{item_id}/bilingual"' in page


def test_article_page_verdict_and_language_switcher(client: TestClient) -> None:
    item_id = ids(client.get("/en/").text, "en")[0]
    html = client.get(f"/en/articles/{item_id}").text
    assert_csp_clean(html)
    assert re.search(r"Reviewed automatically: published \(score \d\.\d\d\)", html)
    assert '<link rel="alternate" type="application/rss+xml"' in html
    if importlib.util.find_spec("babelwire.web.jsonld"):  # lands separately
        assert '<script type="application/ld+json">' in html
    assert f'<a href="/es/articles/{item_id}" hreflang="es" lang="es">Español</a>' in html  # same article
    spanish = client.get(f"/es/articles/{item_id}").text
    assert f'<a href="/en/articles/{item_id}" hreflang="en" lang="en">English</a>' in spanish
    assert "/bilingual" not in spanish  # the original has no translation to compare
    assert client.get(f"/es/articles/{item_id}/bilingual").status_code == 404


def test_spanish_pages_speak_spanish(client: TestClient) -> None:
    html = client.get("/es/").text
    assert '<html lang="es">' in html
    for text in (
        "Últimas noticias",
        "Saltar al contenido",
        "Buscar",
        "Fuentes",
        "traducción automática de una noticia",
    ):
        assert text in html
    assert "Latest news" not in html and "Skip to the content" not in html
    item_id = ids(html, "es")[0]
    article = client.get(f"/es/articles/{item_id}").text
    assert "Fuente" in article and "Obtenido" in article and "Machine translation" not in article
    missing = client.get("/es/articles/999999")
    assert missing.status_code == 404 and "No existe ese artículo en este idioma." in missing.text
    english = client.get("/en/").text
    assert "Latest news" in english and "Últimas noticias" not in english


def test_source_pages(client: TestClient, demo_site: DemoSite) -> None:
    listing = client.get("/en/sources").text
    assert_csp_clean(listing)
    (source_id,) = re.findall(r'<h2><a href="/en/sources/(\d+)">El Diario del Puerto</a></h2>', listing)
    assert f"{len(demo_site.articles)} articles" in listing
    page = client.get(f"/en/sources/{source_id}")
    assert page.status_code == 200 and "<h1" in page.text
    assert len(ids(page.text, "en")) == len(demo_site.articles)
    assert '<link rel="alternate" type="application/rss+xml"' in page.text
    assert f'href="/es/sources/{source_id}"' in page.text  # the switcher stays on the source
    assert client.get("/en/sources/99999").status_code == 404
    assert f"{len(demo_site.articles)} artículos" in client.get("/es/sources").text


def link(html: str, rel: str) -> str | None:
    """The href of the page's `rel` link in its pagination (None: there is none)."""
    found = re.findall(rf'<a rel="{rel}" href="([^"]+)"', html)
    return unescape(found[0]) if found else None


def follow(client: TestClient, url: str | None, rel: str) -> list[tuple[str, str]]:
    """(url, html) of each page from `url` on, by its `rel` links."""
    walked = []
    while url is not None:
        response = client.get(url)
        assert response.status_code == 200, url
        walked.append((url, response.text))
        url = link(response.text, rel)
    return walked


def test_pagination_follows_cursors_both_ways(
    uncached: TestClient, demo_site: DemoSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 5)
    page_count = -(-len(demo_site.articles) // 5)
    older = follow(uncached, "/en/", "next")
    assert len(older) == page_count > 2
    for number, (url, html) in enumerate(older, 1):
        assert f"Page {number} of {page_count}" in html
        assert ('<link rel="next"' in html) == (number < page_count)
        assert f'<link rel="canonical" href="http://wire.test{url}">' in html.replace("&amp;", "&")
    assert all(re.fullmatch(r"/en/\?before=\d+-\d+", url) for url, _ in older[1:])
    seen = [item for _, html in older for item in ids(html, "en")]
    assert len(seen) == len(set(seen)) == len(demo_site.articles)
    newer = follow(uncached, older[-1][0], "prev")  # from the last page back to the first
    assert [ids(html, "en") for _, html in reversed(newer)] == [ids(html, "en") for _, html in older]
    assert link(older[1][1], "prev") == "/en/" and newer[-1][0] == "/en/"
    assert re.fullmatch(r"/en/\?after=\d+-\d+", newer[1][0])
    for number in range(1, page_count + 1):  # numbered pages (old links) show the same articles
        assert ids(uncached.get(f"/en/?page={number}").text, "en") == seen[(number - 1) * 5 : number * 5]
    assert uncached.get(f"/en/?page={page_count + 1}").status_code == 404
    assert link(uncached.get(f"/en/?page={page_count - 1}").text, "next") == older[-1][0]  # links: cursors


def test_pagination_of_a_source(uncached: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 5)
    source_id = re.findall(r'href="/en/sources/(\d+)"', uncached.get("/en/sources").text)[0]
    walked = follow(uncached, f"/en/sources/{source_id}", "next")
    assert len(walked) > 1 and all(url.startswith(f"/en/sources/{source_id}") for url, _ in walked)
    assert [ids(html, "en") for _, html in walked[1:2]] == [
        ids(uncached.get(f"/en/sources/{source_id}?page=2").text, "en")
    ]


@pytest.mark.parametrize(
    "query",
    [
        "before=yesterday",
        "before=1-",
        "after=12",
        "before=1.5-2",
        f"before={'9' * 20}-1",
        "after=-1-1",
    ],
)
def test_unreadable_page_cursors_are_400(uncached: TestClient, query: str) -> None:
    response = uncached.get(f"/en/?{query}")
    assert response.status_code == 400 and "text/html" in response.headers["content-type"]


def test_a_cursor_past_the_oldest_article_is_404(
    uncached: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 100)
    home = uncached.get("/en/").text
    assert link(home, "next") is None
    assert uncached.get("/en/?before=1-1").status_code == 404  # 1970: nothing is older
    assert uncached.get("/en/?after=99999999999999999-1").status_code == 404  # nothing is newer
    assert uncached.get(f"/en/?after={'9' * 19}-{'9' * 19}").status_code == 404  # clamped: past all
    assert uncached.get("/en/?page=2&before=1-1").status_code == 404


def test_excerpt_only_source_shows_the_first_paragraph(client: TestClient, published_store: Store) -> None:
    item_id = ids(client.get("/en/").text, "en")[0]
    with published_store.session() as session:
        article = get_article(session, "en", item_id)
    assert article is not None
    paragraphs = [block for block in article.blocks if block.kind == "paragraph"]
    _set_excerpt_only(published_store, True)
    try:
        html = client.get(f"/en/articles/{item_id}").text
        bilingual = client.get(f"/en/articles/{item_id}/bilingual").text
    finally:
        _set_excerpt_only(published_store, False)
    assert str(inline_html(paragraphs[0].html)) in html and str(inline_html(paragraphs[1].html)) not in html
    assert "The source allows an excerpt only." in html and 'class="original-link"' in html
    shown = re.findall(r'<tr id="s(\d+)"', bilingual)
    assert len(shown) == 1 + len(paragraphs[0].sentences)
    assert str(inline_html(paragraphs[1].sentences[0].target_html)) not in bilingual


def _set_excerpt_only(store: Store, value: bool) -> None:
    with store.session() as session, session.begin():
        for source in session.scalars(select(SourceRow)):
            source.excerpt_only = value


@pytest.mark.parametrize(
    "path",
    ["/en/articles/999999/bilingual", "/fr/sources", "/fr/search?q=x", "/en/?page=999", "/en/sources/0"],
)
def test_missing_pages_are_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]


def test_catalogs_cover_every_template_string() -> None:
    """Every `_()` in the templates is in en.json; every other catalog (es, ca...) translates exactly
    the same messages, each with the same `{placeholders}` and none left empty."""
    used = set()
    for template in (WEB / "templates").glob("*.html"):
        for match in MESSAGE.finditer(template.read_text()):
            used.update(m for m in (match.group(2), match.group(4)) if m)
    en = json.loads((WEB / "locales" / "en.json").read_text())
    assert used - set(en) == set()
    catalogs = {path.stem: path for path in (WEB / "locales").glob("*.json")}
    assert {"en", "es", "ca"} <= set(catalogs)
    fields = string.Formatter()
    for language, path in catalogs.items():
        translated_catalog = json.loads(path.read_text(encoding="utf-8"))
        assert set(translated_catalog) == set(en), language
        for message, translated in translated_catalog.items():
            expected = {name for _, name, _, _ in fields.parse(message) if name}
            assert translated.strip(), (language, message)
            found = {name for _, name, _, _ in fields.parse(translated) if name}
            assert found == expected, (language, message)


def head_versions(html: str) -> tuple[str | None, dict[str, str]]:
    """The page's canonical URL and its hreflang alternates, as the head carries them."""
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html)
    return canonical and canonical[1], dict(
        re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
    )


def test_article_head_matches_the_sitemap(client: TestClient, site_settings: Settings) -> None:
    """Absolute hreflang alternates, self and x-default included, and a canonical: as the sitemap says."""
    item_id = ids(client.get("/en/").text, "en")[0]
    sitemap = client.get("/sitemap.xml").text
    for lang in site_settings.target_languages:
        canonical, versions = head_versions(client.get(f"/{lang}/articles/{item_id}").text)
        base = site_settings.base_url.rstrip("/")
        assert canonical == f"{base}/{lang}/articles/{item_id}"
        assert versions[lang] == canonical and "x-default" in versions and len(versions) > 2
        url = re.search(rf"<url>\s*<loc>{re.escape(canonical)}</loc>.*?</url>", sitemap, re.S)
        assert url is not None
        assert dict(re.findall(r'hreflang="([^"]+)" href="([^"]+)"', url[0])) == versions


def test_machine_dates_are_whole_utc_seconds(client: TestClient) -> None:
    item_id = ids(client.get("/en/").text, "en")[0]
    for path in ("/en/", f"/en/articles/{item_id}", "/en/sources"):
        stamps = re.findall(r'<time datetime="([^"]+)"', client.get(path).text)
        assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", s) for s in stamps), stamps
