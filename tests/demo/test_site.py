"""The demo articles, pages and feeds: realistic enough to exercise extraction, translation and polling."""

from __future__ import annotations

import calendar
import re
import time
from datetime import UTC, datetime

import feedparser
import httpx
import lxml.html
import pytest

from babelwire.demo import chrome
from babelwire.demo.server import DemoSite
from babelwire.demo.site import (
    ATOM_LIMIT,
    DemoArticle,
    _parse_article,
    format_spanish_date,
    load_articles,
    render_site,
)

BASE = "http://127.0.0.1:8999"
BODY_TAGS = {"p", "h2", "ul", "li", "blockquote", "figure", "img", "figcaption", "a", "em", "strong"}
MONTH = r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)"


@pytest.fixture(scope="module")
def articles() -> list[DemoArticle]:
    return load_articles()


def _body(article: DemoArticle) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(article.body_html, create_parent="div")


def _elements(root: lxml.html.HtmlElement, expression: str) -> list[lxml.html.HtmlElement]:
    found = root.xpath(expression)
    assert isinstance(found, list)
    return [node for node in found if isinstance(node, lxml.html.HtmlElement)]


def _strings(root: lxml.html.HtmlElement, expression: str) -> list[str]:
    found = root.xpath(expression)
    assert isinstance(found, list)
    return [str(value) for value in found]


def _parsed_time(value: time.struct_time) -> datetime:
    return datetime.fromtimestamp(calendar.timegm(value), UTC)


def _count(articles: list[DemoArticle], pattern: str) -> int:
    return sum(1 for article in articles if re.search(pattern, article.body_html))


def test_articles_load_newest_first_with_unique_slugs(articles: list[DemoArticle]) -> None:
    assert len(articles) >= 14
    assert len({article.slug for article in articles}) == len(articles)
    dates = [article.published for article in articles]
    assert dates == sorted(dates, reverse=True)
    assert all(article.published.tzinfo is not None for article in articles)
    sections = {article.section for article in articles}
    assert sections == {label for label, slug in chrome.NAV_SECTIONS if slug}
    assert len({article.author for article in articles}) >= 5


def test_each_article_has_two_to_eight_paragraphs_of_clean_markup(articles: list[DemoArticle]) -> None:
    for article in articles:
        body = _body(article)
        paragraphs = [child for child in body if child.tag == "p"]
        assert 2 <= len(paragraphs) <= 8, (article.slug, len(paragraphs))
        assert {element.tag for element in body.iter()} - {"div"} <= BODY_TAGS, article.slug
        assert article.summary and article.image_caption and article.image_alt


def test_articles_have_the_features_news_translation_must_handle(articles: list[DemoArticle]) -> None:
    assert _count(articles, r"«[^»]+»") >= 8
    assert _count(articles, r"“[^”]+”") >= 6
    assert _count(articles, r"\b\d{1,3}(?:\.\d{3})+\b") >= 10  # 175.000 personas
    assert _count(articles, r"\b\d+,\d+ %") >= 4  # 3,5 %
    assert _count(articles, r"\b\d+,\d+ millones de euros") >= 3
    assert _count(articles, rf"\b\d{{1,2}} de {MONTH} de \d{{4}}") >= 5
    assert _count(articles, r"a las \d{1,2}\.\d{2} horas") >= 8
    assert _count(articles, r"EE\. UU\.") >= 3
    assert _count(articles, r"\bSr\. [A-Z]") >= 3
    assert _count(articles, r"\bSra\. [A-Z]") >= 3
    assert _count(articles, r"\bDra\. [A-Z]") >= 3
    assert _count(articles, r"\bUE\b") >= 3
    assert _count(articles, r"\bONU\b") >= 1
    assert _count(articles, r"<a href=") >= 6
    assert _count(articles, r'<a href="/noticias/') >= 1  # a relative link to a sibling story
    assert _count(articles, r"<em>") >= 2
    assert _count(articles, r"<strong>") >= 2
    assert _count(articles, r"<h2>") >= 5
    assert _count(articles, r"<blockquote>") >= 2
    assert _count(articles, r"<ul>") >= 5
    assert _count(articles, r"<figcaption>") >= 2


def test_internal_links_and_images_in_bodies_resolve(articles: list[DemoArticle]) -> None:
    routes = render_site(BASE, articles)
    for article in articles:
        for target in _strings(_body(article), "//a/@href | //img/@src"):
            if target.startswith("/"):
                assert target in routes, (article.slug, target)


def test_loader_rejects_broken_data_files() -> None:
    good = {
        "slug": "prueba",
        "title": "Título",
        "author": "Autora",
        "published": "2026-03-01T10:00:00+01:00",
        "section": "Ciudad",
        "summary": "Resumen.",
        "body_html": "<p>Uno.</p><p>Dos.</p>",
    }

    def toml(data: dict[str, str]) -> str:
        return "\n".join(f"{key} = '''{value}'''" for key, value in data.items())

    assert _parse_article("01-prueba.toml", toml(good)).slug == "prueba"
    for broken in (
        {**good, "published": "2026-03-01T10:00:00"},
        {**good, "section": "Opinión"},
        {**good, "title": ""},
        {**good, "subtitle": "campo desconocido"},
    ):
        with pytest.raises(ValueError):
            _parse_article("01-prueba.toml", toml(broken))
    with pytest.raises(ValueError, match="slug"):
        _parse_article("01-otra-cosa.toml", toml(good))


