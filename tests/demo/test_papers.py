"""Two demo papers from one site builder: served apart, each in its own language, both extractable.

La Gaseta de Vilamar (Catalan) must be a second real newspaper, not El Diario del Puerto with
other words: its own port, feeds, chrome, URL layout and dates, and one page in Spanish (the
agency copy it republishes as the agency sent it) that says so in its markup.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime

import feedparser
import httpx
import lxml.html
import pytest

from babelwire.demo.dates import format_catalan_date
from babelwire.demo.papers import DIARIO, GASETA, LOCALES, PAPERS, Paper, paper_named
from babelwire.demo.server import DemoSite
from babelwire.demo.site import ATOM_LIMIT, DemoArticle, _parse_article, load_articles, render_site
from tests.demo.pages import BASE, Extracted, extracted

BODY_TAGS = {"p", "h2", "ul", "li", "blockquote", "figure", "img", "figcaption", "a", "em", "strong"}


@pytest.fixture(scope="module", params=PAPERS, ids=lambda paper: paper.key)
def paper(request: pytest.FixtureRequest) -> Paper:
    chosen: Paper = request.param
    return chosen


@pytest.fixture(scope="module")
def sites() -> Iterator[list[DemoSite]]:
    with DemoSite() as diario, DemoSite(paper=GASETA) as gaseta:
        yield [diario, gaseta]


def _body(article: DemoArticle) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(article.body_html, create_parent="div")


def _strings(root: lxml.html.HtmlElement, expression: str) -> list[str]:
    found = root.xpath(expression)
    assert isinstance(found, list)
    return [str(value) for value in found]


def _words(article: DemoArticle) -> int:
    return len(_body(article).text_content().split())


def test_each_paper_loads_its_own_articles(paper: Paper) -> None:
    articles = load_articles(paper)
    assert len(articles) >= 8
    assert len({article.slug for article in articles}) == len(articles)
    dates = [article.published for article in articles]
    assert dates == sorted(dates, reverse=True)
    sections = {label for label, slug in paper.chrome.nav_sections if slug}
    assert {article.section for article in articles} == sections
    assert all(article.path.startswith(f"/{paper.article_dir}/") for article in articles)
    assert all(article.image_path.startswith(f"/{paper.image_dir}/") for article in articles)


def test_the_second_paper_writes_full_reports_and_runs_one_agency_copy() -> None:
    articles = load_articles(GASETA)
    own = [article for article in articles if not article.language]
    (agency,) = [article for article in articles if article.language]
    assert agency.language == "es" and agency.author == "Agencias"
    assert len(own) >= 7 and len({article.author for article in own}) >= 5
    for article in own:
        assert 250 <= _words(article) <= 500, (article.slug, _words(article))
        body = _body(article)
        assert 3 <= len([child for child in body if child.tag == "p"]) <= 8, article.slug
        assert {element.tag for element in body.iter()} - {"div"} <= BODY_TAGS, article.slug
        assert article.summary and article.image_caption and article.image_alt
    # A second report has its own headline, even on the agency copy.
    assert not {article.title for article in articles} & {article.title for article in load_articles(DIARIO)}


def test_internal_links_and_images_in_bodies_resolve(paper: Paper) -> None:
    articles = load_articles(paper)
    routes = render_site(BASE, articles, paper=paper)
    internal = 0
    for article in articles:
        for target in _strings(_body(article), "//a/@href | //img/@src"):
            if target.startswith("/"):
                internal += 1
                assert target in routes, (article.slug, target)
                assert target.startswith((f"/{paper.article_dir}/", f"/{paper.image_dir}/")), target
    assert internal >= 2


def test_pages_declare_the_language_they_are_written_in(paper: Paper) -> None:
    articles = load_articles(paper)
    routes = render_site(BASE, articles, paper=paper)
    home = lxml.html.fromstring(routes["/"].body)
    assert home.get("lang") == paper.language
    assert _strings(home, "//article[@class='teaser']/h2/a/@href") == [article.path for article in articles]
    for article in articles:
        language = article.language or paper.language
        tree = lxml.html.fromstring(routes[article.path].body)
        assert tree.get("lang") == language, article.slug
        assert _strings(tree, "//meta[@property='og:locale']/@content") == [LOCALES[language]]
        (json_ld,) = _strings(tree, "//script[@type='application/ld+json']/text()")
        data = json.loads(json_ld)
        assert data["inLanguage"] == language and data["publisher"]["name"] == paper.name
        (shown,) = tree.xpath("//article//p[@class='byline']/time")
        assert shown.text_content() == paper.format_date(article.published)
        kicker = _strings(tree, "//p[@class='kicker']/a/@href")
        assert kicker[0].startswith(f"/{paper.section_dir}/")


def test_catalan_dates_elide_before_a_vowel() -> None:
    def shown(iso: str) -> str:
        return format_catalan_date(datetime.fromisoformat(iso))

    assert shown("2026-03-02T09:15:00+01:00") == "2 de març de 2026, 09.15 h"
    assert shown("2026-04-05T18:00:00+02:00") == "5 d'abril de 2026, 18.00 h"
    assert shown("2026-10-12T07:05:00+02:00").startswith("12 d'octubre")


def test_both_papers_are_served_apart_and_their_feeds_parse(sites: list[DemoSite]) -> None:
    assert len({site.port for site in sites}) == 2
    with httpx.Client(timeout=10) as client:
        for site in sites:
            rss = client.get(site.rss_url)
            atom = client.get(site.atom_url)
            assert rss.headers["content-type"].startswith("application/rss+xml")
            assert atom.headers["content-type"].startswith("application/atom+xml")
            parsed_rss = feedparser.parse(rss.content)
            parsed_atom = feedparser.parse(atom.content)
            for parsed in (parsed_rss, parsed_atom):
                assert parsed.bozo == 0, parsed.get("bozo_exception")
                assert parsed.feed.title == site.paper.name
                assert parsed.feed.language == site.paper.language
            links = [site.article_url(article) for article in site.articles]
            assert [entry.link for entry in parsed_rss.entries] == links
            assert len(parsed_atom.entries) == ATOM_LIMIT
            tag = f"tag:{site.paper.tag_authority},"
            assert all(entry.id.startswith(tag) for entry in parsed_atom.entries)
            for entry in parsed_rss.entries:
                page = client.get(entry.link)
                assert page.status_code == 200, entry.link
                (h1,) = lxml.html.fromstring(page.content).xpath("//article//h1")
                assert h1.text_content() == entry.title
            other = next(other for other in sites if other is not site)
            assert client.get(site.url(other.articles[0].path)).status_code == 404  # two sites, not one


def test_every_article_of_both_papers_extracts_with_its_title(paper: Paper) -> None:
    pages = extracted(paper)
    assert pages
    for page in pages:
        article, document = page.article, page.document
        assert document.title == article.title, article.slug
        assert document.language == (article.language or paper.language), article.slug
        assert document.byline == article.author
        assert document.published == article.published
        body = " ".join(document.body_text.split())
        for element in _body(article).iter("p", "h2", "li", "blockquote", "figcaption"):
            assert " ".join(element.text_content().split()) in body, (article.slug, element.text_content())
        leaked = [text for text in paper.chrome.strings if text in page.text]
        assert leaked == [], (article.slug, leaked)


def test_extracted_keys_name_paper_and_article() -> None:
    first: Extracted = extracted(GASETA)[0]
    assert first.key == f"gaseta/{first.article.slug}" and first.text.startswith(first.article.title + "\n")


def test_loader_refuses_a_language_the_page_needs_not_declare() -> None:
    good = {
        "slug": "prova",
        "title": "Títol",
        "author": "Redacció",
        "published": "2026-03-01T10:00:00+01:00",
        "section": "Comarca",
        "summary": "Resum.",
        "body_html": "<p>U.</p><p>Dos.</p>",
    }

    def toml(data: dict[str, str]) -> str:
        return "\n".join(f"{key} = '''{value}'''" for key, value in data.items())

    parsed = _parse_article("01-prova.toml", toml({**good, "language": "es"}), GASETA)
    assert parsed.language == "es" and parsed.path == "/noticies/prova.html"
    for language in ("ca", "xx"):
        with pytest.raises(ValueError, match="language"):
            _parse_article("01-prova.toml", toml({**good, "language": language}), GASETA)
    with pytest.raises(ValueError, match="navigation"):
        _parse_article("01-prova.toml", toml(good), DIARIO)  # "Comarca" is La Gaseta's section


def test_papers_are_named_by_key() -> None:
    assert paper_named("gaseta") is GASETA and paper_named("diario") is DIARIO
    with pytest.raises(ValueError, match="diario, gaseta"):
        paper_named("el-pais")


def test_module_entry_point_serves_the_paper_asked_for() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "babelwire.demo.server", "--paper", "gaseta"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        expected = "Demo site:  La Gaseta de Vilamar (Catalan) http://127.0.0.1:"
        assert first_line.startswith(expected), first_line
        # Read up to the count line here: communicate() reads the pipe, not what readline buffered.
        rest = [process.stdout.readline() for _ in range(3)]
        assert rest[-1] == f"{len(load_articles(GASETA))} articles. Press Ctrl-C to stop.\n", rest
        home = httpx.get(first_line.split()[-1], timeout=5)
        assert home.status_code == 200 and 'lang="ca"' in home.text
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0 and "Stopped." in out and err == ""
