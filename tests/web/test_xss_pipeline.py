"""The XSS corpus through the whole pipeline, then every page of the site opened in Chromium.

A hostile source on 127.0.0.1 carries the corpus (tests/web/xss_corpus.py) in its RSS and Atom
feeds (channel and item titles, summaries, content, authors, links) and in its article pages
(titles, bylines, metadata, headings, paragraphs, links, image alts, captions, and quoted as
text). The real pipeline (EmbeddedRunner, SQLite, Apertium, the automated editor) publishes it
in en and es; every held translation is released, so every page with foreign text is shown.

Then each page is checked twice:
- statically: the response parsed with lxml and tokenized like a browser: no script but the
  site's own, no on* attribute, no javascript:/vbscript:/data: URL, no frame, object, embed,
  base, meta http-equiv or inline style (`xss_corpus.unsafe_html`); feeds by their own rules;
- in Chromium: `window.__xss` is installed before any page script runs and records every
  vector that executes, in every frame; dialogs are recorded too; after load and a settle
  (no hover, focus or click) nothing may have run, and Chromium's own DOM must pass the same
  rules. The browser context bypasses the site's CSP on purpose: escaping and sanitizing must
  hold by themselves (the CSP is a second wall, checked as a header).

A control proves the harness can see execution: the same vectors served raw (unsanitized) run
in this Chromium, and the static checker flags every one of them that ran.

Routes other engineers have not built yet answer 404; their tests skip and say so.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import shutil
import socket
import struct
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit
from xml.sax.saxutils import escape as xml_escape

import httpx
import pytest
from lxml import html as lxml_html
from sqlalchemy import select

from babelwire.config import FetchSettings, Settings
from babelwire.demo.server import Response, SiteServer
from babelwire.domain import Source
from babelwire.pipeline.embedded import EmbeddedRunner
from babelwire.pipeline.report import RunReport
from babelwire.store import queries
from babelwire.store.articles import get_article
from babelwire.store.db import Store
from babelwire.store.held import decide_held, held_translations
from babelwire.store.models import DocumentRow, ItemRow, ItemStatus, SourceRow
from babelwire.web.app import create_app
from tests.conftest import LOOPBACK_NETWORKS
from tests.web.browsing import CHROMIUM, CHROMIUM_FLAGS, require_chromium, serve_app
from tests.web.xss_corpus import (
    BY_ID,
    SITE_NAME,
    STORIES,
    VECTORS,
    Story,
    Vector,
    article_page,
    assign,
    unsafe_html,
    unsafe_json_feed,
    unsafe_xml_feed,
)

pytestmark = pytest.mark.browser
require_chromium()

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402

LANGUAGES = ["en", "es"]
RSS_STORIES = range(0, 5)  # the RSS feed carries the first five stories, the Atom feed the rest
SETTLE_MS = 150  # after "load": media errors, marquee, details toggle, SVG animation begin
CRAWL_LIMIT = 150

# Installed before any script of any frame runs: records which vector ran, in every frame.
INIT_SCRIPT = "window.__xss = (n) => { (window.__hits = window.__hits || []).push(String(n)); };"
HITS = "() => (window.__hits || []).map(String)"

# The static rules once more, over the DOM Chromium built (its parser is the one that counts).
DOM_AUDIT = r"""() => {
  const ACTIVE = new Set(["http://www.w3.org/1999/xhtml", "http://www.w3.org/2000/svg",
                          "http://www.w3.org/1998/Math/MathML"]);
  const FORBIDDEN = new Set(["iframe", "frame", "frameset", "object", "embed", "applet", "base", "style",
                             "portal", "fencedframe", "bgsound", "layer", "ilayer", "import", "xml",
                             "plaintext", "handler", "listener"]);
  const URLS = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
                        "codebase", "lowsrc", "dynsrc", "ping", "cite", "longdesc", "usemap", "manifest",
                        "icon", "archive", "classid", "srcset", "imagesrcset", "values", "to", "from", "by"]);
  const NOISE = /[\u0000-\u0020\u007f\u00ad\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\ufeff]/g;
  const BAD = /^(javascript|vbscript|data|livescript|mocha):/;
  const bad = (value) => BAD.test(value.replace(NOISE, "").toLowerCase());
  const problems = [];
  const own = (el) => {
    const type = (el.getAttribute("type") || "").trim().toLowerCase();
    if (type === "application/ld+json" && !el.hasAttribute("src")) {
      try { JSON.parse(el.textContent); } catch (e) { return false; }
      return !/<\/script|<script|<!--/i.test(el.textContent);
    }
    return (el.getAttribute("src") || "").startsWith("/static/") && !el.textContent.trim();
  };
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (el.shadowRoot) walk(el.shadowRoot);
      if (el.content && el.content.querySelectorAll) walk(el.content);
      const name = el.localName.toLowerCase();
      const where = "<" + name + ">";
      if (!ACTIVE.has(el.namespaceURI)) {
        if (name === "link" && bad(el.getAttribute("href") || el.textContent || "")) {
          problems.push(where + " " + (el.getAttribute("href") || el.textContent));
        }
        continue;
      }
      if (name === "script" && !own(el)) problems.push(where + " " + el.outerHTML.slice(0, 120));
      if (FORBIDDEN.has(name)) problems.push(where + " element");
      if (name === "meta" && el.hasAttribute("http-equiv")) problems.push(where + " http-equiv");
      for (const attr of el.attributes) {
        const key = attr.name.toLowerCase();
        if (key.startsWith("on")) problems.push(where + " " + key + "=" + attr.value);
        else if (key === "style" || key === "srcdoc") problems.push(where + " " + key + "=" + attr.value);
        else if (URLS.has(key) && bad(attr.value)) problems.push(where + " " + key + "=" + attr.value);
      }
    }
  };
  walk(document);
  return problems;
}"""


# --------------------------------------------------------------------------- the hostile source


def _png() -> bytes:
    """A 1x1 grey PNG, so the source's images load (an image that fails is noise in a browser)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + (chunk(b"IEND", b""))
    )