def test_spanish_date_format() -> None:
    moment = datetime.fromisoformat("2026-03-02T09:15:00+01:00")
    assert format_spanish_date(moment) == "2 de marzo de 2026, 09.15 h"


def test_render_is_deterministic_so_etags_are_stable(articles: list[DemoArticle]) -> None:
    first = render_site(BASE, articles)
    second = render_site(BASE + "/", articles)
    assert first.keys() == second.keys()
    assert all(first[path].body == second[path].body for path in first)


def test_article_pages_have_real_newspaper_markup(articles: list[DemoArticle]) -> None:
    routes = render_site(BASE, articles)
    for article in articles:
        response = routes[article.path]
        assert response.content_type == "text/html; charset=utf-8"
        assert response.headers["Last-Modified"].endswith("GMT")
        tree = lxml.html.fromstring(response.body)
        assert tree.get("lang") == "es"
        assert _elements(tree, "//meta[@charset='utf-8']")

        def meta(attribute: str, name: str, tree: lxml.html.HtmlElement = tree) -> str:
            values = _strings(tree, f"//meta[@{attribute}='{name}']/@content")
            assert len(values) == 1, name
            return values[0]

        assert meta("property", "og:title") == article.title
        assert meta("property", "og:image") == BASE + article.image_path
        assert meta("property", "article:published_time") == article.published.isoformat()
        assert meta("name", "author") == article.author
        assert meta("name", "description") == article.summary
        assert _strings(tree, "//link[@rel='canonical']/@href") == [BASE + article.path]
        (h1,) = _elements(tree, "//article//h1")
        assert h1.text_content() == article.title
        (shown,) = _elements(tree, "//article//p[@class='byline']/time")
        assert shown.get("datetime") == article.published.isoformat()
        assert shown.text_content() == format_spanish_date(article.published)
        (lead,) = _elements(tree, "//article/figure[@class='lead-image']")
        assert _strings(lead, "img/@src") == [article.image_path]
        assert _elements(lead, "figcaption")[0].text_content() == article.image_caption
        (body,) = _elements(tree, "//div[@class='article-body']")
        assert _body(article).text_content() in body.text_content()
        assert routes[article.image_path].body.startswith(b"\x89PNG\r\n\x1a\n")


def test_home_page_lists_every_article(articles: list[DemoArticle]) -> None:
    home = lxml.html.fromstring(render_site(BASE, articles)["/"].body)
    teaser_links = _strings(home, "//article[@class='teaser']/h2/a/@href")
    assert teaser_links == [article.path for article in articles]


def test_rss_has_every_article_and_parses_cleanly(articles: list[DemoArticle]) -> None:
    parsed = feedparser.parse(render_site(BASE, articles)["/rss.xml"].body)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.feed.link == BASE + "/"
    assert parsed.feed.language == "es"
    assert len(parsed.entries) == len(articles)
    for entry, article in zip(parsed.entries, articles, strict=True):
        assert entry.title == article.title
        assert entry.link == entry.id == BASE + article.path
        assert entry.author == article.author
        assert entry.summary == article.summary
        assert _parsed_time(entry.published_parsed) == article.published


def test_atom_has_the_newest_articles_under_other_ids(articles: list[DemoArticle]) -> None:
    parsed = feedparser.parse(render_site(BASE, articles)["/atom.xml"].body)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert ATOM_LIMIT == 8
    assert [entry.link for entry in parsed.entries] == [BASE + a.path for a in articles[:ATOM_LIMIT]]
    for entry, article in zip(parsed.entries, articles[:ATOM_LIMIT], strict=True):
        assert entry.id.startswith("tag:") and entry.id != entry.link  # dedupe must use the URL
        assert entry.author == article.author
        assert entry.summary == article.summary
        assert _parsed_time(entry.published_parsed) == article.published


def test_feeds_served_over_http_parse_and_every_link_resolves(demo_site: DemoSite) -> None:
    links: set[str] = set()
    with httpx.Client(timeout=10) as client:
        for feed_url, expected_type in ((demo_site.rss_url, "rss"), (demo_site.atom_url, "atom")):
            response = client.get(feed_url)
            assert response.status_code == 200
            assert response.headers["content-type"].startswith(f"application/{expected_type}+xml")
            parsed = feedparser.parse(response.content, response_headers=dict(response.headers))
            assert parsed.bozo == 0
            links.update(entry.link for entry in parsed.entries)
        assert links == {demo_site.article_url(article) for article in demo_site.articles}
        for link in sorted(links):
            page = client.get(link)
            assert page.status_code == 200, link
            assert page.headers["content-type"] == "text/html; charset=utf-8"
            assert "<article" in page.text
