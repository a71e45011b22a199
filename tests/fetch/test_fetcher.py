"""The polite fetcher against real local servers: robots.txt, per-host limits, Retry-After.

Timings are measured where they matter, on the server: when each request arrived and how
many were in flight at once.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from babelwire.config import FetchSettings
from babelwire.fetch.errors import FetchError
from babelwire.fetch.fetcher import Fetcher, open_fetcher
from babelwire.fetch.guard import StaticResolver
from tests.fetch.loopback import LoopbackOnlyBackend

pytestmark = pytest.mark.anyio
HOSTS = ("a.test", "b.test")
SETTINGS = FetchSettings(
    connect_timeout=1,
    read_timeout=2,
    total_timeout=4,
    allowed_networks=["127.0.0.0/8"],
    per_host_concurrency=2,
    per_host_interval=0.0,
    max_retry_after=3600,
)


@dataclass(frozen=True)
class Route:
    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class Hit:
    at: float  # time.monotonic() when the request arrived
    method: str
    host: str  # the Host header without the port
    path: str


class RecordingServer:
    """Serves `routes` on 127.0.0.1 for any Host; records each request and the peak number
    of requests in flight per host."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.peak: dict[str, int] = {}
        self._in_flight: dict[str, int] = {}
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]

    def url(self, host: str, path: str) -> str:
        return f"http://{host}:{self.port}{path}"

    def pages(self, host: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.host == host and hit.path != "/robots.txt"]

    def robots_hits(self, host: str) -> int:
        return sum(1 for hit in self.hits if hit.host == host and hit.path == "/robots.txt")

    def enter(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)
            now = self._in_flight[hit.host] = self._in_flight.get(hit.host, 0) + 1
            self.peak[hit.host] = max(self.peak.get(hit.host, 0), now)

    def leave(self, host: str) -> None:
        with self._lock:
            self._in_flight[host] -= 1

    def __enter__(self) -> RecordingServer:
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def _handler(server: RecordingServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self._answer()

        def _answer(self) -> None:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
            server.enter(Hit(time.monotonic(), self.command, host, self.path))
            try:
                route = server.routes.get(self.path, Route(status=404, body=b"not found"))
                time.sleep(route.delay)
                self.send_response(route.status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(route.body)))
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(route.body)
            finally:
                server.leave(host)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    return Handler


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    with RecordingServer() as running:
        yield running


@pytest.fixture
def backend() -> LoopbackOnlyBackend:
    return LoopbackOnlyBackend()


def opened(backend: LoopbackOnlyBackend, **changes: Any) -> Any:
    settings = SETTINGS.model_copy(update=changes)
    resolver = StaticResolver({host: ["127.0.0.1"] for host in HOSTS})
    return open_fetcher(settings, resolver=resolver, network_backend=backend)


@pytest.fixture
async def fetcher(backend: LoopbackOnlyBackend) -> AsyncIterator[Fetcher]:
    async with opened(backend) as polite:
        yield polite


async def gather(*coros: Any) -> list[Any]:
    return list(await asyncio.gather(*coros, return_exceptions=True))


# --- robots.txt ----------------------------------------------------------------------------------


async def test_disallowed_path_is_refused_without_a_request(
    server: RecordingServer, fetcher: Fetcher, backend: LoopbackOnlyBackend
) -> None:
    server.routes["/robots.txt"] = Route(body=b"User-agent: babelwire\nDisallow: /private/\n")
    server.routes["/news"] = Route(body=b"news")
    with pytest.raises(FetchError) as caught:
        await fetcher.get(server.url("a.test", "/private/feed.xml"))
    assert caught.value.reason == "robots_disallowed"
    assert caught.value.message == (
        "robots.txt of a.test forbids /private/feed.xml for babelwire; remove the source or set "
        "fetch.respect_robots = false if you have permission"
    )
    assert (await fetcher.get(server.url("a.test", "/news"))).body == b"news"
    assert [hit.path for hit in server.hits] == ["/robots.txt", "/news"]
    assert {host for host, _ in backend.attempts} == {"127.0.0.1"}


async def test_rules_for_other_agents_do_not_apply(server: RecordingServer, fetcher: Fetcher) -> None:
    server.routes["/robots.txt"] = Route(
        body=b"User-agent: otherbot\nDisallow: /\n\nUser-agent: bot\nDisallow: /\n"
    )
    server.routes["/news"] = Route()
    assert (await fetcher.get(server.url("a.test", "/news"))).status == 200


async def test_missing_robots_allows_everything(server: RecordingServer, fetcher: Fetcher) -> None:
    server.routes["/news"] = Route()
    assert (await fetcher.get(server.url("a.test", "/news"))).status == 200
    assert server.robots_hits("a.test") == 1


