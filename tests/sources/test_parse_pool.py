"""Feed parsing in worker processes gives exactly what parse_feed gives inline.

Real worker processes (`python -m babelwire.sources.parse_worker`) on real pipes: the test
feeds, the demo site's feeds and a Hypothesis run of hostile bodies go through both paths and
must come out equal, errors included; a killed worker leaves its feeds to the inline parser.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from babelwire.demo.site import load_articles, render_site
from babelwire.domain import FeedItem, FeedPoll
from babelwire.errors import BabelwireError
from babelwire.sources.errors import SourceError
from babelwire.sources.feeds import parse_feed
from babelwire.sources.parse_pool import ParsePool, auto_processes
from babelwire.sources.parse_worker import decode_poll, encode_poll
from tests.sources import fuzz_strategies as fz
from tests.sources.test_feeds import ATOM, RSS

URL = "https://diario.example/feed"
Case = tuple[bytes, str]
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")


def outcome(call: object) -> object:
    """A comparable result: the FeedPoll, or the error's class, reason, message and subject."""
    try:
        return call() if callable(call) else call
    except BabelwireError as exc:
        return (type(exc).__name__, exc.reason, exc.message, exc.subject)


async def through_pool(cases: list[Case], processes: int = 2) -> list[object]:
    async with ParsePool(processes) as pool:

        async def one(body: bytes, content_type: str) -> object:
            try:
                return await pool.parse_feed(body, URL, content_type)
            except BabelwireError as exc:
                return (type(exc).__name__, exc.reason, exc.message, exc.subject)

        return await asyncio.gather(*(one(body, content_type) for body, content_type in cases))


def inline(cases: list[Case]) -> list[object]:
    return [outcome(lambda b=body, c=content_type: parse_feed(b, URL, c)) for body, content_type in cases]


def fixture_cases() -> list[Case]:
    demo = render_site("http://127.0.0.1:8000", tuple(load_articles()))
    cases = [(RSS, "application/rss+xml"), (ATOM, ""), (RSS, "text/xml"), (RSS, "text/plain")]
    cases += [(demo[path].body, demo[path].content_type) for path in ("/rss.xml", "/atom.xml")]
    json_feed = {"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "url": "/a"}]}
    cases.append((json.dumps(json_feed).encode(), "application/feed+json"))
    cases += [(b"<html><body>page</body></html>", "text/html"), (b"", "application/rss+xml")]
    cases.append((b"<rdf:RDF>&#XD800;</rdf:RDF>", ""))  # feedparser's own crash, a SourceError
    return cases


def test_the_pool_parses_fixture_feeds_exactly_as_inline() -> None:
    cases = fixture_cases()
    got = asyncio.run(through_pool(cases))
    assert got == inline(cases)
    assert any(isinstance(result, FeedPoll) and result.items for result in got)
    assert any(isinstance(result, tuple) for result in got)  # errors travel back as errors


def test_the_pool_equals_inline_on_fuzzed_bodies() -> None:
    cases: list[Case] = []

    @settings(max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(fz.feed_bodies(), fz.CONTENT_TYPES)
    def collect(body: bytes, content_type: str) -> None:
        cases.append((body, content_type))

    collect()
    assert asyncio.run(through_pool(cases)) == inline(cases)


@settings(max_examples=200, deadline=None, database=None)
@given(
    st.lists(
        st.tuples(st.text(), st.text(), st.text(), st.none() | st.datetimes(timezones=st.just(UTC)),
                  st.none() | st.text(), st.none() | st.text(), st.lists(st.text(), max_size=3).map(tuple)),
        max_size=5,
    ),
    st.none() | st.text(),
)  # fmt: skip
def test_the_wire_format_round_trips_every_poll(rows: list[tuple[Any, ...]], title: str | None) -> None:
    items = tuple(FeedItem(*row) for row in rows)
    poll = FeedPoll(items=items, title=title, site_url=title, language=title, hub_url=title, self_url=title)
    assert decode_poll(json.loads(json.dumps(encode_poll(poll)))) == poll


def test_a_killed_worker_leaves_its_feeds_to_the_inline_parser() -> None:
    async def scenario() -> tuple[list[FeedPoll], FeedPoll]:
        async with ParsePool(1) as pool:
            first = await pool.parse_feed(RSS, URL, "")
            pool._workers[0].process.kill()
            await pool._workers[0].process.wait()
            later = await asyncio.gather(*(pool.parse_feed(RSS, URL, "") for _ in range(3)))
            return [first, *later], parse_feed(RSS, URL, "")

    results, expected = asyncio.run(scenario())
    assert results == [expected] * 4


def test_a_pool_of_none_parses_inline() -> None:
    async def scenario() -> FeedPoll:
        async with ParsePool(0) as pool:
            return await pool.parse_feed(RSS, URL, "")

    assert asyncio.run(scenario()) == parse_feed(RSS, URL, "")
    with pytest.raises(SourceError):
        asyncio.run(ParsePool(0).parse_feed(b"nope", URL, "text/plain"))


def test_auto_processes_leaves_a_core_to_the_event_loop() -> None:
    assert auto_processes(0) == 0
    assert auto_processes(3) == 3
    assert 0 <= auto_processes(None) <= 4
