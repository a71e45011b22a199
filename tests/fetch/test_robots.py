"""robots.txt: Google's reading of status codes, the size cap, and one load per origin."""

from __future__ import annotations

import asyncio
import gzip
import socket
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from babelwire.config import FetchSettings
from babelwire.demo.server import Response, SiteServer
from babelwire.fetch.client import make_client
from babelwire.fetch.errors import FetchError
from babelwire.fetch.guard import StaticResolver
from babelwire.fetch.robots import (
    UNREACHABLE_RETRY,
    RobotsCache,
    RobotsRules,
    load_robots,
    origin_of,
    parse_robots,
    product_token,
)
from tests.fetch.loopback import LoopbackOnlyBackend

pytestmark = pytest.mark.anyio
AGENT = "babelwire"
SETTINGS = FetchSettings(
    connect_timeout=1,
    read_timeout=2,
    total_timeout=3,
    max_robots_bytes=4096,
    max_redirects=3,
    allowed_networks=["127.0.0.0/8"],
)
TEXT = "text/plain; charset=utf-8"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def server() -> Iterator[SiteServer]:
    with SiteServer() as running:
        yield running


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """The guarded client (as the fetcher uses), connecting to loopback only."""
    opened = make_client(SETTINGS, resolver=StaticResolver({}), network_backend=LoopbackOnlyBackend())
    async with opened:
        yield opened


def robots(body: str, status: int = 200) -> Response:
    return Response(status=status, content_type=TEXT, body=body.encode())


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_agent", "token"),
    [
        ("babelwire/0.1 (+https://github.com/babelwire/babelwire; news translation bot)", "babelwire"),
        ("BabelWire", "babelwire"),
        ("  babelwire-test/2  ", "babelwire-test"),
    ],
)
def test_product_token(user_agent: str, token: str) -> None:
    assert product_token(user_agent) == token


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://Example.COM/a/b?c=d", "https://example.com"),
        ("https://example.com:443/", "https://example.com"),
        ("http://example.com:8080/x", "http://example.com:8080"),
        ("http://[::1]:8080/x", "http://[::1]:8080"),
        ("http://bücher.de/feed", "http://xn--bcher-kva.de"),
    ],
)
def test_origin_of(url: str, origin: str) -> None:
    assert origin_of(url) == origin


@pytest.mark.parametrize(
    "url", ["ftp://example.com/x", "http:///path", "file:///etc/passwd", "http://:80/", "mailto:a@b.c"]
)
def test_origin_of_refuses_non_http_urls(url: str) -> None:
    with pytest.raises(FetchError) as caught:
        origin_of(url)
    assert caught.value.reason == "invalid_url"


# --- rules ---------------------------------------------------------------------------------------


def test_rules_for_our_group_and_the_rest() -> None:
    rules = parse_robots(
        "https://example.com",
        b"User-agent: *\nDisallow: /\n\nUser-agent: babelwire\nDisallow: /private/\nCrawl-delay: 2.5\n",
    )
    assert rules.allows("https://example.com/news/1", AGENT)
    assert not rules.allows("https://example.com/private/x", AGENT)
    assert not rules.allows("https://example.com/news/1", "otherbot")
    assert rules.delay(AGENT) == 2.5


def test_a_group_for_bot_does_not_catch_us_through_our_comment() -> None:
    rules = parse_robots("https://example.com", b"User-agent: bot\nDisallow: /\n")
    full_header = FetchSettings().user_agent
    assert rules.allows("https://example.com/a", product_token(full_header))


def test_request_rate_becomes_a_delay() -> None:
    rules = parse_robots("https://example.com", b"User-agent: *\nRequest-rate: 1/10s\nCrawl-delay: 3\n")
    assert rules.delay(AGENT) == 10


def test_utf8_bom_and_garbage_are_tolerated() -> None:
    rules = parse_robots("https://example.com", b"\xef\xbb\xbfUser-agent: *\nDisallow: /x\n\xff\xfe\x00junk")
    assert not rules.allows("https://example.com/x", AGENT)
    assert rules.allows("https://example.com/y", AGENT)