async def test_unreadable_robots_refuses_the_host(server: RecordingServer, fetcher: Fetcher) -> None:
    server.routes["/robots.txt"] = Route(status=500, body=b"down")
    server.routes["/news"] = Route()
    with pytest.raises(FetchError) as caught:
        await fetcher.get(server.url("a.test", "/news"))
    error = caught.value
    assert error.reason == "robots_unavailable"
    assert "HTTP 500" in error.message and "fetch.respect_robots = false" in error.message
    assert server.pages("a.test") == []


async def test_respect_robots_off_never_asks(server: RecordingServer, backend: LoopbackOnlyBackend) -> None:
    server.routes["/robots.txt"] = Route(body=b"User-agent: *\nDisallow: /\n")
    server.routes["/news"] = Route()
    async with opened(backend, respect_robots=False) as polite:
        assert (await polite.get(server.url("a.test", "/news"))).status == 200
    assert server.robots_hits("a.test") == 0


async def test_robots_false_skips_the_check_for_one_request(
    server: RecordingServer, fetcher: Fetcher
) -> None:
    server.routes["/robots.txt"] = Route(body=b"User-agent: *\nDisallow: /\n")
    server.routes["/hub-topic"] = Route()
    assert (await fetcher.get(server.url("a.test", "/hub-topic"), robots=False)).status == 200
    assert server.robots_hits("a.test") == 0


async def test_concurrent_first_gets_fetch_robots_once(
    server: RecordingServer, backend: LoopbackOnlyBackend
) -> None:
    server.routes["/robots.txt"] = Route(body=b"User-agent: *\nAllow: /\n", delay=0.1)
    for n in range(12):
        server.routes[f"/feed{n}"] = Route()
    async with opened(backend, per_host_concurrency=4) as polite:
        urls = [server.url(host, f"/feed{n}") for host in HOSTS for n in range(12)]
        results = await gather(*(polite.get(url) for url in urls))
    assert all(getattr(result, "status", None) == 200 for result in results), results
    assert server.robots_hits("a.test") == 1 and server.robots_hits("b.test") == 1


async def test_crawl_delay_spaces_requests_at_the_server(
    server: RecordingServer, backend: LoopbackOnlyBackend
) -> None:
    server.routes["/robots.txt"] = Route(body=b"User-agent: babelwire\nCrawl-delay: 0.3\n")
    for n in range(4):
        server.routes[f"/p{n}"] = Route()
    async with opened(backend, per_host_interval=0.05, per_host_concurrency=4) as polite:
        started = time.monotonic()
        await gather(*(polite.get(server.url("a.test", f"/p{n}")) for n in range(4)))
        took = time.monotonic() - started
    arrivals = [hit.at for hit in server.pages("a.test")]
    assert len(arrivals) == 4
    assert all(later - earlier >= 0.25 for earlier, later in itertools.pairwise(arrivals))
    assert took < 5.0


# --- per-host limits -----------------------------------------------------------------------------


async def test_per_host_concurrency_at_the_server(
    server: RecordingServer, backend: LoopbackOnlyBackend
) -> None:
    for n in range(6):
        server.routes[f"/slow{n}"] = Route(delay=0.25)
    async with opened(backend, per_host_concurrency=2, respect_robots=False) as polite:
        await gather(*(polite.get(server.url("a.test", f"/slow{n}")) for n in range(6)))
    assert len(server.pages("a.test")) == 6
    assert server.peak["a.test"] == 2


async def test_two_hosts_do_not_wait_for_each_other(
    server: RecordingServer, backend: LoopbackOnlyBackend
) -> None:
    for n in range(3):
        server.routes[f"/p{n}"] = Route()
    async with opened(backend, per_host_interval=0.6, respect_robots=False) as polite:
        started = time.monotonic()
        await gather(
            *(polite.get(server.url("a.test", f"/p{n}")) for n in range(3)),
            polite.get(server.url("b.test", "/p0")),
        )
    a_arrivals = [hit.at - started for hit in server.pages("a.test")]
    b_arrivals = [hit.at - started for hit in server.pages("b.test")]
    assert a_arrivals[-1] >= 1.15  # a.test's three requests are spaced 0.6 s apart
    assert b_arrivals[0] < 0.45  # b.test did not queue behind them


# --- Retry-After ---------------------------------------------------------------------------------