def _first(prefix: str) -> Vector:
    """The first vector whose HTML starts with `prefix` (corpus vectors reused in feed fields)."""
    return next(vector for vector in VECTORS if vector.html.startswith(prefix))


SCRIPT = _first("<script>__xss(")
IMG = _first("<img src=x onerror=__xss(")
SVG = _first("<svg/onload=")
BREAKOUT = _first('"><script>')
JS_URL = _first("javascript:__xss(")  # a bare URL, for link fields
JS_LINK = _first('<a href="javascript:')
DATA_LINK = _first('<a href="data:text/html,<script>')
DATA_URL = DATA_LINK.html.split('"')[1]


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass(frozen=True)
class HostileArticle:
    story: Story
    vectors: list[Vector]
    path: str
    url: str  # as the feed links it (one carries an attribute breakout in its query string)
    published: datetime

    def summary_html(self) -> str:
        return f"<p>{escape(self.story.lead)}</p> " + " ".join(v.html for v in self.vectors)


def _rss(articles: list[HostileArticle]) -> bytes:
    channel_link = JS_URL.html  # the site's "home page", which the pipeline keeps as site_url
    items = []
    for article in articles:
        first, second = article.vectors[0], article.vectors[1]
        items.append(f"""<item>
<title>{xml_escape(article.story.title + " " + first.html)}</title>
<link>{xml_escape(article.url)}</link>
<guid isPermaLink="false">{xml_escape(article.url)}</guid>
<pubDate>{format_datetime(article.published)}</pubDate>
<dc:creator>{xml_escape(article.story.author + " " + second.html)}</dc:creator>
<description>{xml_escape(article.summary_html())}</description>
<content:encoded>{_cdata(article.summary_html())}</content:encoded>
</item>""")
    body = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>{xml_escape(SITE_NAME + " " + SCRIPT.html)}</title>
<link>{xml_escape(channel_link)}</link>
<description>{xml_escape(IMG.html + " Noticias de Villamar")}</description>
<language>es</language>
<image><url>{xml_escape(channel_link)}</url><title>x</title><link>{xml_escape(channel_link)}</link></image>
{"".join(items)}
</channel>
</rss>"""
    return body.encode()


def _atom(articles: list[HostileArticle], base: str) -> bytes:
    entries = []
    for article in articles:
        first, second = article.vectors[0], article.vectors[1]
        when = article.published.isoformat()
        entries.append(f"""<entry>