def test_unreachable_refuses_everything() -> None:
    rules = RobotsRules("https://example.com", unreachable="robots.txt answered HTTP 503")
    assert not rules.allows("https://example.com/", AGENT)


# --- loading over HTTP ---------------------------------------------------------------------------


async def test_2xx_is_parsed(server: SiteServer, client: httpx.AsyncClient) -> None:
    server.set_route("/robots.txt", robots("User-agent: *\nDisallow: /private\n"))
    rules = await load_robots(client, server.base_url, SETTINGS)
    assert rules.unreachable is None
    assert not rules.allows(server.url("/private/1"), AGENT)
    assert rules.allows(server.url("/news/1"), AGENT)


@pytest.mark.parametrize("status", [401, 403, 404, 410])
async def test_4xx_allows_everything(server: SiteServer, client: httpx.AsyncClient, status: int) -> None:
    server.set_route("/robots.txt", robots("User-agent: *\nDisallow: /\n", status=status))
    rules = await load_robots(client, server.base_url, SETTINGS)
    assert rules.unreachable is None and rules.allows(server.url("/anything"), AGENT)


@pytest.mark.parametrize("status", [429, 500, 503])
async def test_5xx_and_429_refuse_everything(
    server: SiteServer, client: httpx.AsyncClient, status: int
) -> None:
    server.set_route("/robots.txt", robots("oops", status=status))
    rules = await load_robots(client, server.base_url, SETTINGS)
    assert rules.unreachable is not None and f"server answered HTTP {status}" in rules.unreachable
    assert not rules.allows(server.url("/news/1"), AGENT)


async def test_network_error_refuses_everything(client: httpx.AsyncClient) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    rules = await load_robots(client, f"http://127.0.0.1:{port}", SETTINGS)
    assert rules.unreachable is not None and "cannot connect" in rules.unreachable


async def test_redirects_are_followed(server: SiteServer, client: httpx.AsyncClient) -> None:
    server.set_route("/robots.txt", Response(status=301, headers={"Location": "/real-robots.txt"}))
    server.set_route("/real-robots.txt", robots("User-agent: *\nDisallow: /x\n"))
    rules = await load_robots(client, server.base_url, SETTINGS)
    assert not rules.allows(server.url("/x"), AGENT)


async def test_redirect_loop_means_no_rules(server: SiteServer, client: httpx.AsyncClient) -> None:
    server.set_route("/robots.txt", Response(status=302, headers={"Location": "/robots.txt?again"}))
    server.set_route("/robots.txt?again", Response(status=302, headers={"Location": "/robots.txt"}))
    rules = await load_robots(client, server.base_url, SETTINGS)
    assert rules.unreachable is None and rules.allows(server.url("/x"), AGENT)


async def test_robots_on_a_blocked_address_refuses_everything() -> None:
    strict = SETTINGS.model_copy(update={"allowed_networks": []})
    backend = LoopbackOnlyBackend()
    async with make_client(strict, resolver=StaticResolver({}), network_backend=backend) as guarded:
        rules = await load_robots(guarded, "http://127.0.0.1:9", strict)
    assert rules.unreachable is not None and "a loopback address" in rules.unreachable
    assert not backend.attempts


async def test_huge_robots_is_refused_with_the_setting_to_raise(
    server: SiteServer, client: httpx.AsyncClient
) -> None:
    body = "User-agent: *\nDisallow: /early\n" + "# filler line\n" * 2000 + "Disallow: /late\n"
    server.set_route("/robots.txt", robots(body))
    rules = await load_robots(client, server.base_url, SETTINGS)
    assert not rules.allows(server.url("/early"), AGENT)
    assert rules.unreachable is not None and "fetch.max_robots_bytes (4096 bytes)" in rules.unreachable


