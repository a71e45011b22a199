"""robots.txt, read the way Google reads it, cached per origin.

protego does the parsing and matching; what it cannot know is what to do when robots.txt
is missing or broken, how long to trust a copy, and how to avoid fetching it a hundred times
when a hundred feeds of one site are polled at once. Those rules live here:

- 2xx: parse it.
- 4xx (but 429), a redirect loop or chain, an undecodable body: there is no usable file, so
  there are no rules and everything is allowed.
- 5xx, 429, timeouts, network errors and refused addresses: the site may be overloaded, so
  nothing is fetched from the origin until a retry (after min(ttl, 10 min)) can read it.
- Larger than `max_robots_bytes`: refused the same way, with the setting to raise. (Google
  reads the first 500 KiB instead; `fetch` stops at the cap and keeps nothing, and a
  robots.txt that big is rare enough that asking the operator beats guessing.)
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
from protego import Protego

from babelwire.config import FetchSettings
from babelwire.fetch import client as http
from babelwire.fetch.errors import FetchError

# How soon an unreadable robots.txt is tried again (capped by robots_ttl).
UNREACHABLE_RETRY = 600.0
# Origins remembered at most; the oldest are forgotten first (and simply fetched again).
MAX_ORIGINS = 50_000
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Failures that mean "there is no usable file" rather than "the site is in trouble".
_NO_RULES_REASONS = frozenset({"redirects", "redirect_loop", "bad_encoding"})


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of an http(s) URL, lower-case and IDNA-encoded; the key for
    robots.txt and per-host limits. Raises FetchError("invalid_url") for anything else."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise FetchError(url, "invalid_url", f"not a valid URL: {exc}") from exc
    scheme = parsed.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise FetchError(url, "invalid_url", f"unsupported URL scheme {scheme!r}; use http or https")
    host = parsed.raw_host.decode("ascii").lower()
    if not host:
        raise FetchError(url, "invalid_url", "the URL has no host name")
    if ":" in host:
        host = f"[{host}]"
    port = parsed.port
    return f"{scheme}://{host}" if port in (None, _DEFAULT_PORTS[scheme]) else f"{scheme}://{host}:{port}"


def product_token(user_agent: str) -> str:
    """The name robots.txt groups address: "babelwire" of "babelwire/0.1 (+https://…)".

    Matching the whole User-Agent header would let a `User-agent: bot` group meant for
    others apply to us through the words of our comment."""
    token = user_agent.strip().split("/", 1)[0].split(None, 1)
    return token[0].lower() if token else user_agent


@dataclass(frozen=True)
class RobotsRules:
    """What one origin's robots.txt says, or why it could not be read."""

    origin: str
    parser: Protego | None = None  # None: no rules (everything allowed) unless unreachable
    unreachable: str | None = None  # why robots.txt could not be read: everything refused for now

    def allows(self, url: str, agent: str) -> bool:
        if self.unreachable is not None:
            return False
        return self.parser is None or self.parser.can_fetch(url, agent)

    def delay(self, agent: str) -> float | None:
        """Seconds between requests the site asks of `agent`: Crawl-delay or Request-rate."""
        if self.parser is None:
            return None
        delays = [self.parser.crawl_delay(agent)]
        rate = self.parser.request_rate(agent)
        if rate is not None:
            delays.append(rate.seconds / rate.requests)
        return max((d for d in delays if d is not None), default=None)


def parse_robots(origin: str, body: bytes) -> RobotsRules:
    text = body.decode("utf-8", errors="replace").removeprefix("\ufeff")
    return RobotsRules(origin, Protego.parse(text))


async def load_robots(client: httpx.AsyncClient, origin: str, settings: FetchSettings) -> RobotsRules:
    """Fetch and interpret `origin`/robots.txt through `fetch`, so the SSRF guard, redirect
    checks, deadline and decompression guard apply to it as to any request."""
    try:
        result = await http.fetch(
            client,
            origin + "/robots.txt",
            settings,
            accept="text/plain, */*;q=0.5",
            max_bytes=settings.max_robots_bytes,
        )
    except FetchError as exc:
        return _rules_after_failure(origin, exc, settings)
    return parse_robots(origin, result.body)


def _rules_after_failure(origin: str, error: FetchError, settings: FetchSettings) -> RobotsRules:
    status = error.reason.removeprefix("http_")
    no_file = status.isdigit() and 300 <= int(status) < 500 and int(status) != 429
    if no_file or error.reason in _NO_RULES_REASONS:
        return RobotsRules(origin)
    if error.reason == "too_large":
        return RobotsRules(
            origin,
            unreachable=f"robots.txt of {origin} is larger than fetch.max_robots_bytes "
            f"({settings.max_robots_bytes} bytes); raise that limit",
        )
    return RobotsRules(origin, unreachable=f"robots.txt could not be read: {error.message}")


class RobotsCache:
    """Rules per origin, each kept for `ttl` seconds (an unreadable one for less).

    The first request to an origin starts one load; requests arriving meanwhile wait for that
    same load, so a site with a hundred feeds sees one robots.txt request, not a hundred.
    """

    def __init__(
        self,
        load: Callable[[str], Awaitable[RobotsRules]],
        *,
        ttl: float,
        max_origins: int = MAX_ORIGINS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._load = load
        self._ttl = ttl
        self._max_origins = max_origins
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, RobotsRules]] = OrderedDict()
        self._pending: dict[str, asyncio.Future[RobotsRules]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    async def rules_for(self, url: str, origin: str | None = None) -> RobotsRules:
        """The rules for `url`; `origin` is origin_of(url) when the caller has it already."""
        origin = origin or origin_of(url)
        entry = self._entries.get(origin)
        if entry is not None and entry[0] > self._clock():
            return entry[1]
        pending = self._pending.get(origin)
        if pending is None:
            pending = asyncio.ensure_future(self._refresh(origin))
            self._pending[origin] = pending
            pending.add_done_callback(lambda done: self._settle(origin, done))
        # shield: one caller giving up (a timeout, a cancelled poll) must not cancel the load
        # the other callers are waiting for.
        return await asyncio.shield(pending)

    async def _refresh(self, origin: str) -> RobotsRules:
        rules = await self._load(origin)
        lifetime = self._ttl if rules.unreachable is None else min(self._ttl, UNREACHABLE_RETRY)
        self._entries[origin] = (self._clock() + lifetime, rules)
        self._entries.move_to_end(origin)
        while len(self._entries) > self._max_origins:
            self._entries.popitem(last=False)
        return rules

    def _settle(self, origin: str, done: asyncio.Future[RobotsRules]) -> None:
        self._pending.pop(origin, None)
        if not done.cancelled():
            done.exception()  # retrieved, so a load nobody awaits any more logs no warning
