"""The demo news site: own-written Spanish articles rendered as a realistic newspaper.

The pages carry everything a real site has around an article (navigation, cookie banner,
share bar, comments, ...) so that `babelwire demo` and the pipeline tests exercise
extraction for real, and the feeds overlap (every article in RSS, the newest in Atom) so
that polling must deduplicate by URL.
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

from babelwire.demo import chrome
from babelwire.demo.png import RGB, encode_png
from babelwire.demo.server import Response

HTML = "text/html; charset=utf-8"
RSS_PATH = "/rss.xml"
ATOM_PATH = "/atom.xml"
ATOM_LIMIT = 8
"""How many of the newest articles the Atom feed carries (RSS carries all)."""

_MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip
_REQUIRED = ("slug", "title", "author", "published", "section", "summary", "body_html")
_OPTIONAL = ("image_alt", "image_caption")
_BODY_IMAGE = re.compile(r'<img[^>]*\ssrc="(/imagenes/[^"]+\.png)"')


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

    @property
    def path(self) -> str:
        return f"/noticias/{self.slug}.html"

    @property
    def image_path(self) -> str:
        return f"/imagenes/{self.slug}.png"


def load_articles() -> list[DemoArticle]:
    """Read the bundled article files, newest first (the order a front page shows)."""
    folder = resources.files("babelwire.demo").joinpath("articles")
    articles = [
        _parse_article(entry.name, entry.read_text(encoding="utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda item: item.name)
        if entry.name.endswith(".toml")
    ]
    slugs = [article.slug for article in articles]
    if len(set(slugs)) != len(slugs):
        raise ValueError("duplicate article slugs in the demo site")
    return sorted(articles, key=lambda article: article.published, reverse=True)


def _parse_article(name: str, text: str) -> DemoArticle:
    """Validate one data file so a typo fails loudly at load time, not as a broken page."""
    data = tomllib.loads(text)
    missing = [key for key in _REQUIRED if not isinstance(data.get(key), str) or not data[key].strip()]
    unknown = set(data) - set(_REQUIRED) - set(_OPTIONAL)
    if missing or unknown:
        raise ValueError(f"{name}: missing {missing}, unknown {sorted(unknown)}")
    if not name.removesuffix(".toml").endswith(data["slug"]):
        raise ValueError(f"{name}: file name does not end with slug {data['slug']!r}")
    sections = dict(chrome.NAV_SECTIONS)
    if not sections.get(data["section"]):
        raise ValueError(f"{name}: section {data['section']!r} is not in the navigation bar")
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
    )


def format_spanish_date(moment: datetime) -> str:
    """The date as the pages print it, e.g. "2 de marzo de 2026, 09.15 h"."""
    return f"{moment.day} de {_MONTHS[moment.month - 1]} de {moment.year}, {moment:%H.%M} h"


def render_site(base_url: str, articles: Sequence[DemoArticle] | None = None) -> dict[str, Response]:
    """Every URL path of the site and what the server answers there.

    Pages and feeds use absolute URLs built from `base_url`, which is why the site can only
    be rendered once the server knows its port.
    """
    base_url = base_url.rstrip("/")
    items = list(articles) if articles is not None else load_articles()
    items.sort(key=lambda article: article.published, reverse=True)
    newest = _http_date(items[0].published) if items else None
    env = _environment()
    common = {
        "base_url": base_url,
        "site_name": chrome.SITE_NAME,
        "nav": chrome.NAV_SECTIONS,
        "section_slugs": dict(chrome.NAV_SECTIONS),
        "share_labels": chrome.SHARE_TEXTS,
        "most_read": _most_read(items),
    }
    routes: dict[str, Response] = {
        "/": _page(env.get_template("home.html").render(articles=items, **common), newest),
    }
    article_template = env.get_template("article.html")
    for index, article in enumerate(items):
        html = article_template.render(
            article=article,
            url=base_url + article.path,
            related=_related(article, items),
            comments=[chrome.COMMENTS[(index + step) % len(chrome.COMMENTS)] for step in (0, 1, 3)],
            json_ld=_json_ld(article, base_url),
            **common,
        )
        routes[article.path] = _page(html, _http_date(article.published))
        routes[article.image_path] = Response(content_type="image/png", body=_png(article.slug))
        for src in _BODY_IMAGE.findall(article.body_html):
            routes[src] = Response(content_type="image/png", body=_png(src))
    routes[RSS_PATH] = Response(
        content_type="application/rss+xml; charset=utf-8",
        body=_rss(items, base_url),
        headers=_last_modified(newest),
    )
    routes[ATOM_PATH] = Response(
        content_type="application/atom+xml; charset=utf-8",
        body=_atom(items[:ATOM_LIMIT], base_url),
        headers=_last_modified(newest),
    )
    return routes


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("babelwire.demo", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["spanish_date"] = format_spanish_date
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


def _json_ld(article: DemoArticle, base_url: str) -> dict[str, object]:
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "datePublished": article.published.isoformat(),
        "author": {"@type": "Person", "name": article.author},
        "image": [base_url + article.image_path],
        "articleSection": article.section,
        "inLanguage": "es",
        "mainEntityOfPage": base_url + article.path,
        "publisher": {"@type": "NewsMediaOrganization", "name": chrome.SITE_NAME},
    }


def _rss(items: Sequence[DemoArticle], base_url: str) -> bytes:
    feed = FeedGenerator()
    feed.load_extension("dc")
    feed.title(chrome.SITE_NAME)
    feed.link(href=base_url + RSS_PATH, rel="self")
    feed.link(href=base_url + "/", rel="alternate")  # feedgen uses the last link as RSS <link>
    feed.description(chrome.TAGLINE)
    feed.language("es")
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


def _atom(items: Sequence[DemoArticle], base_url: str) -> bytes:
    """Atom ids are tag URIs, not URLs, so a poller cannot dedupe RSS and Atom by id."""
    feed = FeedGenerator()
    feed.id(base_url + "/")
    feed.title(chrome.SITE_NAME)
    feed.subtitle(chrome.TAGLINE)
    feed.link(href=base_url + "/", rel="alternate")
    feed.link(href=base_url + ATOM_PATH, rel="self")
    feed.language("es")
    if items:
        feed.updated(items[0].published)
    for article in items:
        entry = feed.add_entry(order="append")
        entry.id(f"tag:eldiariodelpuerto.example,2026:{article.slug}")
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
