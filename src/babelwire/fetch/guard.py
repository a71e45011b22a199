"""The SSRF guard: every connection babelwire opens goes to an address checked first.

The check sits in the network backend below httpx's connection pool, so it runs for every
request made with the client — redirect hops included — and the socket is opened to the
very address that was checked (no DNS-rebinding window between check and connect). httpcore
still does TLS with the original host name, so SNI and certificate checks are unchanged.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

import httpcore

from babelwire.config import FetchSettings
from babelwire.fetch.addresses import (
    METADATA_ADDRESSES,
    IPAddress,
    IPNetwork,
    blocked_because,
    odd_spelling,
    parse_ip,
)
from babelwire.fetch.errors import FetchError

ALLOW_SETTING = "fetch.allowed_networks"


class Resolver(Protocol):
    """Host name -> IP address strings; injected so tests never ask a real DNS server."""

    async def resolve(self, host: str, port: int) -> list[str]: ...


class SystemResolver:
    """The operating system's resolver (getaddrinfo), run off the event loop."""

    async def resolve(self, host: str, port: int) -> list[str]:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise FetchError(host, "dns", f"cannot resolve {host}: {exc.strerror or exc}") from exc
        return list(dict.fromkeys(str(info[4][0]) for info in infos))


class StaticResolver:
    """A fixed host -> addresses table, for tests and benchmarks; unknown hosts do not resolve."""

    def __init__(self, mapping: Mapping[str, Sequence[str]]) -> None:
        self._mapping = {host.lower().rstrip("."): list(addresses) for host, addresses in mapping.items()}

    async def resolve(self, host: str, port: int) -> list[str]:
        found = self._mapping.get(host.lower().rstrip("."))
        if not found:
            raise FetchError(host, "dns", f"cannot resolve {host}: not in the static resolver's table")
        return list(found)


@dataclass(frozen=True)
class AddressPolicy:
    """Internal addresses are refused unless inside an allowed network."""

    allowed: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_settings(cls, settings: FetchSettings) -> AddressPolicy:
        networks = []
        for entry in settings.allowed_networks:
            try:
                networks.append(ipaddress.ip_network(entry.strip(), strict=False))
            except ValueError as exc:
                raise ValueError(
                    f"{ALLOW_SETTING}: {entry!r} is not an IP address or CIDR network (e.g. 10.20.0.0/16)"
                ) from exc
        return cls(tuple(networks))

    def is_allowed(self, address: IPAddress) -> bool:
        """Metadata addresses only open to an entry naming exactly them: allowing a whole
        link-local or CGNAT range must not hand out cloud credentials by accident."""
        for network in self.allowed:
            if address.version != network.version or address not in network:
                continue
            if address not in METADATA_ADDRESSES or network.num_addresses == 1:
                return True
        return False

    def check(self, host: str, addresses: Iterable[str]) -> list[str]:
        """The addresses to connect to, all checked; FetchError("blocked_address") if ANY is internal
        (a host resolving to one public and one private address is refused as a whole)."""
        checked: list[str] = []
        for text in addresses:
            address = parse_ip(text)
            if address is None:
                raise FetchError(host, "blocked_address", f"{host} resolved to {text!r}, not an IP address")
            why = None if self.is_allowed(address) else blocked_because(address)
            if why:
                resolved = f"{host} resolves to {address}" if str(address) != host else f"{address}"
                raise FetchError(
                    host,
                    "blocked_address",
                    f"{resolved}, {why}; babelwire does not fetch from internal networks (SSRF guard)."
                    f' If this source is yours, add "{address}" to {ALLOW_SETTING}',
                )
            checked.append(str(address))
        return checked


def check_url(url: str) -> None:
    """Refuse, before any resolution, URLs that are not plain http(s) to a plainly written host."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError as exc:
        raise FetchError(url, "invalid_url", f"not a valid URL: {exc}") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(url, "invalid_url", f"only http and https URLs are fetched, not {parts.scheme!r}")
    if parts.username is not None or parts.password is not None:
        raise FetchError(url, "invalid_url", "URLs with user:password@ are refused; remove the credentials")
    if not host:
        raise FetchError(url, "invalid_url", "the URL has no host")
    check_host(host)


def check_host(host: str) -> None:
    if odd_spelling(host):
        raise FetchError(
            host,
            "odd_address",
            f"{host!r} is an IP address in an unusual spelling (decimal, octal, hex or short form);"
            " write it as a dotted quad",
        )


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """A network backend that resolves, checks every address, then connects to a checked one."""

    def __init__(
        self, policy: AddressPolicy, resolver: Resolver, inner: httpcore.AsyncNetworkBackend
    ) -> None:
        self.policy = policy
        self.resolver = resolver
        self.inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        check_host(host)
        literal = parse_ip(host)
        if literal is not None:
            resolved = [str(literal)]
        else:
            try:
                async with asyncio.timeout(timeout):
                    resolved = await self.resolver.resolve(host, port)
            except TimeoutError as exc:
                raise FetchError(host, "timeout", f"resolving {host} took over {timeout:g} s") from exc
        failure: Exception = FetchError(host, "dns", f"{host} resolved to no address")
        for address in self.policy.check(host, resolved):
            try:
                return await self.inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise FetchError(path, "blocked_address", "connections to Unix sockets are never made")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)
