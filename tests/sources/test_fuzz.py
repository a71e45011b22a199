"""Fuzzing every parser a stranger's bytes reach: a result or a BabelwireError, never a crash.

CI-sized (200 examples a target); benchmarks/fuzz_sources.py runs the same strategies
10,000+ times through the poller.
"""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from babelwire.domain import Document, FeedPoll, Page, Source, SourceKind
from babelwire.errors import BabelwireError
from babelwire.extract import extract_document
from babelwire.fetch.encoding import decode_html
from babelwire.sources.discover import FeedLink, feed_links
from babelwire.sources.feeds import parse_feed
from babelwire.sources.index_page import article_links
from babelwire.sources.jsonfeed import parse_json_feed
from babelwire.sources.poll import poll_source
from babelwire.sources.sitemap import Sitemap, parse_sitemap
from babelwire.sources.urls import host_of
from tests.sources import fuzz_strategies as fz
from tests.sources.getters import MemoryGetter

FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
URL = fz.SITE + "/source"
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")


def _http(url: str) -> bool:
    return url.startswith(("http://", "https://")) and len(url) <= 2000


@FUZZ
@given(fz.feed_bodies(), fz.CONTENT_TYPES)
def test_parse_feed(body: bytes, content_type: str) -> None:
    outcome = fz.clean(lambda: parse_feed(body, URL, content_type))
    assert isinstance(outcome, FeedPoll | BabelwireError)
    if isinstance(outcome, FeedPoll):
        assert all(_http(item.url) for item in outcome.items)
        assert outcome.hub_url is None or _http(outcome.hub_url)


@FUZZ
@given(st.one_of(fz.json_feeds(), fz.raw_bytes()))
def test_parse_json_feed(body: bytes) -> None:
    outcome = fz.clean(lambda: parse_json_feed(body, URL))
    assert isinstance(outcome, FeedPoll | BabelwireError)


@FUZZ
@given(fz.sitemap_bodies())
def test_parse_sitemap(body: bytes) -> None:
    outcome = fz.clean(lambda: parse_sitemap(body, URL))
    assert isinstance(outcome, Sitemap | BabelwireError)
    if isinstance(outcome, Sitemap):
        hosts = {host_of(item.url) for item in outcome.items} | {host_of(c.url) for c in outcome.children}
        assert all(host == "fuzz.example" or host.endswith(".fuzz.example") for host in hosts)


@FUZZ
@given(fz.html_bodies(), st.sampled_from([None, r"/\d{4}/", "noticia", "(unclosed", "(a+)+$"]))
def test_article_links(body: bytes, pattern: str | None) -> None:
    outcome = fz.clean(lambda: article_links(body, URL, pattern))
    assert isinstance(outcome, list | BabelwireError)
    if isinstance(outcome, list):
        assert all(_http(item.url) and host_of(item.url) == "fuzz.example" for item in outcome)


@FUZZ
@given(fz.html_bodies())
def test_feed_links(body: bytes) -> None:
    outcome = fz.clean(lambda: feed_links(body, URL))
    assert isinstance(outcome, list | BabelwireError)
    if isinstance(outcome, list):
        assert all(isinstance(link, FeedLink) and _http(link.url) for link in outcome)


@settings(FUZZ, max_examples=100)
@given(fz.html_bodies(), fz.CONTENT_TYPES)
def test_extract_document(body: bytes, content_type: str) -> None:
    html = decode_html(body, content_type)
    page = Page(url=URL, final_url=URL, status=200, content_type="text/html", html=html)
    outcome = fz.clean(lambda: extract_document(page))
    assert isinstance(outcome, Document | BabelwireError)


@settings(FUZZ, max_examples=100)
@given(st.sampled_from(list(SourceKind)), st.one_of(fz.feed_bodies(), fz.sitemap_bodies(), fz.html_bodies()))
def test_poll_source_dispatch(kind: SourceKind, body: bytes) -> None:
    """The run loop's own entry point: child sitemaps named in the body get the same body back."""
    getter = MemoryGetter({}, fallback=("text/xml", body))
    source = Source(name="fuzz", url=URL, kind=kind)
    outcome = fz.clean(lambda: asyncio.run(poll_source(getter, source)))
    assert isinstance(outcome, FeedPoll | BabelwireError)
