"""Hypothesis strategies for hostile feeds, sitemaps, JSON Feeds and HTML pages.

Shared by tests/sources/test_fuzz.py (a CI-sized run) and benchmarks/fuzz_sources.py (a
10,000-case run through the poller). Documents are built from the vocabulary each parser
looks at, so generated input reaches deep into the parsers instead of failing at byte one:
real tag names, URL attributes with awkward URLs, entities (internal, external, undefined,
numeric, control characters), CDATA, DOCTYPEs, comments, declared-vs-actual encodings,
gzip wrapping and truncation; plus raw bytes.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from typing import TypeVar

from hypothesis import strategies as st

from babelwire.errors import BabelwireError

T = TypeVar("T")


def _words(text: str) -> list[str]:
    return text.split()


SITE = "https://fuzz.example"

URLS = (
    f"{SITE}/2026/03/10/a-long-hyphenated-article-slug-here",
    f"{SITE}/noticia/1234567",
    f"{SITE}/sitemap-news.xml",
    f"{SITE}/feed",
    "/relative/path-to-an-article-with-many-words",
    "//fuzz.example/protocol-relative",
    "../up/../../and-down",
    "?page=2",
    "#fragment",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "mailto:a@b.example",
    "http://[::1",
    "http://[::1]:8080/x",
    "http://0x7f.1/",
    "http://169.254.169.254/latest/meta-data/",
    "https://other.example/2026/03/10/cross-site-article-slug",
    "https://sub.fuzz.example/2026/01/01/subdomain-story",
    "http://fuzz.example:99999/bad-port",
    "http://exa mple.com/space",
    "https://fuzz.example/" + "a" * 3000,
    "https://xn--nxasmq6b.example/ünïcødé-pàth",
    "  https://fuzz.example/padded  ",
    "",
)
DATES = (
    "2026-03-10T09:30:00+01:00",
    "2026-03-10",
    "Tue, 10 Mar 2026 09:30:00 +0100",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "2026-02-30",
    "yesterday",
    "",
)
ENTITIES = ("&amp;", "&lt;", "&#65;", "&#x1F600;", "&#0;", "&#1;", "&#xD800;", "&nbsp;", "&undefined;", "&e;")
DOCTYPES = (
    "",
    '<!DOCTYPE x [<!ENTITY e "expanded">]>',
    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY e "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/x.dtd">',
    "<!DOCTYPE html>",
)
ENCODINGS = ("utf-8", "utf-16", "latin-1", "cp1252", "shift_jis", "utf-32")

FEED_TAGS = _words(
    "rss channel item title link guid pubDate description author category enclosure language feed "
    "entry id updated published summary content name atom:link dc:creator rdf:RDF "
)
SITEMAP_TAGS = _words(
    "urlset url loc lastmod changefreq priority sitemapindex sitemap news:news news:publication "
    "news:name news:language news:publication_date news:title image:image "
)
HTML_TAGS = _words(
    "html head body title base link meta a div p span article header nav footer script style img h1 "
    "h2 ul li table tr td form iframe svg template noscript br "
)
ATTRIBUTES = (
    "href",
    "src",
    "rel",
    "type",
    "title",
    "alt",
    "lang",
    "version",
    "xmlns",
    "xmlns:news",
    "charset",
    "content",
    "http-equiv",
)
ATTRIBUTE_VALUES = (
    *URLS,
    "alternate",
    "hub",
    "self",
    "ALTERNATE stylesheet",
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "2.0",
    "http://www.w3.org/2005/Atom",
    "http://www.sitemaps.org/schemas/sitemap/0.9",
    "http://www.google.com/schemas/sitemap-news/0.9",
    "es-ES",
    "text/html; charset=shift_jis",
    'quote"inside',
)


def _text() -> st.SearchStrategy[str]:
    pieces = st.one_of(
        st.text(max_size=30),
        st.sampled_from(URLS),
        st.sampled_from(DATES),
        st.sampled_from(ENTITIES),
        st.builds(lambda t: f"<![CDATA[{t}]]>", st.text(max_size=20)),
        st.just("<!-- comment -->"),
        st.just("<?php echo 1 ?>"),
    )
    return st.lists(pieces, max_size=4).map("".join)


def _attributes() -> st.SearchStrategy[str]:
    pair = st.tuples(st.sampled_from(ATTRIBUTES), st.sampled_from(ATTRIBUTE_VALUES) | st.text(max_size=15))
    return st.lists(pair, max_size=3).map(
        lambda pairs: "".join(f' {name}="{value.replace(chr(34), "&quot;")}"' for name, value in pairs)
    )


def _snippets(template: str) -> st.SearchStrategy[str]:
    """The fragment each parser is looking for, with any URL and text: where the bugs hide."""
    return st.builds(template.format, url=st.sampled_from(URLS), text=_text(), date=st.sampled_from(DATES))


FEED_SNIPPETS = (
    "<item><title>{text}</title><link>{url}</link><pubDate>{date}</pubDate></item>",
    '<entry><title>{text}</title><link href="{url}"/><updated>{date}</updated></entry>',
    '<atom:link rel="hub" href="{url}"/>',
    '<link rel="self" href="{url}"/>',
)
SITEMAP_SNIPPETS = (
    "<url><loc>{url}</loc><lastmod>{date}</lastmod></url>",
    "<url><loc>{url}</loc><news:news><news:publication><news:name>{text}</news:name></news:publication>"
    "<news:publication_date>{date}</news:publication_date><news:title>{text}</news:title></news:news></url>",
    "<sitemap><loc>{url}</loc><lastmod>{date}</lastmod></sitemap>",
)
HTML_SNIPPETS = (
    '<a href="{url}">{text}</a>',
    '<a href="{url}"><img alt="{text}"></a>',
    '<link rel="alternate" type="application/rss+xml" href="{url}" title="{text}">',
    '<base href="{url}">',
    '<meta charset="{text}">',
)


def markup(
    tags: list[str], snippets: tuple[str, ...] = (), *, max_leaves: int = 25
) -> st.SearchStrategy[str]:
    """A random tree of `tags` as text (well nested, except when a later truncation cuts it)."""

    def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.builds(
            lambda tag, attrs, inner: f"<{tag}{attrs}>{''.join(inner)}</{tag}>",
            st.sampled_from(tags),
            _attributes(),
            st.lists(children, max_size=4),
        )

    leaves = st.one_of(_text(), *(_snippets(snippet) for snippet in snippets))
    return st.recursive(leaves, element, max_leaves=max_leaves)


@st.composite
def _serialize(draw: st.DrawFn, body: st.SearchStrategy[str], xml: bool) -> bytes:
    """Prolog, DOCTYPE, the body; then an encoding (sometimes mismatching the declaration) and a cut."""
    declared = draw(st.sampled_from(ENCODINGS))
    actual = draw(st.sampled_from((declared, *ENCODINGS)))
    prolog = f'<?xml version="1.0" encoding="{declared}"?>' if xml and draw(st.booleans()) else ""
    text = prolog + draw(st.sampled_from(DOCTYPES)) + draw(body)
    data: bytes = text.encode(actual, errors="replace")
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


def feed_documents() -> st.SearchStrategy[bytes]:
    roots = st.sampled_from(("rss", "feed", "rdf:RDF", "channel"))
    inner = markup(FEED_TAGS, FEED_SNIPPETS)
    body = st.builds(lambda root, attrs, text: f"<{root}{attrs}>{text}</{root}>", roots, _attributes(), inner)
    return _serialize(body, xml=True)


def sitemap_documents() -> st.SearchStrategy[bytes]:
    roots = st.sampled_from(("urlset", "sitemapindex"))
    namespaces = (
        ' xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
    )
    body = st.builds(
        lambda root, ns, inner: f"<{root}{ns}>{inner}</{root}>",
        roots,
        st.sampled_from(("", namespaces)),
        markup(SITEMAP_TAGS, SITEMAP_SNIPPETS),
    )
    plain = _serialize(body, xml=True)
    return st.one_of(plain, plain.map(gzip.compress), plain.map(lambda b: gzip.compress(b)[:-7]))


def html_documents() -> st.SearchStrategy[bytes]:
    return _serialize(markup(HTML_TAGS, HTML_SNIPPETS, max_leaves=40), xml=False)


_JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(URLS),
    st.sampled_from(DATES),
)
_JSON_VALUES = st.recursive(
    _JSON_LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
_JSON_FEED_KEYS = _words(
    "version title home_page_url feed_url items hubs id url external_url date_published "
    "date_modified author authors name summary language type "
)


def json_feeds() -> st.SearchStrategy[bytes]:
    """JSON Feed-shaped objects with fields of any type, plus any JSON at all."""
    keyed = st.recursive(
        _JSON_LEAVES,
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(_JSON_FEED_KEYS), inner, max_size=6)
        ),
        max_leaves=25,
    )
    feed = st.builds(
        lambda extra, version: {**extra, "version": version} if isinstance(extra, dict) else extra,
        keyed,
        st.sampled_from(("https://jsonfeed.org/version/1.1", "https://jsonfeed.org/version/1", "1")),
    )
    return st.one_of(feed, _JSON_VALUES).map(lambda value: json.dumps(value).encode())


def raw_bytes() -> st.SearchStrategy[bytes]:
    return st.binary(max_size=2000)


def feed_bodies() -> st.SearchStrategy[bytes]:
    return st.one_of(feed_documents(), json_feeds(), raw_bytes())


def sitemap_bodies() -> st.SearchStrategy[bytes]:
    return st.one_of(sitemap_documents(), raw_bytes())


def html_bodies() -> st.SearchStrategy[bytes]:
    return st.one_of(html_documents(), raw_bytes())


CONTENT_TYPES = st.sampled_from(
    (
        "",
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
        "application/json",
        "text/xml; charset=utf-8",
        "text/html; charset=latin-1",
        "application/x-gzip",
        "text/plain; charset=bogus",
    )
)


def clean(call: Callable[[], T]) -> T | BabelwireError:
    """Run `call`; a BabelwireError (SourceError, FetchError, ExtractionError) is a clean outcome,
    returned; any other exception propagates: that is a crash the fuzzers report."""
    try:
        return call()
    except BabelwireError as exc:
        return exc
