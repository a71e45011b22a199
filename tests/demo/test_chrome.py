"""Each paper's chrome strings must be exactly its page chrome: present, complete, and never in a story.

Pipeline tests assert that no published article contains any chrome string; these tests make
sure that assertion can neither pass vacuously (a string the pages never show) nor miss chrome
(visible text around the article that the list forgets), nor fail on good output (a chrome
string that also occurs inside an article). Every test runs on both demo papers.
"""

from __future__ import annotations

import re

import lxml.html
import pytest

from babelwire.demo.chrome import CHROME_STRINGS
from babelwire.demo.papers import DIARIO, PAPERS, Paper
from babelwire.demo.site import DemoArticle, load_articles, render_site

BASE = "http://127.0.0.1:8999"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _drop(tree: lxml.html.HtmlElement, expression: str) -> None:
    for node in tree.xpath(expression):
        assert isinstance(node, lxml.html.HtmlElement)
        node.drop_tree()


def _visible_text(html: bytes) -> str:
    tree = lxml.html.fromstring(html)
    assert isinstance(tree, lxml.html.HtmlElement)
    _drop(tree, "//script | //style | //head")
    return _norm(tree.text_content())


def _text_fragments(root: lxml.html.HtmlElement) -> list[str]:
    """Each run of visible text (element text and tails), whitespace-normalised."""
    out = []
    for element in root.iter():
        for text in (element.text, element.tail):
            if text and text.strip():
                out.append(_norm(text))
    return out


@pytest.fixture(scope="module", params=PAPERS, ids=lambda paper: paper.key)
def paper(request: pytest.FixtureRequest) -> Paper:
    chosen: Paper = request.param
    return chosen


@pytest.fixture(scope="module")
def articles(paper: Paper) -> list[DemoArticle]:
    return load_articles(paper)


@pytest.fixture(scope="module")
def pages(articles: list[DemoArticle], paper: Paper) -> dict[str, bytes]:
    routes = render_site(BASE, articles, paper=paper)
    return {
        path: response.body
        for path, response in routes.items()
        if response.content_type.startswith("text/html")
    }


def test_chrome_strings_are_unique_and_non_trivial(paper: Paper) -> None:
    strings = paper.chrome.strings
    assert len(strings) == len(set(strings))
    assert len(strings) >= 40
    for text in strings:
        assert text == _norm(text) and len(text) >= 3, text
    assert DIARIO.chrome.strings == CHROME_STRINGS  # the name older tests import
    for expected in (
        "Saltar al contenido",
        "Noticias relacionadas",
        "Lo más leído",
        "Compartir en Facebook",
        "Compartir en X",
        "Enviar por WhatsApp",
        "Aviso legal",
        "Política de privacidad",
    ):
        assert expected in CHROME_STRINGS


def test_every_chrome_string_appears_on_a_rendered_page(
    pages: dict[str, bytes], articles: list[DemoArticle], paper: Paper
) -> None:
    article_texts = [_visible_text(pages[article.path]) for article in articles]
    home_text = _visible_text(pages["/"])
    for text in paper.chrome.strings:
        if text in paper.chrome.home_only:
            assert text in home_text, text
        else:
            assert any(text in page for page in article_texts), text


def test_every_article_page_carries_the_fixed_chrome(
    pages: dict[str, bytes], articles: list[DemoArticle], paper: Paper
) -> None:
    chrome = paper.chrome
    varying = {part for comment in chrome.comments for part in comment} | chrome.home_only
    fixed = [text for text in chrome.strings if text not in varying]
    fixed = [text for text in fixed if text not in {label for label, _ in chrome.nav_sections}]
    for article in articles:
        text = _visible_text(pages[article.path])
        missing = [chrome_text for chrome_text in fixed if chrome_text not in text]
        assert not missing, (article.slug, missing)
        shown = [comment for comment in chrome.comments if comment.text in text]
        assert 2 <= len(shown) <= 3


def test_chrome_strings_cover_all_visible_text_around_the_article(
    pages: dict[str, bytes], articles: list[DemoArticle], paper: Paper
) -> None:
    """Remove the story itself; what is left must be listed chrome, the masthead or story titles."""
    allowed = set(paper.chrome.strings) | {paper.name} | {article.title for article in articles}
    for article in articles:
        tree = lxml.html.fromstring(pages[article.path])
        _drop(
            tree,
            "//head | //script | //style | //article//h1 | //p[@class='standfirst'] | //p[@class='byline']"
            " | //figure[@class='lead-image'] | //div[@class='article-body']",
        )
        leftovers = [text for text in _text_fragments(tree) if text not in allowed]
        assert leftovers == [], (article.slug, leftovers)


def test_home_page_chrome_is_covered_too(
    pages: dict[str, bytes], articles: list[DemoArticle], paper: Paper
) -> None:
    allowed = set(paper.chrome.strings) | {paper.name} | {article.title for article in articles}
    tree = lxml.html.fromstring(pages["/"])
    _drop(tree, "//head | //script | //style | //p[@class='teaser-summary'] | //p[@class='teaser-meta']")
    assert [text for text in _text_fragments(tree) if text not in allowed] == []


def test_no_chrome_string_occurs_inside_any_article(articles: list[DemoArticle], paper: Paper) -> None:
    for article in articles:
        body = lxml.html.fragment_fromstring(article.body_html, create_parent="div").text_content()
        story = _norm(" ".join((article.title, article.summary, article.image_caption, article.author, body)))
        clashes = [text for text in paper.chrome.strings if text in story]
        assert clashes == [], (article.slug, clashes)
