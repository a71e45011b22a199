"""The demo news sites: each paper's own-written articles rendered as a realistic newspaper.

The pages carry everything a real site has around an article (navigation, cookie banner,
share bar, comments, ...) so that `babelwire demo` and the pipeline tests exercise
extraction for real, and the feeds overlap (every article in RSS, the newest in Atom) so
that polling must deduplicate by URL. One builder serves every paper (papers.py): the paper
gives the chrome, language, URL folders and date format; `DIARIO` is the default everywhere.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from importlib import resources

import jinja2
from feedgen.feed import FeedGenerator

from babelwire.demo.dates import format_spanish_date as format_spanish_date
from babelwire.demo.papers import DIARIO, LOCALES, Paper
from babelwire.demo.png import RGB, encode_png
from babelwire.demo.server import Response

HTML = "text/html; charset=utf-8"
RSS_PATH = "/rss.xml"
ATOM_PATH = "/atom.xml"
ATOM_LIMIT = 8
"""How many of the newest articles the Atom feed carries (RSS carries all)."""

_REQUIRED = ("slug", "title", "author", "published", "section", "summary", "body_html")
_OPTIONAL = ("image_alt", "image_caption", "language")


@dataclass(frozen=True)
class DemoArticle:
    """One article of the demo site, as written in its data file."""

    slug: str
    title: str
    author: str
    published: datetime
    section: str
    summary: str
    body_html: str
    image_alt: str = ""
    image_caption: str = ""
    language: str = ""  # set when it is not its paper's (an agency copy run as the agency sent it)
    article_dir: str = DIARIO.article_dir  # its paper's URL folders
    image_dir: str = DIARIO.image_dir

    @property
    def path(self) -> str:
        return f"/{self.article_dir}/{self.slug}.html"

    @property
    def image_path(self) -> str:
        return f"/{self.image_dir}/{self.slug}.png"


def load_articles(paper: Paper = DIARIO) -> list[DemoArticle]:
    """Read a paper's bundled article files, newest first (the order a front page shows)."""
    folder = resources.files("babelwire.demo").joinpath(paper.articles_folder)
    articles = [
        _parse_article(entry.name, entry.read_text(encoding="utf-8"), paper)
        for entry in sorted(folder.iterdir(), key=lambda item: item.name)
        if entry.name.endswith(".toml")
    ]
    slugs = [article.slug for article in articles]
    if len(set(slugs)) != len(slugs):
        raise ValueError(f"duplicate article slugs in the demo paper {paper.name}")
    return sorted(articles, key=lambda article: article.published, reverse=True)


def _parse_article(name: str, text: str, paper: Paper = DIARIO) -> DemoArticle:
    """Validate one data file so a typo fails loudly at load time, not as a broken page."""
    data = tomllib.loads(text)
    missing = [key for key in _REQUIRED if not isinstance(data.get(key), str) or not data[key].strip()]
    unknown = set(data) - set(_REQUIRED) - set(_OPTIONAL)
    if missing or unknown:
        raise ValueError(f"{name}: missing {missing}, unknown {sorted(unknown)}")
    if not name.removesuffix(".toml").endswith(data["slug"]):
        raise ValueError(f"{name}: file name does not end with slug {data['slug']!r}")
    sections = dict(paper.chrome.nav_sections)
    if not sections.get(data["section"]):
        raise ValueError(f"{name}: section {data['section']!r} is not in the navigation bar")
    language = str(data.get("language", ""))
    if language and (language == paper.language or language not in LOCALES):
        others = ", ".join(code for code in LOCALES if code != paper.language)
        raise ValueError(f"{name}: language {language!r}: set it only for an article in {others}")
    published = datetime.fromisoformat(data["published"])
    if published.tzinfo is None:
        raise ValueError(f"{name}: published date needs a timezone")
    return DemoArticle(
        slug=data["slug"],
        title=data["title"],
        author=data["author"],
        published=published,
        section=data["section"],
        summary=data["summary"],
        body_html=data["body_html"].strip(),
        image_alt=str(data.get("image_alt", "")),
        image_caption=str(data.get("image_caption", "")),
        language=language,
        article_dir=paper.article_dir,
        image_dir=paper.image_dir,
    )


