"""The connect layer for fetch tests: loopback or nothing.

It sits below the SSRF guard, records every connect it is asked for and refuses any target
that is not 127.0.0.1 or ::1, so a guard bug fails a test (an unexpected reason, a recorded
attempt) instead of sending a packet to a real private or metadata address.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence

import httpcore

from babelwire.config import FetchSettings
from babelwire.fetch.client import FetchResult, fetch, make_client
from babelwire.fetch.guard import Resolver, StaticResolver

LOOPBACK = frozenset({"127.0.0.1", "::1"})


class NonLoopbackConnect(httpcore.ConnectError):
    """The guard let through a connect to something other than loopback."""


class LoopbackOnlyBackend(httpcore.AsyncNetworkBackend):
    def __init__(self) -> None:
        self.inner = httpcore.AnyIOBackend()
        self.attempts: list[tuple[str, int]] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.attempts.append((host, port))
        if host not in LOOPBACK:
            raise NonLoopbackConnect(f"test backend refused a connect to {host}:{port} (loopback only)")
        return await self.inner.connect_tcp(
            host, port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise NonLoopbackConnect(f"test backend refused a Unix socket connect to {path}")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)

    def hosts(self) -> list[str]:
        return [host for host, _ in self.attempts]


def fetch_once(
    url: str,
    settings: FetchSettings,
    backend: LoopbackOnlyBackend,
    resolver: Resolver | None = None,
    *,
    allowed_types: Sequence[str] | None = None,
) -> FetchResult:
    """One fetch with a fresh guarded client over `backend`, run to completion. The default
    resolver knows no names, so a test never sends a DNS query either."""
    names = resolver or StaticResolver({})

    async def run() -> FetchResult:
        async with make_client(settings, resolver=names, network_backend=backend) as client:
            return await fetch(client, url, settings, allowed_types=allowed_types)

    return asyncio.run(run())
