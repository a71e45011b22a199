"""Keep-alive per origin (fetch/pools.py): one connection per host across many hosts, bounded idle
connections, expiry, and every connection still opened through the SSRF guard."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpcore
import pytest

from babelwire.config import FetchSettings
from babelwire.demo.server import Response, SiteServer
from babelwire.fetch.client import fetch, make_client
from babelwire.fetch.errors import FetchError
from babelwire.fetch.guard import AddressPolicy, GuardedBackend, StaticResolver
from babelwire.fetch.pools import OriginPools
from tests.fetch.loopback import LoopbackOnlyBackend

HOSTS = [f"h{n}.pool.test" for n in range(20)]
RESOLVER = StaticResolver({**{host: ["127.0.0.1"] for host in HOSTS}, "inside.pool.test": ["10.0.0.7"]})
SETTINGS = FetchSettings(
    allowed_networks=["127.0.0.1/32"], connect_timeout=2, read_timeout=2, total_timeout=3
)


@pytest.fixture
def server() -> Iterator[SiteServer]:
    with SiteServer({"/feed": Response(content_type="application/rss+xml", body=b"<rss/>")}) as running:
        yield running


def test_a_round_over_many_hosts_opens_one_connection_per_host(server: SiteServer) -> None:
    """Hosts visited in turn, twice (as a polling round does): the second visit reuses the first's
    connection, although there are more hosts than fetch.concurrency."""
    backend = LoopbackOnlyBackend()
    urls = [f"http://{host}:{server.port}/feed" for host in HOSTS]

    async def go() -> list[int]:
        async with make_client(SETTINGS, resolver=RESOLVER, network_backend=backend) as client:
            return [(await fetch(client, url, SETTINGS)).status for url in urls + urls]

    assert asyncio.run(go()) == [200] * 40
    assert len(backend.attempts) == len(HOSTS)
    assert set(backend.hosts()) == {"127.0.0.1"}


def test_a_kept_connection_serves_its_own_origin_only(server: SiteServer) -> None:
    """Same address, other host name (or port): a connection of its own, checked by the guard."""
    backend = LoopbackOnlyBackend()

    async def go() -> None:
        async with make_client(SETTINGS, resolver=RESOLVER, network_backend=backend) as client:
            await fetch(client, f"http://{HOSTS[0]}:{server.port}/feed", SETTINGS)
            await fetch(client, f"http://{HOSTS[1]}:{server.port}/feed", SETTINGS)
            with pytest.raises(FetchError) as caught:  # a name resolving inside is still refused
                await fetch(client, f"http://inside.pool.test:{server.port}/feed", SETTINGS)
            assert caught.value.reason == "blocked_address"
            await fetch(client, f"http://{HOSTS[0]}:{server.port}/feed", SETTINGS)

    asyncio.run(go())
    assert len(backend.attempts) == 2


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def pools(
    clock: Clock, *, max_idle: int = 100, expiry: float = 15.0
) -> tuple[OriginPools, LoopbackOnlyBackend]:
    backend = LoopbackOnlyBackend()
    guarded = GuardedBackend(AddressPolicy.from_settings(SETTINGS), RESOLVER, backend)
    made = OriginPools(
        network_backend=guarded,
        ssl_context=None,
        max_connections=4,
        max_keepalive=2,
        max_idle=max_idle,
        keepalive_expiry=expiry,
        clock=clock,
    )
    return made, backend


async def get(origin_pools: OriginPools, url: str) -> bytes:
    host = httpcore.URL(url).host + b":" + str(httpcore.URL(url).port).encode()
    response = await origin_pools.handle_async_request(
        httpcore.Request("GET", url, headers=[(b"Host", host)])
    )
    try:
        return await response.aread()
    finally:
        await response.aclose()


def test_idle_connections_beyond_the_cap_close_least_recently_used_first(server: SiteServer) -> None:
    clock = Clock()
    origin_pools, backend = pools(clock, max_idle=5)

    async def go() -> None:
        async with origin_pools:
            for host in HOSTS[:10]:
                clock.now += 1
                assert await get(origin_pools, f"http://{host}:{server.port}/feed") == b"<rss/>"
                assert origin_pools.idle_connections <= 6  # the cap, plus the one just released
            assert len(origin_pools) <= 6
            await get(origin_pools, f"http://{HOSTS[9]}:{server.port}/feed")  # the newest is kept
            assert len(backend.attempts) == 10
            await get(origin_pools, f"http://{HOSTS[0]}:{server.port}/feed")  # the oldest was closed
            assert len(backend.attempts) == 11

    asyncio.run(go())


def test_pools_idle_past_the_expiry_are_closed(server: SiteServer) -> None:
    clock = Clock()
    origin_pools, backend = pools(clock, expiry=15.0)

    async def go() -> None:
        async with origin_pools:
            for host in HOSTS[:3]:
                await get(origin_pools, f"http://{host}:{server.port}/feed")
            clock.now = 10.0
            await get(origin_pools, f"http://{HOSTS[0]}:{server.port}/feed")  # reused, kept fresh
            assert (len(origin_pools), len(backend.attempts)) == (3, 3)
            clock.now = 20.0
            await get(origin_pools, f"http://{HOSTS[3]}:{server.port}/feed")
            assert len(origin_pools) == 2  # h1 and h2 idle for 20 s: closed
            assert origin_pools.idle_connections == 2

    asyncio.run(go())


def test_a_failed_request_leaves_its_origin_closable(server: SiteServer) -> None:
    clock = Clock()
    origin_pools, _ = pools(clock, expiry=15.0)

    async def go() -> None:
        async with origin_pools:
            with pytest.raises(httpcore.ConnectError):  # nothing listens on 127.0.0.1:1
                await get(origin_pools, f"http://{HOSTS[0]}:1/feed")
            clock.now = 20.0
            await get(origin_pools, f"http://{HOSTS[1]}:{server.port}/feed")
            assert len(origin_pools) == 1  # the failed origin held no request any more

    asyncio.run(go())
