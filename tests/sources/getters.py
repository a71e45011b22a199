"""Getters for source tests: the real Fetcher, and one in memory.

`poll_source` and `discover` take any object with Fetcher.get's signature. Tests use the real
Fetcher (loopback allow-listed, against a SiteServer on 127.0.0.1) so real headers, 304s and
content-type checks run; the fuzzing benchmark uses `MemoryGetter` so a million bodies cost no
sockets.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager

from babelwire.config import FetchSettings
from babelwire.fetch.client import FetchResult
from babelwire.fetch.errors import FetchError
from babelwire.fetch.fetcher import Fetcher, open_fetcher

LOOPBACK = FetchSettings(
    allowed_networks=["127.0.0.0/8", "::1/128"],
    connect_timeout=2,
    read_timeout=2,
    total_timeout=5,
    respect_robots=False,
    per_host_interval=0,
)


@asynccontextmanager
async def client_getter(settings: FetchSettings = LOOPBACK) -> AsyncIterator[Fetcher]:
    """The real Fetcher, loopback allow-listed, without robots.txt or per-host pacing."""
    async with open_fetcher(settings) as fetcher:
        yield fetcher


class MemoryGetter:
    """Answers from a mapping url -> (content type, body); other URLs get `fallback`, else a 404."""

    def __init__(
        self, bodies: Mapping[str, tuple[str, bytes]], *, fallback: tuple[str, bytes] | None = None
    ) -> None:
        self.bodies = dict(bodies)
        self.fallback = fallback
        self.urls: list[str] = []

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
        self.urls.append(url)
        found = self.bodies.get(url, self.fallback)
        if found is None:
            raise FetchError(url, "http_404", "server answered HTTP 404")
        content_type, body = found
        return FetchResult(url, url, 200, {"content-type": content_type}, body)
