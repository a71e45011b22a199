"""Per-host politeness: a few requests at a time, spaced out, and a pause when a host asks.

Written by hand because no maintained asyncio library keys limits by host with lazily
created, self-expiring state: aiolimiter is one global bucket, and one semaphore or bucket
per host kept for ever grows without bound across 10,000 feeds. Here a host's state lives
only while it is in use, spacing its requests, or asking us to wait; idle state is swept
away in amortized O(1). No background task per host, and waiting on one host never holds
a lock that another host needs.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from babelwire.config import FetchSettings
from babelwire.fetch.errors import FetchError

# A robots.txt Crawl-delay above this is read as this: one request a minute per host is
# already very gentle, and a longer wait would stall a whole polling round behind one site.
MAX_CRAWL_DELAY = 60.0
# Idle state is swept after this many releases, or after releases for half the table if more:
# each sweep costs one pass over the table, paid for by as many releases (amortized O(1)).
_SWEEP_FLOOR = 1024


@dataclass
class _Host:
    slots: asyncio.Semaphore
    users: int = 0  # requests waiting for or holding a slot
    next_start: float = 0.0  # monotonic time before which no request may start
    blocked_until: float = 0.0  # monotonic end of a Retry-After pause


class HostLimiter:
    """At most `concurrency` requests in flight per host key, starts at least `interval` apart,
    and no request at all while the host's Retry-After pause lasts."""

    def __init__(
        self,
        concurrency: int,
        interval: float,
        *,
        max_retry_after: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.concurrency = max(1, concurrency)
        self.interval = max(0.0, interval)
        self.max_retry_after = max_retry_after
        self._clock = clock
        self._hosts: dict[str, _Host] = {}
        self._releases = 0  # since the last sweep

    @classmethod
    def from_settings(cls, settings: FetchSettings) -> HostLimiter:
        return cls(
            settings.per_host_concurrency,
            settings.per_host_interval,
            max_retry_after=float(settings.max_retry_after),
        )

    def __len__(self) -> int:
        """Hosts whose state is held right now (for tests and memory checks)."""
        return len(self._hosts)

    def check(self, key: str, url: str) -> None:
        """Raise FetchError("host_backoff") while `key` has asked us to wait."""
        host = self._hosts.get(key)
        if host is None:
            return
        remaining = host.blocked_until - self._clock()
        if remaining > 0:
            raise FetchError(
                url,
                "host_backoff",
                f"not fetched: {key} asked us to slow down (HTTP 429/503); "
                f"the server asked us to wait until {_wall_time_in(remaining)} UTC",
                retry_after=remaining,
            )

    def back_off(self, key: str, seconds: float) -> None:
        """Pause `key` for `seconds` (capped at max_retry_after), as its Retry-After asked."""
        seconds = min(seconds, self.max_retry_after)
        if seconds <= 0:
            return
        host = self._host(key)
        host.blocked_until = max(host.blocked_until, self._clock() + seconds)

    @asynccontextmanager
    async def slot(self, key: str, url: str, *, crawl_delay: float | None = None) -> AsyncIterator[None]:
        """Hold one of `key`'s request slots from the request's start to its end.

        The start time is reserved before sleeping, so concurrent callers queue up at
        successive start times instead of all waking together. Raises host_backoff if the
        host asks us to wait while this request is queued."""
        self.check(key, url)
        host = self._host(key)
        host.users += 1
        try:
            await host.slots.acquire()
            try:
                spacing = max(self.interval, min(crawl_delay or 0.0, MAX_CRAWL_DELAY))
                now = self._clock()
                start = max(now, host.next_start)
                host.next_start = start + spacing
                if start > now:
                    await asyncio.sleep(start - now)
                self.check(key, url)
                yield
            finally:
                host.slots.release()
        finally:
            host.users -= 1
            self._maybe_sweep()

    def _host(self, key: str) -> _Host:
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = _Host(asyncio.Semaphore(self.concurrency))
        return host

    def _maybe_sweep(self) -> None:
        self._releases += 1
        if self._releases < max(_SWEEP_FLOOR, len(self._hosts) // 2):
            return
        self._releases = 0
        now = self._clock()
        idle = [
            key
            for key, host in self._hosts.items()
            if host.users == 0 and host.next_start <= now and host.blocked_until <= now
        ]
        for key in idle:
            del self._hosts[key]


def _wall_time_in(seconds: float) -> str:
    """The UTC time `seconds` from now: HH:MM:SS, with the date in front when it is not today."""
    now = datetime.now(UTC)
    moment = now + timedelta(seconds=seconds)
    if moment.date() == now.date():
        return f"{moment:%H:%M:%S}"
    return f"{moment:%Y-%m-%d %H:%M:%S}"
