"""The live sitemap against the sitemaps.org 0.9 schemas, and the pages against the sitemap.

A crawler trusts the sitemap's hreflang clusters only when they are valid XML of the protocol, each
language version lists the same cluster (reciprocity), and every page says the same in its head
(`<link rel="canonical">` and `<link rel="alternate" hreflang>`); conflicting signals get all of
them ignored. The schemas are the published ones (testdata/README.md); canaries prove they bite.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import lxml.html
import pytest
import xmlschema
from lxml import etree

from babelwire.config import Settings
from babelwire.web import sitemap
from tests.web.conformance.conftest import LANGUAGES, LiveSite

TESTDATA = Path(__file__).parent / "testdata"
NS = {"s": sitemap.SITEMAP_NS, "x": sitemap.XHTML_NS}
# The W3C datetime profile (https://www.w3.org/TR/NOTE-datetime) with a time, so a zone (TZD) is
# required; xsd:dateTime, which the schema takes, would also accept "2026-12-02T04:55:25" (no zone).
ZONED_W3C_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)")


@dataclass(frozen=True)
class Entry:
    """One <url>: its loc, lastmod text ("" when absent) and xhtml:link alternates (hreflang -> href)."""

    loc: str
    lastmod: str
    alternates: dict[str, str]


@pytest.fixture(scope="module")
def urlset_schema() -> xmlschema.XMLSchema10:
    """sitemap.xsd; its strict ##other wildcard validates xhtml:link by XHTML 1.0 Strict's `link`,
    which xmlschema ships and loads for that namespace (what Google's hreflang examples point at)."""
    return xmlschema.XMLSchema10(TESTDATA / "sitemap.xsd")


@pytest.fixture(scope="module")
def index_schema() -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(TESTDATA / "siteindex.xsd")


def schema_errors(schema: xmlschema.XMLSchema10, document: etree._Element | bytes) -> list[str]:
    """Every validation error, short: the path and the reason (empty when valid)."""
    tree = document if isinstance(document, etree._Element) else etree.fromstring(document)
    return [f"{error.path}: {error.reason}" for error in schema.iter_errors(tree)]


def get_xml(client: httpx.Client, url: str) -> etree._Element:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response.headers["content-type"].startswith("application/xml"), url
    return etree.fromstring(response.content)


def sitemap_files(
    client: httpx.Client, urlset_schema: xmlschema.XMLSchema10, index_schema: xmlschema.XMLSchema10
) -> list[etree._Element]:
    """/sitemap.xml's URL sets, each validated: itself, or (an index, validated too) every file in it."""
    root = get_xml(client, "/sitemap.xml")
    if etree.QName(root).localname == "sitemapindex":
        assert schema_errors(index_schema, root) == []
        files = [get_xml(client, loc.text or "") for loc in root.findall("s:sitemap/s:loc", NS)]
    else:
        files = [root]
    for file in files:
        assert schema_errors(urlset_schema, file) == []
    return files


def entries(files: list[etree._Element]) -> list[Entry]:
    """Every <url> of the files, in order; the links' attributes are exactly rel, hreflang and href."""
    found = []
    for file in files:
        for url in file.findall("s:url", NS):
            alternates: dict[str, str] = {}
            for link in url.findall("x:link", NS):
                assert sorted(link.keys()) == ["href", "hreflang", "rel"], link.items()
                assert link.get("rel") == "alternate", link.items()
                hreflang = str(link.get("hreflang"))
                assert hreflang not in alternates, ("hreflang listed twice", hreflang)
                alternates[hreflang] = str(link.get("href"))
            loc = url.findtext("s:loc", namespaces=NS) or ""
            found.append(Entry(loc, url.findtext("s:lastmod", namespaces=NS) or "", alternates))
    return found


@pytest.fixture(scope="module")
def live_files(
    live_site: LiveSite, urlset_schema: xmlschema.XMLSchema10, index_schema: xmlschema.XMLSchema10
) -> list[etree._Element]:
    with httpx.Client(base_url=live_site.base_url, timeout=30) as client:
        return sitemap_files(client, urlset_schema, index_schema)


@pytest.fixture(scope="module")
def live_entries(live_files: list[etree._Element]) -> dict[str, Entry]:
    """loc -> Entry over the whole live sitemap; every loc is there once."""
    found = entries(live_files)
    locs = [entry.loc for entry in found]
    assert len(locs) == len(set(locs)), sorted({loc for loc in locs if locs.count(loc) > 1})
    return {entry.loc: entry for entry in found}


def language_and_path(site: LiveSite, loc: str) -> tuple[str, str]:
    """("es", "articles/7") for {base}/es/articles/7: the language and the page in every language."""
    assert loc.startswith(site.base_url + "/"), loc
    language, _, path = loc.removeprefix(site.base_url + "/").partition("/")
    assert language in LANGUAGES, loc
    return language, path


# -- the schemas --


def test_the_live_sitemap_is_valid_by_the_sitemaps_org_schemas(
    live_files: list[etree._Element], live_entries: dict[str, Entry]
) -> None:
    """The fixtures validated each file; here: it is a URL set with home pages and articles in it."""
    assert all(etree.QName(file).localname == "urlset" for file in live_files)
    kinds = {page_kind(loc) for loc in live_entries}
    assert kinds == {"home", "article"}, kinds


def page_kind(loc: str) -> str:
    """ "home", "article", or the loc itself for anything else (which the sitemap should not have)."""
    if re.search(r"/[a-z]{2}/articles/\d+$", loc):
        return "article"
    return "home" if re.search(r"/[a-z]{2}/$", loc) else loc


def _set_first(tag: str, text: str) -> Callable[[etree._Element], None]:
    def mutate(root: etree._Element) -> None:
        element = root.find(f".//{tag}", NS)
        assert element is not None, tag
        element.text = text

    return mutate


def _append_to_first_url(element: etree._Element) -> Callable[[etree._Element], None]:
    def mutate(root: etree._Element) -> None:
        url = root.find("s:url", NS)
        assert url is not None
        url.append(element)

    return mutate


def _set_on_first_link(attribute: str, value: str) -> Callable[[etree._Element], None]:
    def mutate(root: etree._Element) -> None:
        link = root.find(".//x:link", NS)
        assert link is not None
        link.set(attribute, value)

    return mutate


def _move_lastmod_after_links(root: etree._Element) -> None:
    url = root.find("s:url", NS)
    lastmod = root.find("s:url/s:lastmod", NS)
    assert url is not None and lastmod is not None
    url.append(lastmod)  # the protocol's elements come first, extensions after


def _element(tag: str, text: str) -> etree._Element:
    made = etree.Element(tag)
    made.text = text
    return made


# Known-bad variants of the live sitemap, each with a word of the reason the validator must give.
URLSET_CANARIES: dict[str, tuple[Callable[[etree._Element], None], str]] = {
    "lastmod-yesterday": (_set_first("s:lastmod", "yesterday"), "yesterday"),
    "lastmod-no-date": (_set_first("s:lastmod", "04:55:25Z"), "04:55:25Z"),
    "loc-relative-short": (_set_first("s:loc", "/en/"), "length"),
    "loc-too-long": (_set_first("s:loc", "http://127.0.0.1/" + "a" * 2048), "length"),
    "unknown-sitemap-element": (
        _append_to_first_url(_element(f"{{{sitemap.SITEMAP_NS}}}title", "Home")),
        "title",
    ),
    "changefreq-unknown": (
        _append_to_first_url(_element(f"{{{sitemap.SITEMAP_NS}}}changefreq", "sometimes")),
        "changefreq",
    ),
    "lastmod-after-links": (_move_lastmod_after_links, "lastmod"),
    "hreflang-not-a-language-tag": (_set_on_first_link("hreflang", "en gb"), "en gb"),
    "link-unknown-attribute": (_set_on_first_link("data-x", "1"), "data-x"),
    "unknown-xhtml-element": (_append_to_first_url(_element(f"{{{sitemap.XHTML_NS}}}frob", "")), "frob"),
}


@pytest.mark.parametrize("canary", URLSET_CANARIES)
def test_a_bad_sitemap_fails_validation(
    canary: str, live_files: list[etree._Element], urlset_schema: xmlschema.XMLSchema10
) -> None:
    """Each break of the protocol in an otherwise valid live file is caught, and for that reason."""
    mutate, reason = URLSET_CANARIES[canary]
    assert schema_errors(urlset_schema, live_files[0]) == []
    broken = copy.deepcopy(live_files[0])
    mutate(broken)
    errors = schema_errors(urlset_schema, broken)
    assert errors and any(reason in error for error in errors), errors


def test_a_bad_sitemap_index_fails_validation(index_schema: xmlschema.XMLSchema10, tmp_path: Path) -> None:
    """The index schema bites too: a relative loc, a lastmod that is no date, a <url> in an index."""
    settings = Settings(data_dir=tmp_path, target_languages=LANGUAGES, base_url="http://wire.test/")
    good = sitemap.render_index(settings, 2)
    assert schema_errors(index_schema, good) == []
    assert schema_errors(index_schema, good.replace(b"http://wire.test/sitemaps/1.xml", b"/s/1.xml"))
    lastmod = b"<loc>http://wire.test/sitemaps/1.xml</loc><lastmod>yesterday</lastmod>"
    assert schema_errors(index_schema, good.replace(b"<loc>http://wire.test/sitemaps/1.xml</loc>", lastmod))
    assert schema_errors(index_schema, good.replace(b"sitemap>", b"url>"))


def test_a_large_site_gets_a_valid_index_and_loses_no_url(
    live_site: LiveSite,
    live_entries: dict[str, Entry],
    urlset_schema: xmlschema.XMLSchema10,
    index_schema: xmlschema.XMLSchema10,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    """Two articles a file: /sitemap.xml becomes an index (siteindex.xsd), every file is a valid URL
    set, and together they hold exactly the one-file sitemap's URLs, once each."""
    articles = {loc for loc in live_entries if page_kind(loc) == "article"}
    items = {language_and_path(live_site, loc)[1] for loc in articles}
    assert len(items) > 2, "the demo store is too small to need an index"
    monkeypatch.setattr(sitemap, "ITEMS_PER_FILE", 2)
    cache = live_site.app.state.page_cache  # a setting changed in place: the store cannot signal it
    cache.clear()
    request.addfinalizer(cache.clear)
    with httpx.Client(base_url=live_site.base_url, timeout=30) as client:
        index = get_xml(client, "/sitemap.xml")
        assert etree.QName(index).localname == "sitemapindex"
        locs = [loc.text or "" for loc in index.findall("s:sitemap/s:loc", NS)]
        assert locs == [f"{live_site.base_url}/sitemaps/{n}.xml" for n in range(1, -(-len(items) // 2) + 1)]
        files = sitemap_files(client, urlset_schema, index_schema)
    pieces = entries(files)
    assert sorted(entry.loc for entry in pieces) == sorted(live_entries)
    assert {entry.loc: entry for entry in pieces} == live_entries


# -- the hreflang clusters --


def clusters(site: LiveSite, found: dict[str, Entry]) -> dict[str, dict[str, str]]:
    """Page (path after the language) -> {language: loc} of the versions the sitemap lists."""
    grouped: dict[str, dict[str, str]] = defaultdict(dict)
    for loc in found:
        language, path = language_and_path(site, loc)
        grouped[path][language] = loc
    return grouped


def test_every_url_lists_its_language_versions_and_x_default(
    live_site: LiveSite, live_entries: dict[str, Entry]
) -> None:
    """Each <url>'s links are its page's versions in the sitemap (self included) plus x-default,
    the first of the site's languages; a page in one language only has none."""
    for path, versions in clusters(live_site, live_entries).items():
        ordered = {code: versions[code] for code in LANGUAGES if code in versions}
        expected = {**ordered, "x-default": next(iter(ordered.values()))} if len(ordered) > 1 else {}
        for loc in versions.values():
            assert live_entries[loc].alternates == expected, (path, loc)


def test_hreflang_values_hrefs_and_self_references(
    live_site: LiveSite, live_entries: dict[str, Entry]
) -> None:
    """Only site languages and x-default; every href absolute on this site; exactly one link names
    the url's own language, and it points at the loc itself."""
    base = urlsplit(live_site.base_url)
    with_links = [entry for entry in live_entries.values() if entry.alternates]
    assert with_links, "no <url> has alternates"
    for entry in with_links:
        assert set(entry.alternates) <= {*LANGUAGES, "x-default"}, entry
        assert "x-default" in entry.alternates, entry
        for href in entry.alternates.values():
            parts = urlsplit(href)
            assert (parts.scheme, parts.netloc) == (base.scheme, base.netloc), href
            assert href.startswith(live_site.base_url + "/"), href
        language, _ = language_and_path(live_site, entry.loc)
        assert entry.alternates[language] == entry.loc, entry
        assert [
            code for code, href in entry.alternates.items() if code != "x-default" and href == entry.loc
        ] == [language], entry


def test_alternates_are_reciprocal(live_entries: dict[str, Entry]) -> None:
    """Every version a <url> points at is in the sitemap and points back with the same set."""
    for entry in live_entries.values():
        for hreflang, href in entry.alternates.items():
            assert href in live_entries, (entry.loc, hreflang, href)
            assert live_entries[href].alternates == entry.alternates, (entry.loc, href)


def test_all_three_languages_are_there(live_site: LiveSite, live_entries: dict[str, Entry]) -> None:
    """The demo store is published in en, es and ca: full clusters exist, so the checks above bite."""
    full = [versions for versions in clusters(live_site, live_entries).values() if len(versions) == 3]
    assert full and all(set(versions) == set(LANGUAGES) for versions in full)
    assert {f"{live_site.base_url}/{code}/" for code in LANGUAGES} <= live_entries.keys()


# -- lastmod --


def is_zoned_w3c_datetime(value: str) -> bool:
    """A W3C datetime with a time and so with a zone, and a real instant."""
    if not ZONED_W3C_DATETIME.fullmatch(value):
        return False
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def test_the_zoned_datetime_check_bites(urlset_schema: xmlschema.XMLSchema10) -> None:
    """A lastmod without a zone passes the schema (xsd:dateTime) but not this check."""
    assert is_zoned_w3c_datetime("2026-12-02T04:55:25Z") and is_zoned_w3c_datetime("2026-12-02T05:55+01:00")
    for bad in ("2026-12-02T04:55:25", "2026-12-02", "2026-12-02 04:55:25Z", "2026-13-02T04:55:25Z", ""):
        assert not is_zoned_w3c_datetime(bad), bad
    naive = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://wire.test/en/</loc>'
        b"<lastmod>2026-12-02T04:55:25</lastmod></url></urlset>"
    )
    assert schema_errors(urlset_schema, naive) == []


def test_every_lastmod_is_a_zoned_w3c_datetime(live_site: LiveSite, live_entries: dict[str, Entry]) -> None:
    """Every <url> has one, none is in the future, and a home page's is its edition's latest change."""
    now = datetime.now(UTC) + timedelta(minutes=1)
    for entry in live_entries.values():
        assert is_zoned_w3c_datetime(entry.lastmod), entry
        assert datetime.fromisoformat(entry.lastmod) <= now, entry
    for code in LANGUAGES:
        home = live_entries[f"{live_site.base_url}/{code}/"]
        articles = [
            datetime.fromisoformat(entry.lastmod)
            for loc, entry in live_entries.items()
            if loc.startswith(f"{live_site.base_url}/{code}/articles/")
        ]
        assert datetime.fromisoformat(home.lastmod) == max(articles), code


# -- the pages say what the sitemap says --


@dataclass(frozen=True)
class Head:
    canonicals: list[str]
    hreflang: list[tuple[str, str]]


def head_links(html: bytes) -> Head:
    """The canonical and hreflang <link>s of a page's head; none of them may be in its body."""
    document = lxml.html.document_fromstring(html)
    head, body = document.find("head"), document.find("body")
    assert head is not None and body is not None
    links = head.findall("link")
    assert not [link for link in body.iter("link") if link.get("rel") == "canonical" or link.get("hreflang")]
    return Head(
        canonicals=[str(link.get("href")) for link in links if link.get("rel") == "canonical"],
        hreflang=[
            (str(link.get("hreflang")), str(link.get("href")))
            for link in links
            if link.get("rel") == "alternate" and link.get("hreflang") is not None
        ],
    )


def page_heads(site: LiveSite, locs: list[str]) -> Iterator[tuple[str, Head]]:
    """Each page's <link rel=canonical> hrefs and <link rel=alternate hreflang> (hreflang, href) pairs."""
    with httpx.Client(timeout=30) as client:
        for loc in locs:
            response = client.get(loc)
            assert response.status_code == 200, (loc, response.status_code)
            assert response.headers["content-type"].startswith("text/html"), loc
            yield loc, head_links(response.content)


def test_every_page_in_the_sitemap_says_the_same_in_its_head(
    live_site: LiveSite, live_entries: dict[str, Entry]
) -> None:
    """Each home page and article in the sitemap: one canonical, the loc itself; its hreflang links
    (no hreflang twice) are the sitemap's xhtml:link set for that loc."""
    locs = sorted(live_entries)
    assert any(page_kind(loc) == "article" for loc in locs)
    checked = 0
    for loc, head in page_heads(live_site, locs):
        assert head.canonicals == [loc], (loc, head.canonicals)
        assert len({code for code, _ in head.hreflang}) == len(head.hreflang), (loc, head.hreflang)
        assert dict(head.hreflang) == live_entries[loc].alternates, loc
        checked += 1
    assert checked == len(locs)
