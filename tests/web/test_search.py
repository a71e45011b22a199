"""Search through the site: the right language edition, pagination, hostile queries, escaping."""

from __future__ import annotations

import re
import unicodedata

import pytest
from fastapi.testclient import TestClient

from babelwire.config import Settings
from babelwire.store.articles import latest_articles
from babelwire.store.db import Store
from babelwire.web import pages
from babelwire.web.app import create_app
from tests.web.test_pages import follow

HOSTILE = ['"', "*", "NEAR(port ship)", "port OR", "title:port", "'; DROP TABLE items; --", "^", "((", "-"]


@pytest.fixture(scope="module")
def client(site_settings: Settings, published_store: Store) -> TestClient:
    return TestClient(create_app(site_settings, published_store))


def tokens(text: str) -> set[str]:
    """Words as the index sees them, near enough: lower case, no accents, markup and URLs included."""
    plain = unicodedata.normalize("NFKD", text.lower())
    return set(re.findall(r"\w+", "".join(c for c in plain if not unicodedata.combining(c))))


@pytest.fixture(scope="module")
def words(published_store: Store) -> dict[str, dict[int, set[str]]]:
    """Each edition's words, per article, from what the site publishes."""
    found: dict[str, dict[int, set[str]]] = {}
    with published_store.session() as session:
        for lang in ("en", "es"):
            for article in latest_articles(session, lang, limit=100):
                text = " ".join([article.title, *(block.html for block in article.blocks)])
                found.setdefault(lang, {})[article.id] = tokens(text)
    return found


def result_ids(html: str, lang: str) -> set[int]:
    return {int(n) for n in re.findall(rf'<h2><a href="/{lang}/articles/(\d+)"', html)}


def only_in(words: dict[str, dict[int, set[str]]], lang: str, other: str) -> tuple[str, set[int], set[int]]:
    """A word of the `lang` edition that shares no stem with the `other` edition; the articles that
    have it, and those that may match it once stemmed (same first five letters)."""
    elsewhere = {word[:5] for article in words[other].values() for word in article}
    for article_words in words[lang].values():
        for word in sorted(
            w for w in article_words if len(w) >= 7 and w.isalpha() and w[:5] not in elsewhere
        ):
            has = {i for i, ws in words[lang].items() if word in ws}
            near = {i for i, ws in words[lang].items() if any(w.startswith(word[:5]) for w in ws)}
            return word, has, near
    raise AssertionError(f"no word only in {lang}")


def test_search_finds_words_of_that_language_edition(
    client: TestClient, words: dict[str, dict[int, set[str]]]
) -> None:
    english, has_english, near_english = only_in(words, "en", "es")
    spanish, has_spanish, near_spanish = only_in(words, "es", "en")
    page = client.get("/en/search", params={"q": english})
    assert page.status_code == 200 and has_english <= result_ids(page.text, "en") <= near_english
    assert "found for “" + english + "”" in page.text
    assert result_ids(client.get("/es/search", params={"q": english}).text, "es") == set()
    assert (
        has_spanish <= result_ids(client.get("/es/search", params={"q": spanish}).text, "es") <= near_spanish
    )
    assert result_ids(client.get("/en/search", params={"q": spanish}).text, "en") == set()
    spanish_page = client.get("/es/search", params={"q": spanish}).text
    assert "encontrado" in spanish_page and '<html lang="es">' in spanish_page


def test_search_pages(uncached: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    first = uncached.get("/en/search", params={"q": "the"}).text
    total = int(re.findall(r"(\d+) articles found", first)[0])
    assert total > 4 and len(result_ids(first, "en")) == 2
    walked = follow(uncached, "/en/search?q=the", "next")  # by the rel=next links: cursors
    assert len(walked) == -(-total // 2)
    assert all(re.fullmatch(r"/en/search\?q=the&before=\d+-\d+", url) for url, _ in walked[1:])
    seen = [item for _, html in walked for item in result_ids(html, "en")]
    assert len(seen) == len(set(seen)) == total
    back = follow(uncached, walked[-1][0], "prev")
    assert [result_ids(html, "en") for _, html in reversed(back)] == [result_ids(h, "en") for _, h in walked]
    assert back[-1][0] == "/en/search?q=the"
    numbered = set()  # numbered pages, as old links have them, still answer
    for page in range(1, len(walked) + 1):
        numbered.update(result_ids(uncached.get("/en/search", params={"q": "the", "page": page}).text, "en"))
    assert numbered == set(seen)
    assert uncached.get("/en/search", params={"q": "the", "page": len(walked) + 1}).status_code == 404


def test_hostile_and_empty_queries_are_harmless(client: TestClient) -> None:
    for query in HOSTILE:
        response = client.get("/en/search", params={"q": query})
        assert response.status_code == 200, query
    empty = client.get("/en/search").text
    assert "found for" not in empty and '<input id="q" type="search" name="q" value=""' in empty
    echoed = client.get("/en/search", params={"q": '<script>alert(1)</script>"'}).text
    assert "<script>alert" not in echoed and "&lt;script&gt;alert(1)&lt;/script&gt;&#34;" in echoed
    assert client.get("/en/search", params={"q": "x" * 5000}).status_code == 200