<title type="html">{xml_escape(escape(article.story.title) + " " + first.html)}</title>
<link rel="alternate" type="text/html" href="{xml_escape(article.url)}"/>
<id>{xml_escape(article.url)}</id>
<published>{when}</published>
<updated>{when}</updated>
<author><name>{xml_escape(article.story.author + " " + second.html)}</name>
<uri>{xml_escape(DATA_URL)}</uri></author>
<summary type="html">{xml_escape(article.summary_html())}</summary>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>{escape(article.story.lead)}</p>
<script>__xss({SCRIPT.id})</script><img src="x" onerror="__xss({IMG.id})"/>
<a href="javascript:__xss({JS_LINK.id})">x</a></div></content>
</entry>""")
    body = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="es">
<title type="html">{xml_escape(escape(SITE_NAME) + " " + IMG.html)}</title>
<subtitle type="html">{xml_escape(SVG.html)}</subtitle>
<link rel="self" href="{base}/atom.xml"/>
<link rel="alternate" type="text/html" href="{xml_escape(DATA_URL)}"/>
<id>urn:uuid:8a7f3c1e-villamar</id>
<updated>{datetime.now(UTC).isoformat()}</updated>
{"".join(entries)}
</feed>"""
    return body.encode()


def _control_routes(server: SiteServer) -> None:
    """Each vector raw in a page of its own, and one page framing them all."""
    for vector in VECTORS:
        page = (
            "<!doctype html><html lang=es><head><meta charset=utf-8><title>control</title></head>"
            f"<body><p>antes</p>{vector.html}<p>después</p></body></html>"
        )
        server.set_route(f"/raw/{vector.id}.html", Response(body=page.encode()))
    frames = "".join(f'<iframe src="/raw/{v.id}.html" width="40" height="40"></iframe>' for v in VECTORS)
    server.set_route("/raw/all.html", Response(body=f"<!doctype html><body>{frames}</body>".encode()))


@dataclass
class HostileSite:
    server: SiteServer
    articles: list[HostileArticle]

    @property
    def rss_url(self) -> str:
        return self.server.url("/rss.xml")

    @property
    def atom_url(self) -> str:
        return self.server.url("/atom.xml")


@pytest.fixture(scope="module")
def hostile_site() -> Iterator[HostileSite]:
    with SiteServer() as server:
        now = datetime.now(UTC).replace(microsecond=0)
        articles = []
        for index, (story, vectors) in enumerate(zip(STORIES, assign(), strict=True)):
            path = f"/noticias/{story.slug}.html"
            url = server.url(path)
            if index == 2:  # the link itself tries to break out of an attribute
                url += "?ref=" + SVG.html.replace("<", '"><')
            published = now - timedelta(hours=index + 1)
            articles.append(HostileArticle(story, vectors, path, url, published))
            image = server.url(f"/img/{story.slug}.png")
            page = article_page(story, vectors, published=published, image_url=image)
            server.set_route(path, Response(body=page.encode()))
            server.set_route(f"/img/{story.slug}.png", Response(content_type="image/png", body=_png()))
        base = server.base_url
        rss = [articles[i] for i in RSS_STORIES]
        atom = [a for i, a in enumerate(articles) if i not in RSS_STORIES]
        server.set_route("/rss.xml", Response(content_type="application/rss+xml", body=_rss(rss)))
        server.set_route("/atom.xml", Response(content_type="application/atom+xml", body=_atom(atom, base)))
        _control_routes(server)
        yield HostileSite(server, articles)


# --------------------------------------------------------------------------- the pipeline


@dataclass
class Published:
    store: Store
    settings: Settings
    report: RunReport
    item_ids: list[int]
    item_urls: dict[int, str]
    source_ids: list[int]
    released: list[tuple[int, str, str]]  # (item id, language, status before release)
    pipeline_s: float


