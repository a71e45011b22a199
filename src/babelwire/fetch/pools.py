"""Keep-alive across thousands of hosts: one small httpcore pool per origin.

httpcore's pool walks every connection it holds on each request and on each response close,
asking each idle socket whether the server hung up (a poll() system call per socket). One
pool big enough to keep a connection to each of 500 hosts therefore costs O(connections) per
request; kept small (8 idle connections, as babelwire had it), a polling round that visits
hundreds of hosts in turn opened a new TCP connection for nearly every poll. Here each origin
(scheme, host, port) has its own pool of a few connections, and the pools are kept in
least-recently-used order: a pool idle for `keepalive_expiry` is closed, and so are the least
recently used idle ones once more than `max_idle` connections are idle in all.

Connections are opened by the network backend given, the SSRF guard: a connection is only
ever reused for its own origin, so it still goes to the address checked when it was opened.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from ssl import SSLContext
from types import TracebackType

import httpcore

_Key = tuple[bytes, bytes, int | None]


@dataclass
class _Entry:
    key: _Key
    pool: httpcore.AsyncConnectionPool
    active: int = 0  # requests sent and not yet closed
    idle: int = 0  # idle connections, as counted when the last request ended
    last_used: float = 0.0


class OriginPools:
    """An httpcore request interface that routes each request to its origin's own pool."""

    def __init__(
        self,
        *,
        network_backend: httpcore.AsyncNetworkBackend,
        ssl_context: SSLContext | None,
        max_connections: int,
        max_keepalive: int,
        max_idle: int,
        keepalive_expiry: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._backend = network_backend
        self._ssl_context = ssl_context
        self._max_connections = max(1, max_connections)  # per origin
        self._max_keepalive = max(0, max_keepalive)  # idle connections per origin
        self._max_idle = max(0, max_idle)  # idle connections in all
        self._expiry = max(0.0, keepalive_expiry)
        self._clock = clock
        self._entries: OrderedDict[_Key, _Entry] = OrderedDict()
        self._idle = 0

    def __len__(self) -> int:
        """Origins with a pool right now (for tests and memory checks)."""
        return len(self._entries)

    @property
    def idle_connections(self) -> int:
        return self._idle

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        url = request.url
        key = (url.scheme, url.host, url.port)
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry(key, self._new_pool())
        else:
            self._entries.move_to_end(key)
        entry.active += 1
        entry.last_used = self._clock()
        try:
            await self._close_stale()
            response = await entry.pool.handle_async_request(request)
        except BaseException:
            self._release(entry)
            raise
        stream = response.stream
        assert hasattr(stream, "__aiter__")  # an async pool's response streams are async
        return httpcore.Response(
            status=response.status,
            headers=response.headers,
            content=_ReleasingStream(stream, self, entry),
            extensions=response.extensions,
        )

    def _new_pool(self) -> httpcore.AsyncConnectionPool:
        return httpcore.AsyncConnectionPool(
            ssl_context=self._ssl_context,
            max_connections=self._max_connections,
            max_keepalive_connections=self._max_keepalive,
            keepalive_expiry=self._expiry,
            network_backend=self._backend,
        )

    def _release(self, entry: _Entry) -> None:
        """A request ended: count the origin's idle connections again."""
        entry.active -= 1
        entry.last_used = self._clock()
        if self._entries.get(entry.key) is not entry:  # closed meanwhile (aclose): nothing to count
            return
        idle = sum(1 for connection in entry.pool.connections if connection.is_idle())
        self._idle += idle - entry.idle
        entry.idle = idle

    async def _close_stale(self) -> None:
        """Close the pools idle past keepalive_expiry, then the least recently used idle ones
        while too many connections are idle: oldest first, so the walk stops at the first
        recent entry once the total fits (amortized O(1) per request)."""
        now = self._clock()
        stale: list[_Key] = []
        idle = self._idle
        for key, entry in self._entries.items():
            expired = now - entry.last_used >= self._expiry
            if not expired and idle <= self._max_idle:
                break
            if entry.active == 0:
                stale.append(key)
                idle -= entry.idle
        closing = [self._entries.pop(key) for key in stale]  # all before the first await
        for entry in closing:
            self._idle -= entry.idle
        for entry in closing:
            await entry.pool.aclose()

    async def aclose(self) -> None:
        entries, self._entries = list(self._entries.values()), OrderedDict()
        self._idle = 0
        for entry in entries:
            await entry.pool.aclose()

    async def __aenter__(self) -> OriginPools:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        await self.aclose()


class _ReleasingStream:
    """A response body that tells the pools when it is closed (the request's end)."""

    def __init__(self, stream: object, pools: OriginPools, entry: _Entry) -> None:
        self._stream = stream
        self._pools = pools
        self._entry = entry
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for part in self._stream:  # type: ignore[attr-defined]
            yield part

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if hasattr(self._stream, "aclose"):
                await self._stream.aclose()
        finally:
            self._pools._release(self._entry)
