"""The polite fetcher every stage uses: robots.txt, per-host limits and Retry-After around
the guarded client, so no caller can forget one of them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import httpcore
import httpx

from babelwire.config import FetchSettings
from babelwire.fetch import client as http
from babelwire.fetch.client import FetchResult
from babelwire.fetch.errors import FetchError
from babelwire.fetch.guard import Resolver
from babelwire.fetch.politeness import HostLimiter
from babelwire.fetch.retry_after import retry_after_of
from babelwire.fetch.robots import RobotsCache, RobotsRules, load_robots, origin_of, product_token


class Fetcher:
    """GET and POST through one client, obeying robots.txt and each host's limits.

    A FetchError carrying `retry_after` (a 429 or 503 with Retry-After) pauses the whole
    host: later requests to it fail at once with "host_backoff" until the pause is over.
    """

    def __init__(self, client: httpx.AsyncClient, settings: FetchSettings) -> None:
        self.client = client
        self.settings = settings
        self.agent = product_token(settings.user_agent)
        self.limiter = HostLimiter.from_settings(settings)
        self.robots = RobotsCache(self._load_robots, ttl=settings.robots_ttl)

    async def get(
        self,
        url: str,
        *,
        accept: str = "*/*",
        etag: str | None = None,
        last_modified: str | None = None,
        allowed_types: Sequence[str] | None = None,
        max_bytes: int | None = None,
        robots: bool = True,
    ) -> FetchResult:
        """GET `url` politely; `robots=False` skips robots.txt (for URLs a site gave us to
        call, such as a WebSub hub), never the per-host limits."""
        key = origin_of(url)
        self.limiter.check(key, url)
        crawl_delay = None
        if robots and self.settings.respect_robots:
            rules = await self.robots.rules_for(url, key)
            self._require_allowed(rules, url)
            crawl_delay = rules.delay(self.agent)
        async with self._request(key, url, crawl_delay):
            return await http.fetch(
                self.client,
                url,
                self.settings,
                etag=etag,
                last_modified=last_modified,
                accept=accept,
                allowed_types=allowed_types,
                max_bytes=max_bytes,
            )

    async def post_form(self, url: str, data: Mapping[str, str]) -> FetchResult:
        """POST a form (WebSub hub requests), under the same per-host limits as GETs.

        The hub's answer comes back whatever its status; a 429/503 with Retry-After still
        pauses the host, as it would for a GET."""
        key = origin_of(url)
        async with self._request(key, url, None):
            result = await http.post_form(self.client, url, data, self.settings)
        seconds = retry_after_of(result.status, result.headers, self.settings.max_retry_after)
        if seconds is not None:
            self.limiter.back_off(key, seconds)
        return result

    @asynccontextmanager
    async def _request(self, key: str, url: str, crawl_delay: float | None) -> AsyncIterator[None]:
        """A host slot around one request; a Retry-After in its failure pauses the host."""
        async with self.limiter.slot(key, url, crawl_delay=crawl_delay):
            try:
                yield
            except FetchError as exc:
                if exc.retry_after is not None:
                    self.limiter.back_off(key, exc.retry_after)
                raise

    async def _load_robots(self, origin: str) -> RobotsRules:
        """robots.txt is a request to the host like any other: it takes a slot and a start time."""
        async with self.limiter.slot(origin, origin + "/robots.txt"):
            return await load_robots(self.client, origin, self.settings)

    def _require_allowed(self, rules: RobotsRules, url: str) -> None:
        if rules.allows(url, self.agent):
            return
        host = urlsplit(url).hostname or rules.origin
        if rules.unreachable is not None:
            raise FetchError(
                url,
                "robots_unavailable",
                f"{rules.unreachable}; babelwire fetches nothing from {host} until its robots.txt "
                "can be read (retried within 10 minutes), or set fetch.respect_robots = false "
                "if you have permission",
            )
        path = urlsplit(url).path or "/"
        raise FetchError(
            url,
            "robots_disallowed",
            f"robots.txt of {host} forbids {path} for {self.agent}; remove the source or set "
            "fetch.respect_robots = false if you have permission",
        )


@asynccontextmanager
async def open_fetcher(
    settings: FetchSettings,
    *,
    resolver: Resolver | None = None,
    network_backend: httpcore.AsyncNetworkBackend | None = None,
) -> AsyncIterator[Fetcher]:
    """A Fetcher with its own guarded client, closed on exit."""
    async with http.make_client(settings, resolver=resolver, network_backend=network_backend) as client:
        yield Fetcher(client, settings)
