"""NewsArticle JSON-LD: the provenance is there as data, and no title can break out of the element."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import lxml.html
import pytest

from babelwire.config import Settings
from babelwire.domain import BlockKind, TranslatedBlock
from babelwire.store.articles import PublishedArticle
from babelwire.web.jsonld import news_article_jsonld

SETTINGS = Settings(site_title="Test Wire", base_url="http://wire.test/", target_languages=["en", "es"])
ARTICLE = PublishedArticle(
    id=7,
    language="en",
    source_language="es",
    title="The crew of Red Tip wins the regatta",
    original_title="La tripulación de Punta Roja gana la regata",
    original_url="https://diario.example/noticias/regata.html",
    source_name="El Diario del Puerto",
    source_url="https://diario.example/",
    author="Elena Casado",
    published=datetime(2026, 3, 20, 17, 20, tzinfo=UTC),
    fetched=datetime(2026, 3, 20, 18, 0, tzinfo=UTC),
    site_published=datetime(2026, 3, 20, 18, 5, tzinfo=UTC),
    engine="apertium",
    model_version="apertium-eng-spa 0.8.1-2",
    lead_image=None,
    blocks=(TranslatedBlock(BlockKind.PARAGRAPH, "The crew won.", "La tripulación ganó."),),
)
HOSTILE = [
    "</script><script>alert(1)</script>",
    "</SCRIPT ><img src=x onerror=alert(1)>",
    "<!-- <script> -->",
    "]]> &amp; &lt;/script&gt; \u2028\u2029 \x00\x1b end",
]


def parsed(article: PublishedArticle) -> dict[str, Any]:
    """The element as a browser's parser sees it: one <script>, whose text is the whole JSON."""
    element = str(news_article_jsonld(article, SETTINGS))
    assert element.startswith('<script type="application/ld+json">') and element.endswith("</script>")
    assert element.count("<") == 2 and element.count(">") == 2 and "&" not in element
    script = lxml.html.fragment_fromstring(element)
    assert script.tag == "script" and len(script) == 0
    data: dict[str, Any] = json.loads(script.text)
    return data


def test_news_article_carries_provenance() -> None:
    data = parsed(ARTICLE)
    url = "http://wire.test/en/articles/7"
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["url"] == url and data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["headline"] == ARTICLE.title and data["inLanguage"] == "en"
    # The original's date: what the page shows as "Published" and what the feeds say.
    assert data["datePublished"] == "2026-03-20T17:20:00Z"
    assert data["dateModified"] == "2026-03-20T18:05:00Z"
    assert data["author"] == {"@type": "Person", "name": "Elena Casado"}
    assert data["publisher"]["name"] == "Test Wire"
    logo = data["publisher"]["logo"]
    assert logo["@type"] == "ImageObject" and logo["url"] == "http://wire.test/static/logo.png"
    original = data["isBasedOn"]
    assert original["url"] == ARTICLE.original_url and original["inLanguage"] == "es"
    assert original["headline"] == ARTICLE.original_title
    assert original["publisher"]["name"] == "El Diario del Puerto"
    assert original["datePublished"] == "2026-03-20T17:20:00Z"
    assert original["name"] == ARTICLE.original_title
    assert original["author"] == {"@type": "Person", "name": "Elena Casado"}
    assert data["translationOfWork"] == {"@id": ARTICLE.original_url}
    assert data["translator"]["name"] == "apertium"
    assert data["translator"]["identifier"] == "apertium-eng-spa 0.8.1-2"


def test_source_language_edition_has_no_translator() -> None:
    data = parsed(replace(ARTICLE, language="es", engine="original", model_version="", title="La regata"))
    assert "translator" not in data and "translationOfWork" not in data
    assert data["isBasedOn"]["url"] == ARTICLE.original_url


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_text_cannot_leave_the_element(title: str) -> None:
    article = replace(ARTICLE, title=title, original_title=title, author=title, source_name=title)
    data = parsed(article)
    assert data["headline"] == data["isBasedOn"]["headline"] == data["author"]["name"] == title


def test_only_web_urls_are_links() -> None:
    data = parsed(replace(ARTICLE, original_url="javascript:alert(1)", lead_image="data:image/png,x"))
    assert "javascript:" not in json.dumps(data) and "image" not in data


def test_without_the_originals_date_it_is_the_sites_publication() -> None:
    data = parsed(replace(ARTICLE, published=None))
    assert data["datePublished"] == "2026-03-20T18:05:00Z" and "datePublished" not in data["isBasedOn"]


def test_the_logo_is_served_as_a_png() -> None:
    from pathlib import Path

    import babelwire.web

    logo = Path(babelwire.web.__file__).with_name("static") / "logo.png"
    assert logo.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