@pytest.fixture(scope="module")
def site_socket() -> Iterator[socket.socket]:
    """Bound before the site's settings exist, so its base_url (feeds, canonical links) is real."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    yield sock
    sock.close()


@pytest.fixture(scope="module")
def published(
    hostile_site: HostileSite, site_socket: socket.socket, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Published]:
    if shutil.which("apertium") is None:
        pytest.skip("apt-get install apertium-eng-spa")
    data = tmp_path_factory.mktemp("xss-site")
    port = site_socket.getsockname()[1]
    settings = Settings(
        data_dir=data,
        database_url=f"sqlite:///{data / 'site.db'}",
        target_languages=LANGUAGES,
        site_title="XSS Wire",
        base_url=f"http://127.0.0.1:{port}",
        fetch=FetchSettings(allowed_networks=LOOPBACK_NETWORKS),
    )
    store = Store(settings.resolved_database_url)
    with store.session() as session, session.begin():
        # Operators type names too; whatever a name holds is text.
        queries.upsert_source(
            session,
            Source(name=f"{SITE_NAME} (RSS) {BREAKOUT.html}", url=hostile_site.rss_url, language="es"),
        )
        queries.upsert_source(
            session,
            Source(name=f"{SITE_NAME} (Atom) {IMG.html}", url=hostile_site.atom_url, language="es"),
        )
    runner = EmbeddedRunner(settings, store)
    started = time.monotonic()
    try:
        # In its own thread: Playwright's sync API may already own this thread's event loop.
        with ThreadPoolExecutor(1) as pool:
            report = pool.submit(asyncio.run, runner.run_once(force_poll=True)).result()
    finally:
        runner.close()
    assert report.failures == [], report.failures  # hostile input must not break any article
    released = []
    with store.session() as session, session.begin():
        for held in held_translations(session, include_rejected=True):
            decision = decide_held(session, held.item_id, held.language, release=True)
            assert decision is not None, f"could not release item {held.item_id} ({held.language})"
            released.append((held.item_id, held.language, held.status))
    pipeline_s = time.monotonic() - started
    with store.session() as session:
        item_urls = {item.id: item.url for item in session.scalars(select(ItemRow))}
        item_ids = sorted(item_urls)
        source_ids = sorted(session.scalars(select(SourceRow.id)))
    print(
        f"\npipeline: {pipeline_s:.1f}s, {report.published} published, released {len(released)}: {released}"
    )
    yield Published(store, settings, report, item_ids, item_urls, source_ids, released, pipeline_s)
    store.close()


def test_the_corpus_went_through_the_pipeline(hostile_site: HostileSite, published: Published) -> None:
    """Every story is published in both languages with its vectors on board, as text."""
    assert published.report.failures == []
    assert len(VECTORS) >= 120
    with published.store.session() as session:
        items = list(session.scalars(select(ItemRow)))
        documents = {d.key: d for d in session.scalars(select(DocumentRow))}
        assert sorted(i.url for i in items) == sorted(a.url for a in hostile_site.articles)
        assert {i.status for i in items} == {ItemStatus.PUBLISHED}
        for item in items:
            for lang in LANGUAGES:
                assert get_article(session, lang, item.id) is not None, f"item {item.id} not shown in {lang}"
        by_url = {a.url: a for a in hostile_site.articles}
        for item in items:
            assert item.document_key is not None
            document = documents[item.document_key]
            assert document.language == "es"
            # Quoted in a letter to the editor, each vector is article text: it must reach the
            # store as text, to be shown, translated and escaped on every page.
            text = _comparable(" ".join(b["text"] for b in json.loads(document.blocks_json)))
            vectors = by_url[item.url].vectors
            missing = [v.id for v in vectors if _comparable(v.html) not in text]
            assert missing == [], f"{item.url}: vectors {missing} did not reach the store as text"
            # The feed's own fields (title, summary) reached the store as well.
            assert item.title and item.summary


def _comparable(text: str) -> str:
    """Text as extraction keeps it: invisible characters dropped, whitespace collapsed."""
    return " ".join(re.sub(r"[\u00ad\u200b]", "", text).split())


# --------------------------------------------------------------------------- the site and the browser


@pytest.fixture(scope="module")
def site_url(published: Published, site_socket: socket.socket) -> Iterator[str]:
    with serve_app(create_app(published.settings, published.store), site_socket):
        yield published.settings.base_url


@dataclass
class Visit:
    url: str
    status: int
    content_type: str
    static_problems: list[str]
    hits: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    dom_problems: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # uncaught exceptions: some script ran
    rendered: bool = False
    links: list[str] = field(default_factory=list)
    body: bytes = b""

    @property
    def missing(self) -> bool:
        return self.status == 404

    def verdict(self) -> list[str]:
        found = [f"static: {p}" for p in self.static_problems]
        found += [f"EXECUTED __xss({h}): {_describe(h)}" for h in self.hits]
        found += [f"dialog: {d}" for d in self.dialogs]
        found += [f"script error: {e}" for e in self.errors]
        found += [f"dom: {p}" for p in self.dom_problems]
        return found


def _describe(hit: str) -> str:
    ids = [int(n) for n in re.findall(r"\d+", hit)]
    return "; ".join(f"vector {n} {BY_ID[n].html!r}" for n in ids if n in BY_ID) or hit


class Auditor:
    """Visits each URL once: static checks on the response, then Chromium with the hook."""

    def __init__(self, browser: Browser, site: str) -> None:
        self.site = site
        self.client = httpx.Client(timeout=30)
        self.context = browser.new_context(bypass_csp=True, java_script_enabled=True)
        self.context.add_init_script(INIT_SCRIPT)
        self.page: Page = self.context.new_page()
        self.dialogs: list[str] = []
        self.page.on("dialog", self._on_dialog)
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.visits: dict[str, Visit] = {}
        self.browser_s = 0.0

    def _on_dialog(self, dialog: object) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    def close(self) -> None:
        self.context.close()
        self.client.close()

    def visit(self, url: str, *, browse_404: bool = False) -> Visit:
        url = urljoin(self.site + "/", url)
        if url in self.visits:
            return self.visits[url]
        response = self.client.get(url)
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        visit = Visit(url, response.status_code, content_type, _static_problems(response, content_type))
        visit.body = response.content
        self.visits[url] = visit
        if content_type == "text/html":
            visit.links = _links(response.text, url)
            csp = response.headers.get("content-security-policy", "")
            if ("script-src" not in csp and "default-src" not in csp) or "'unsafe-inline'" in csp:
                visit.static_problems.append(f"Content-Security-Policy allows inline script: {csp!r}")
        if not visit.missing or browse_404:  # a route not built yet is not worth a browser visit
            self._open(visit)
        return visit

    def _open(self, visit: Visit) -> None:
        started = time.monotonic()
        self.dialogs.clear()
        self.errors.clear()
        try:
            self.page.goto(visit.url, wait_until="load")
            visit.rendered = True
        except PlaywrightError as exc:
            if "Download is starting" not in str(exc):
                raise
            # Chromium saved it instead of rendering it: nothing in it can run.
            self.page.goto("about:blank")
        if visit.rendered:
            self.page.wait_for_timeout(SETTLE_MS)
            for frame in self.page.frames:
                try:
                    visit.hits += frame.evaluate(HITS)
                except PlaywrightError:
                    visit.hits.append(f"frame {frame.url} could not be read")
            # A feed or JSON document is shown in a viewer Chromium builds itself: its own markup.
            if self.page.evaluate("document.contentType") == "text/html":
                visit.dom_problems = self.page.evaluate(DOM_AUDIT)
        visit.dialogs = list(self.dialogs)
        visit.errors = list(self.errors)
        self.browser_s += time.monotonic() - started


def _static_problems(response: httpx.Response, content_type: str) -> list[str]:
    if content_type == "text/html":
        return unsafe_html(response.text, own_scripts=True)
    if content_type.endswith("xml"):
        return unsafe_xml_feed(response.content)
    if content_type in {"application/feed+json", "application/json"} and b"jsonfeed.org" in response.content:
        return unsafe_json_feed(response.content)
    return []


def _links(markup: str, base: str) -> list[str]:
    """Same-site links of a page: <a href> and <link rel=alternate> (feeds, translations)."""
    try:
        root = lxml_html.document_fromstring(markup)
    except Exception:
        return []
    hrefs = root.xpath("//a/@href | //link[contains(@rel, 'alternate')]/@href")
    found = [str(h) for h in hrefs] if isinstance(hrefs, list) else []
    origin = urlsplit(base)
    links = []
    for href in found:
        absolute = urljoin(base, href).split("#")[0]
        parts = urlsplit(absolute)
        if (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc):
            links.append(absolute)
    return links


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def auditor(browser: Browser, site_url: str) -> Iterator[Auditor]:
    opened = Auditor(browser, site_url)
    yield opened
    kinds = Counter(
        re.sub(r"/\d+", "/{id}", urlsplit(url).path) + (" (404)" if visit.missing else "")
        for url, visit in opened.visits.items()
    )
    print(f"\nbrowser: {len(opened.visits)} URLs in {opened.browser_s:.1f}s: {dict(sorted(kinds.items()))}")
    opened.close()


def _check(auditor: Auditor, urls: list[str], what: str, *, all_must_exist: bool = False) -> list[Visit]:
    """Visit `urls`; fail on anything unsafe; skip when the route does not exist yet."""
    visits = [auditor.visit(url) for url in urls]
    shown = [v for v in visits if not v.missing]
    if not shown:
        pytest.skip(f"{what}: every URL answered 404 (route not built yet?): {urls[:3]}...")
    if all_must_exist:
        assert [v.url for v in visits if v.missing] == [], f"{what}: pages missing"
    broken = [f"{v.url}: HTTP {v.status}" for v in visits if v.status >= 500]
    assert broken == [], f"{what}: the corpus broke pages"
    _assert_safe(shown, what)
    return shown


def _assert_safe(visits: list[Visit], what: str) -> None:
    """Fail with every problem of every page spelled out (pytest would truncate a dict)."""
    unsafe = [(v.url, problem) for v in visits for problem in v.verdict()]
    lines = "\n".join(f"  {url}\n      {problem}" for url, problem in unsafe)
    assert not unsafe, f"{what}: {len(unsafe)} unsafe outputs or executed vectors:\n{lines}"


# --------------------------------------------------------------------------- the control


def test_the_raw_corpus_runs_in_chromium_and_the_checker_sees_it(
    hostile_site: HostileSite, browser: Browser
) -> None:
    """Unsanitized, most vectors run in this Chromium, and the hook records exactly which; every
    vector that ran is one the static checker flags. So silence on the site means something."""
    context = browser.new_context()
    context.add_init_script(INIT_SCRIPT)
    page = context.new_page()
    hits: set[int] = set()
    try:
        page.goto(hostile_site.server.url("/raw/all.html"), wait_until="load")
        # Some vectors fire after load (media errors, marquee, details, SVG animation): wait
        # until the count stops growing, so a busy machine does not shrink the control.
        quiet, deadline = 0, time.monotonic() + 5
        while quiet < 3 and time.monotonic() < deadline:
            page.wait_for_timeout(150)
            seen = set()
            for frame in page.frames:
                with contextlib.suppress(PlaywrightError):  # a frame that navigated away meanwhile
                    seen |= {int(n) for h in frame.evaluate(HITS) for n in re.findall(r"\d+", h)}
            quiet = quiet + 1 if seen == hits else 0
            hits = seen
    finally:
        context.close()
    print(f"\ncontrol: {len(hits)} of {len(VECTORS)} vectors ran raw in Chromium")
    assert hits <= set(BY_ID)
    assert {SCRIPT.id, IMG.id, SVG.id} <= hits
    assert len(hits) >= len(VECTORS) * 2 // 5
    unseen = {n: BY_ID[n].html for n in sorted(hits) if not unsafe_html(BY_ID[n].html)}
    assert unseen == {}, "vectors ran in Chromium that the static checker does not flag"


# --------------------------------------------------------------------------- the site's pages


def _page_text(visit: Visit) -> str:
    return _comparable("".join(str(t) for t in lxml_html.document_fromstring(visit.body).itertext()))


def _links_to_articles(visit: Visit, lang: str, published: Published) -> set[int]:
    text = visit.body.decode("utf-8", "replace")
    return {item for item in published.item_ids if re.search(rf"/{lang}/articles/{item}\b", text)}


def test_home_pages(auditor: Auditor, published: Published, artifacts: Path) -> None:
    visits = _check(auditor, [f"/{lang}/" for lang in LANGUAGES], "home", all_must_exist=True)
    for lang, visit in zip(LANGUAGES, visits, strict=True):
        assert visit.rendered
        assert _links_to_articles(visit, lang, published) == set(published.item_ids)
    auditor.page.goto(f"{auditor.site}/en/")
    auditor.page.screenshot(path=str(artifacts / "xss-home.png"), full_page=True)


def test_article_pages(
    auditor: Auditor, published: Published, hostile_site: HostileSite, artifacts: Path
) -> None:
    urls = [f"/{lang}/articles/{item}" for item in published.item_ids for lang in LANGUAGES]
    visits = _check(auditor, urls, "article pages", all_must_exist=True)
    vectors = {a.url: a.vectors for a in hostile_site.articles}
    for visit in visits:
        item = int(visit.url.rsplit("/", 1)[1])
        text = _page_text(visit)
        if "/es/" in visit.url:  # the original: every vector of the article is there, as text
            shown = [v.id for v in vectors[published.item_urls[item]] if _comparable(v.html) in text]
            assert len(shown) == len(vectors[published.item_urls[item]]), f"{visit.url} lost vectors"
        else:  # the translation: the vectors went through the engine and are still text
            assert "__xss(" in text
    auditor.page.goto(f"{auditor.site}/en/articles/{published.item_ids[0]}")
    auditor.page.screenshot(path=str(artifacts / "xss-article.png"), full_page=True)


def test_bilingual_views(auditor: Auditor, published: Published, hostile_site: HostileSite) -> None:
    urls = [f"/{lang}/articles/{item}/bilingual" for item in published.item_ids for lang in LANGUAGES]
    visits = _check(auditor, urls, "bilingual views")
    # Every translation has a bilingual view (the original, es, may have none) with the Spanish
    # source sentences, vectors included, beside the English.
    english = [v for v in visits if "/en/" in v.url]
    assert len(english) == len(published.item_ids)
    stories = {a.url: a.story for a in hostile_site.articles}
    for visit in english:
        story = stories[published.item_urls[int(visit.url.split("/")[-2])]]
        text = _page_text(visit)
        assert _comparable(story.paragraphs[0]) in text and "__xss(" in text, visit.url


def test_sources_pages(auditor: Auditor, published: Published) -> None:
    urls = [f"/{lang}/sources" for lang in LANGUAGES]
    urls += [f"/{lang}/sources/{source}" for source in published.source_ids for lang in LANGUAGES]
    visits = _check(auditor, urls, "sources pages")
    assert any(SITE_NAME in _page_text(v) for v in visits)


def test_search_pages(auditor: Auditor, published: Published) -> None:
    """A search that finds the corpus articles, and searches that are vectors (one per kind)."""
    urls = [f"/{lang}/search?q=Villamar" for lang in LANGUAGES]
    first_of_each_kind = {v.category: v for v in reversed(VECTORS)}.values()
    urls += [f"/en/search?q={quote(v.html, safe='')}" for v in first_of_each_kind]
    visits = _check(auditor, urls, "search")
    for lang, visit in zip(LANGUAGES, visits, strict=False):
        assert visit.url.endswith("q=Villamar")
        assert _links_to_articles(visit, lang, published), f"{visit.url} found no corpus article"


@pytest.mark.parametrize("kind", ["rss", "atom", "json"])
def test_feeds(auditor: Auditor, published: Published, kind: str) -> None:
    """Opened as documents, the site's feeds run nothing, and their HTML fields are safe."""
    visits = _check(auditor, [f"/{lang}/feed.{kind}" for lang in LANGUAGES], f"{kind} feeds")
    for lang, visit in zip(LANGUAGES, visits, strict=True):
        assert _links_to_articles(visit, lang, published) == set(published.item_ids)
    print(f"\n{kind} feeds: {[(v.content_type, 'shown' if v.rendered else 'downloaded') for v in visits]}")