def render_site(
    base_url: str, articles: Sequence[DemoArticle] | None = None, *, paper: Paper = DIARIO
) -> dict[str, Response]:
    """Every URL path of a paper's site and what the server answers there.

    Pages and feeds use absolute URLs built from `base_url`, which is why the site can only
    be rendered once the server knows its port.
    """
    base_url = base_url.rstrip("/")
    items = list(articles) if articles is not None else load_articles(paper)
    items.sort(key=lambda article: article.published, reverse=True)
    newest = _http_date(items[0].published) if items else None
    env = _environment(paper)
    chrome = paper.chrome
    common = {
        "base_url": base_url,
        "paper": paper,
        "chrome": chrome,
        "site_name": chrome.site_name,
        "nav": chrome.nav_sections,
        "section_slugs": dict(chrome.nav_sections),
        "share_labels": chrome.share_texts,
        "most_read": _most_read(items),
    }
    home = env.get_template("home.html").render(
        articles=items, page_language=paper.language, locale=LOCALES[paper.language], **common
    )
    routes: dict[str, Response] = {"/": _page(home, newest)}
    article_template = env.get_template("article.html")
    body_image = re.compile(rf'<img[^>]*\ssrc="(/{re.escape(paper.image_dir)}/[^"]+\.png)"')
    for index, article in enumerate(items):
        language = article.language or paper.language
        html = article_template.render(
            article=article,
            url=base_url + article.path,
            related=_related(article, items),
            comments=[chrome.comments[(index + step) % len(chrome.comments)] for step in (0, 1, 3)],
            json_ld=_json_ld(article, base_url, paper),
            page_language=language,
            locale=LOCALES[language],
            **common,
        )
        routes[article.path] = _page(html, _http_date(article.published))
        routes[article.image_path] = Response(content_type="image/png", body=_png(article.slug))
        for src in body_image.findall(article.body_html):
            routes[src] = Response(content_type="image/png", body=_png(src))
    routes[RSS_PATH] = Response(
        content_type="application/rss+xml; charset=utf-8",
        body=_rss(items, base_url, paper),
        headers=_last_modified(newest),
    )
    routes[ATOM_PATH] = Response(
        content_type="application/atom+xml; charset=utf-8",
        body=_atom(items[:ATOM_LIMIT], base_url, paper),
        headers=_last_modified(newest),
    )
    return routes


def _environment(paper: Paper) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("babelwire.demo", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["local_date"] = paper.format_date
    return env


def _page(html: str, last_modified: str | None) -> Response:
    return Response(content_type=HTML, body=html.encode("utf-8"), headers=_last_modified(last_modified))


def _last_modified(value: str | None) -> dict[str, str]:
    return {"Last-Modified": value} if value else {}


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _most_read(items: Sequence[DemoArticle]) -> list[DemoArticle]:
    """A stable, newspaper-looking ranking: not the newest ones, not in date order."""
    ranked = sorted(items, key=lambda article: hashlib.sha256(article.slug.encode()).hexdigest())
    return ranked[:5]


def _related(article: DemoArticle, items: Sequence[DemoArticle]) -> list[DemoArticle]:
    """Same-section stories first, then the newest others, like most sites' related box."""
    others = [item for item in items if item.slug != article.slug]
    same = [item for item in others if item.section == article.section]
    rest = [item for item in others if item.section != article.section]
    return (same + rest)[:3]


def _json_ld(article: DemoArticle, base_url: str, paper: Paper) -> dict[str, object]:
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "datePublished": article.published.isoformat(),
        "author": {"@type": "Person", "name": article.author},
        "image": [base_url + article.image_path],
        "articleSection": article.section,
        "inLanguage": article.language or paper.language,
        "mainEntityOfPage": base_url + article.path,
        "publisher": {"@type": "NewsMediaOrganization", "name": paper.name},
    }


def _rss(items: Sequence[DemoArticle], base_url: str, paper: Paper) -> bytes:
    feed = FeedGenerator()
    feed.load_extension("dc")
    feed.title(paper.name)
    feed.link(href=base_url + RSS_PATH, rel="self")
    feed.link(href=base_url + "/", rel="alternate")  # feedgen uses the last link as RSS <link>
    feed.description(paper.chrome.tagline)
    feed.language(paper.language)
    if items:
        feed.lastBuildDate(items[0].published)
    for article in items:
        url = base_url + article.path
        entry = feed.add_entry(order="append")
        entry.title(article.title)
        entry.link(href=url)
        entry.guid(url, permalink=True)
        entry.pubDate(article.published)
        entry.description(article.summary)
        entry.category(term=article.section)
        entry.dc.dc_creator(article.author)
    body: bytes = feed.rss_str(pretty=True)
    return body


def _atom(items: Sequence[DemoArticle], base_url: str, paper: Paper) -> bytes:
    """Atom ids are tag URIs, not URLs, so a poller cannot dedupe RSS and Atom by id."""
    feed = FeedGenerator()
    feed.id(base_url + "/")
    feed.title(paper.name)
    feed.subtitle(paper.chrome.tagline)
    feed.link(href=base_url + "/", rel="alternate")
    feed.link(href=base_url + ATOM_PATH, rel="self")
    feed.language(paper.language)
    if items:
        feed.updated(items[0].published)
    for article in items:
        entry = feed.add_entry(order="append")
        entry.id(f"tag:{paper.tag_authority},2026:{article.slug}")
        entry.title(article.title)
        entry.link(href=base_url + article.path, rel="alternate")
        entry.author(name=article.author)
        entry.published(article.published)
        entry.updated(article.published)
        entry.summary(article.summary)
        entry.category(term=article.section)
    body: bytes = feed.atom_str(pretty=True)
    return body


def _png(seed: str, width: int = 640, height: int = 360) -> bytes:
    """A small solid-colour PNG, so image URLs resolve without shipping binary files."""
    red, green, blue = hashlib.sha256(seed.encode()).digest()[:3]
    row = b"\x00" + bytes((red, green, blue)) * width
    return encode_png(width, height, row * height, RGB)