async def test_gzip_bomb_robots_is_refused(server: SiteServer, client: httpx.AsyncClient) -> None:
    bomb = gzip.compress(b"User-agent: *\nAllow: /\n" + b"#" * (50 * 1024 * 1024), compresslevel=9)
    server.set_route(
        "/robots.txt", Response(content_type=TEXT, body=bomb, headers={"Content-Encoding": "gzip"})
    )
    rules = await load_robots(client, server.base_url, SETTINGS)
    assert rules.unreachable is not None and "fetch.max_robots_bytes" in rules.unreachable
    assert not rules.allows(server.url("/x"), AGENT)


async def test_undecodable_robots_means_no_rules(server: SiteServer, client: httpx.AsyncClient) -> None:
    garbage = b"\x1f\x8b\x08\x00garbage" * 20
    server.set_route(
        "/robots.txt", Response(content_type=TEXT, body=garbage, headers={"Content-Encoding": "gzip"})
    )
    rules = await load_robots(client, server.base_url, SETTINGS)
    assert rules.unreachable is None and rules.allows(server.url("/x"), AGENT)


# --- the cache -----------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class CountingLoader:
    """Loads canned rules, slowly enough that concurrent callers overlap."""

    def __init__(self, rules: RobotsRules | None = None) -> None:
        self.calls: list[str] = []
        self.rules = rules

    async def __call__(self, origin: str) -> RobotsRules:
        self.calls.append(origin)
        await asyncio.sleep(0.05)
        return self.rules or RobotsRules(origin)


async def test_concurrent_first_requests_load_once() -> None:
    loader = CountingLoader()
    cache = RobotsCache(loader, ttl=3600)
    urls = [f"https://example.com/feed/{n}" for n in range(50)] + ["https://other.org/a"]
    await asyncio.gather(*(cache.rules_for(url) for url in urls))
    assert sorted(loader.calls) == ["https://example.com", "https://other.org"]


async def test_rules_expire_after_the_ttl() -> None:
    loader, clock = CountingLoader(), Clock()
    cache = RobotsCache(loader, ttl=3600, clock=clock)
    await cache.rules_for("https://example.com/a")
    clock.now += 3599
    await cache.rules_for("https://example.com/b")
    assert len(loader.calls) == 1
    clock.now += 2
    await cache.rules_for("https://example.com/c")
    assert len(loader.calls) == 2


async def test_unreachable_robots_is_retried_soon() -> None:
    loader, clock = CountingLoader(RobotsRules("https://example.com", unreachable="HTTP 503")), Clock()
    cache = RobotsCache(loader, ttl=86400, clock=clock)
    await cache.rules_for("https://example.com/a")
    clock.now += UNREACHABLE_RETRY + 1
    await cache.rules_for("https://example.com/a")
    assert len(loader.calls) == 2


async def test_a_cancelled_caller_does_not_cancel_the_load_for_others() -> None:
    loader = CountingLoader()
    cache = RobotsCache(loader, ttl=3600)
    impatient = asyncio.ensure_future(cache.rules_for("https://example.com/a"))
    patient = asyncio.ensure_future(cache.rules_for("https://example.com/b"))
    await asyncio.sleep(0.01)
    impatient.cancel()
    assert (await patient).origin == "https://example.com"
    assert len(loader.calls) == 1


async def test_a_failing_load_reaches_every_caller_and_is_not_cached() -> None:
    async def failing(origin: str) -> RobotsRules:
        await asyncio.sleep(0.01)
        raise FetchError(origin, "host_backoff", "wait")

    cache = RobotsCache(failing, ttl=3600)
    results = await asyncio.gather(
        *(cache.rules_for(f"https://example.com/{n}") for n in range(3)), return_exceptions=True
    )
    assert all(isinstance(r, FetchError) for r in results)
    assert len(cache) == 0


async def test_memory_is_bounded_by_max_origins() -> None:
    cache = RobotsCache(CountingLoader(), ttl=3600, max_origins=100)
    await asyncio.gather(*(cache.rules_for(f"https://host{n}.example/") for n in range(1000)))
    assert len(cache) == 100