def test_story_pages_and_feeds(auditor: Auditor, published: Published) -> None:
    """The top stories, every story page in every language, the story feeds and the stories API:
    the corpus's titles, sources and excerpts are shown there too, and run nothing."""
    tops = _check(auditor, [f"/{lang}/stories" for lang in LANGUAGES], "top stories", all_must_exist=True)
    story_ids = sorted({int(n) for v in tops for n in re.findall(rb'href="/\w+/stories/(\d+)"', v.body)})
    assert story_ids, "the corpus articles make stories"
    for lang, visit in zip(LANGUAGES, tops, strict=True):  # a top story links to its story page
        assert visit.rendered and re.search(rf'href="/{lang}/stories/\d+"'.encode(), visit.body), visit.url
    urls = [f"/{lang}/stories/{story}" for story in story_ids for lang in LANGUAGES]
    stories = _check(auditor, urls, "story pages", all_must_exist=True)
    assert set().union(*(_links_to_articles(v, "en", published) for v in stories)) == set(published.item_ids)
    feeds = [f"/{lang}/stories/feed.{kind}" for lang in LANGUAGES for kind in ("rss", "atom", "json")]
    feeds += [
        f"/en/stories/{story}/feed.{kind}" for story in story_ids[:3] for kind in ("rss", "atom", "json")
    ]
    feeds += ["/api/v1/stories?lang=en", f"/api/v1/stories/{story_ids[0]}?lang=es"]
    _check(auditor, feeds, "story feeds and API", all_must_exist=True)