async def test_retry_after_seconds_pauses_the_host(server: RecordingServer, fetcher: Fetcher) -> None:
    server.routes["/feed"] = Route(status=429, headers={"Retry-After": "120"})
    server.routes["/other"] = Route()
    with pytest.raises(FetchError) as first:
        await fetcher.get(server.url("a.test", "/feed"))
    assert first.value.reason == "http_429" and first.value.retry_after == 120
    began = time.monotonic()
    with pytest.raises(FetchError) as second:
        await fetcher.get(server.url("a.test", "/other"))
    assert time.monotonic() - began < 0.1
    error = second.value
    assert error.reason == "host_backoff" and error.retry_after is not None and 118 < error.retry_after <= 120
    assert re.search(r"the server asked us to wait until \d\d:\d\d:\d\d UTC$", error.message)
    assert [hit.path for hit in server.pages("a.test")] == ["/feed"]  # no request while paused
    assert (await fetcher.get(server.url("b.test", "/other"))).status == 200  # other hosts go on


async def test_retry_after_http_date(server: RecordingServer, fetcher: Fetcher) -> None:
    when = datetime.now(UTC) + timedelta(seconds=30)
    server.routes["/feed"] = Route(status=503, headers={"Retry-After": format_datetime(when, usegmt=True)})
    with pytest.raises(FetchError):
        await fetcher.get(server.url("a.test", "/feed"))
    with pytest.raises(FetchError) as caught:
        await fetcher.get(server.url("a.test", "/feed"))
    assert caught.value.reason == "host_backoff"
    assert caught.value.retry_after is not None and 25 < caught.value.retry_after <= 30
    assert f"{when:%H:%M:%S}" in caught.value.message or f"{when - timedelta(seconds=1):%H:%M:%S}" in (
        caught.value.message
    )


async def test_a_post_answered_429_pauses_the_host(server: RecordingServer, fetcher: Fetcher) -> None:
    server.routes["/hub"] = Route(status=429, headers={"Retry-After": "120"})
    server.routes["/feed"] = Route()
    result = await fetcher.post_form(server.url("a.test", "/hub"), {"hub.mode": "subscribe"})
    assert result.status == 429  # the hub's answer comes back, whatever its status
    with pytest.raises(FetchError) as caught:
        await fetcher.get(server.url("a.test", "/feed"))
    assert caught.value.reason == "host_backoff"
    assert caught.value.retry_after is not None and 118 < caught.value.retry_after <= 120
    assert [hit.path for hit in server.pages("a.test")] == ["/hub"]


async def test_the_pause_ends(server: RecordingServer, fetcher: Fetcher) -> None:
    server.routes["/feed"] = Route(status=429, headers={"Retry-After": "1"})
    with pytest.raises(FetchError):
        await fetcher.get(server.url("a.test", "/feed"))
    server.routes["/feed"] = Route()
    await asyncio.sleep(1.05)
    assert (await fetcher.get(server.url("a.test", "/feed"))).status == 200


async def test_retry_after_is_capped(server: RecordingServer, backend: LoopbackOnlyBackend) -> None:
    server.routes["/feed"] = Route(status=429, headers={"Retry-After": "999999"})
    async with opened(backend, max_retry_after=5) as polite:
        with pytest.raises(FetchError):
            await polite.get(server.url("a.test", "/feed"))
        with pytest.raises(FetchError) as caught:
            await polite.get(server.url("a.test", "/feed"))
    assert caught.value.retry_after is not None and caught.value.retry_after <= 5


async def test_503_without_retry_after_does_not_pause(server: RecordingServer, fetcher: Fetcher) -> None:
    server.routes["/feed"] = Route(status=503)
    for _ in range(2):
        with pytest.raises(FetchError) as caught:
            await fetcher.get(server.url("a.test", "/feed"))
        assert caught.value.reason == "http_503"


# --- POST and lifetime ---------------------------------------------------------------------------


async def test_post_form_obeys_and_sets_the_host_pause(server: RecordingServer, fetcher: Fetcher) -> None:
    server.routes["/hub"] = Route(status=429, body=b"", headers={"Retry-After": "60"})
    form = {"hub.mode": "subscribe", "hub.topic": "https://a.test/feed"}
    assert (await fetcher.post_form(server.url("a.test", "/hub"), form)).status == 429
    with pytest.raises(FetchError) as caught:
        await fetcher.post_form(server.url("a.test", "/hub"), form)
    assert caught.value.reason == "host_backoff"
    with pytest.raises(FetchError):
        await fetcher.get(server.url("a.test", "/feed"))
    assert [hit.method for hit in server.pages("a.test")] == ["POST"]


async def test_open_fetcher_closes_its_client(backend: LoopbackOnlyBackend) -> None:
    async with opened(backend) as polite:
        assert not polite.client.is_closed
    assert polite.client.is_closed


async def test_invalid_url_is_a_fetch_error(fetcher: Fetcher) -> None:
    with pytest.raises(FetchError) as caught:
        await fetcher.get("ftp://a.test/feed")
    assert caught.value.reason == "invalid_url"
