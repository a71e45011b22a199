"""The network layer under the SSRF guard: asyncio's own streams, without anyio in between.

httpcore's default backend on asyncio is anyio's, which wraps every read and write of every
connection in a cancel scope (`fail_after`) and does TLS through memory BIOs in Python; at a
polling round's pace (10,000 requests in well under a minute on two cores) that machinery was
the largest share of the event loop's CPU. This backend uses asyncio's streams (TLS by the
event loop's native SSL transport) and asyncio.timeout, and raises httpcore's exceptions, so
httpcore and httpx see the same behaviour.

httpcore asks an idle keep-alive connection whether the server hung up before reusing it: a
plain one reads from its socket only while a read waits (as anyio's), so the kernel keeps
what arrives and the socket shows readable; a TLS one reads all the time (the SSL transport
does anyway), so a close_notify or a hang-up shows as the reader's end.
"""

from __future__ import annotations

import asyncio
import contextlib
import select
import socket
import ssl
from collections.abc import Iterable
from typing import Any, cast

import httpcore

_READ_LIMIT = 256 * 1024  # the StreamReader's buffer; httpcore reads 64 KiB at a time


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One connection (plain TCP, or TLS once start_tls has run) on asyncio streams."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        # Plain TCP reads only during a read, so a hang-up leaves the socket readable. Under TLS
        # the SSL transport reads the socket whatever the app does; it reads all the time then,
        # so a close_notify or a hang-up reaches the reader as its end (at_eof).
        self._pausing = writer.get_extra_info("sslcontext") is None
        if self._pausing:
            self._transport().pause_reading()

    def _transport(self) -> asyncio.Transport:
        """The writer's transport (a new one after start_tls): a read-write one, as connected."""
        return cast(asyncio.Transport, self._writer.transport)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        transport = self._transport()
        pausing = self._pausing and not transport.is_closing()
        try:
            if pausing:
                transport.resume_reading()
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(str(exc) or "timed out reading") from exc
        except OSError as exc:
            raise httpcore.ReadError(str(exc) or type(exc).__name__) from exc
        finally:
            if pausing and not transport.is_closing():
                transport.pause_reading()

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            if self._writer.transport.is_closing():
                raise ConnectionResetError("the connection is closed")
            self._writer.write(buffer)
            async with asyncio.timeout(timeout):
                await self._writer.drain()
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(str(exc) or "timed out writing") from exc
        except OSError as exc:
            raise httpcore.WriteError(str(exc) or type(exc).__name__) from exc

    async def aclose(self) -> None:
        """Close at once: nothing left to send matters when httpcore lets a connection go, and
        neither a TLS close_notify exchange nor a full send buffer may hold it open (a server
        that never answers would keep it for ssl_shutdown_timeout, or for ever)."""
        self._writer.transport.abort()
        with contextlib.suppress(OSError, ssl.SSLError):  # the peer reset it: closed all the same
            await self._writer.wait_closed()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """TLS on this connection, verified against `server_hostname` (the URL's host, not the
        checked address the socket is connected to)."""
        self._transport().resume_reading()
        try:
            async with asyncio.timeout(timeout):
                await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError as exc:
            await self.aclose()
            raise httpcore.ConnectTimeout(str(exc) or "TLS handshake timed out") from exc
        except (OSError, ssl.SSLError) as exc:
            await self.aclose()
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        except BaseException:
            await self.aclose()
            raise
        return AsyncioStream(self._reader, self._writer)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":  # on an idle connection: the server hung up (or broke HTTP)
            raw = self._writer.get_extra_info("socket")
            closing = self._writer.transport.is_closing() or self._reader.at_eof()
            return closing or raw is None or _readable(raw)
        if info == "ssl_object":
            return self._writer.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._writer.get_extra_info("sockname")
        if info == "server_addr":
            return self._writer.get_extra_info("peername")
        if info == "socket":
            return self._writer.get_extra_info("socket")
        return None


def _readable(raw: socket.socket) -> bool:
    """Whether a recv() would return at once (data, or b"" for a closed connection), without reading."""
    fd = raw.fileno()
    if fd < 0:
        return True
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        return bool(poller.poll(0))
    return bool(select.select([fd], [], [], 0)[0])


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """Connects with asyncio.open_connection; the guard above it passes checked IP addresses only."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        local = (local_address, 0) if local_address else None
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(
                    host, port, local_addr=local, limit=_READ_LIMIT
                )
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"connecting to {host}:{port} timed out") from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        raw = writer.get_extra_info("socket")  # asyncio has set TCP_NODELAY already
        for option in socket_options or ():
            raw.setsockopt(*option)
        return AsyncioStream(reader, writer)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError(f"connections to Unix sockets are never made ({path})")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