def test_sitemap_and_api_documents(auditor: Auditor, published: Published) -> None:
    """Opened as documents, the sitemap and the API's JSON run nothing either."""
    first = published.item_ids[0]
    urls = [
        "/sitemap.xml",
        "/api/v1/articles?lang=en",
        f"/api/v1/articles/{first}?lang=en",
        "/api/v1/sources",
    ]
    visits = _check(auditor, urls, "sitemap and API")
    print(f"\ndocuments: {[(v.url, v.status, v.content_type) for v in visits]}")


def test_error_pages(auditor: Auditor, published: Published) -> None:
    """URLs that are vectors: the error pages that name what was asked for escape it."""
    paths = [
        "/" + quote(SCRIPT.html, safe="") + "/",
        "/en/articles/999999",
        "/en/" + quote(IMG.html, safe=""),
        "/" + quote(BREAKOUT.html, safe="") + "/articles/1",
        f"/en/articles/1?{quote(SVG.html, safe='')}={quote(BREAKOUT.html, safe='')}",
    ]
    _assert_safe([auditor.visit(path, browse_404=True) for path in paths], "error pages")


def test_every_linked_page(auditor: Auditor, published: Published) -> None:
    """Whatever else the site links to (pagination, per-source feeds, sitemaps...): crawled from
    the pages above, same site only, admin and API left out."""
    seeds = [f"/{lang}/" for lang in LANGUAGES] + [f"/{lang}/sources" for lang in LANGUAGES]
    seeds += [f"/{lang}/articles/{item}" for item in published.item_ids[:2] for lang in LANGUAGES]
    queue = [urljoin(auditor.site + "/", s) for s in seeds]
    seen: set[str] = set(queue)
    visits: list[Visit] = []
    while queue and len(visits) < CRAWL_LIMIT:
        visit = auditor.visit(queue.pop(0))
        visits.append(visit)
        for link in visit.links:
            path = urlsplit(link).path
            if link in seen or path.startswith(("/admin", "/api", "/static", "/metrics", "/docs")):
                continue
            seen.add(link)
            queue.append(link)
    broken = [f"{v.url}: HTTP {v.status}" for v in visits if v.status >= 500]
    assert broken == []
    _assert_safe([v for v in visits if not v.missing], "linked pages")
    dead = [v.url for v in visits if v.missing]
    print(f"\ncrawl: {len(visits)} pages, {len(dead)} linked URLs answered 404: {dead[:10]}")
