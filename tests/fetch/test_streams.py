"""The asyncio network backend (fetch/streams.py) against a local server, plain and TLS: keep-alive,
a server that hangs up on an idle connection, certificate checks against the URL's host, timeouts."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpcore
import pytest

from babelwire.config import FetchSettings
from babelwire.fetch.guard import AddressPolicy, GuardedBackend, StaticResolver
from babelwire.fetch.streams import AsyncioBackend

NAME = "tls.streams.test"
RESOLVER = StaticResolver({NAME: ["127.0.0.1"], "other.streams.test": ["127.0.0.1"]})
POLICY = AddressPolicy.from_settings(FetchSettings(allowed_networks=["127.0.0.1/32"]))
RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello"


class Server:
    """HTTP/1.1 on 127.0.0.1 (TLS if given a context): `/` answers and keeps the connection,
    `/bye` answers and hangs up a moment later, `/hang` never answers."""

    def __init__(self) -> None:
        self.connections = 0
        self.port = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                path = head.split(b" ", 2)[1]
                if path == b"/hang":
                    await asyncio.sleep(30)
                writer.write(RESPONSE)
                await writer.drain()
                if path == b"/bye":
                    await asyncio.sleep(0.05)
                    break
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()


@asynccontextmanager
async def serving(tls: ssl.SSLContext | None) -> AsyncIterator[Server]:
    server = Server()
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0, ssl=tls)
    server.port = listener.sockets[0].getsockname()[1]
    try:
        yield server
    finally:
        listener.close()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for NAME, made by the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", str(key),
         "-out", str(cert), "-subj", f"/CN={NAME}", "-addext", f"subjectAltName=DNS:{NAME}"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def contexts(certificate: tuple[Path, Path]) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    cert, key = certificate
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    client = ssl.create_default_context(cafile=str(cert))
    return server, client


def pool(client_tls: ssl.SSLContext | None = None) -> httpcore.AsyncConnectionPool:
    backend = GuardedBackend(POLICY, RESOLVER, AsyncioBackend())
    return httpcore.AsyncConnectionPool(
        ssl_context=client_tls, network_backend=backend, keepalive_expiry=30, max_keepalive_connections=4
    )


async def get(connections: httpcore.AsyncConnectionPool, url: str, timeout: float = 5.0) -> bytes:
    extensions = {"timeout": {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}}
    response = await connections.request("GET", url, extensions=extensions)
    assert response.status == 200
    return response.content


def test_plain_keep_alive_and_a_server_that_hangs_up() -> None:
    async def go() -> None:
        async with serving(None) as server, pool() as connections:
            base = f"http://{NAME}:{server.port}"
            assert [await get(connections, base + "/") for _ in range(3)] == [b"hello"] * 3
            assert server.connections == 1
            assert await get(connections, base + "/bye") == b"hello"
            await asyncio.sleep(0.3)  # the server has closed the idle connection by now
            assert await get(connections, base + "/") == b"hello"  # a new one, no error
            assert server.connections == 2

    asyncio.run(go())


def test_tls_keep_alive_and_a_server_that_hangs_up(certificate: tuple[Path, Path]) -> None:
    server_tls, client_tls = contexts(certificate)

    async def go() -> None:
        async with serving(server_tls) as server, pool(client_tls) as connections:
            base = f"https://{NAME}:{server.port}"
            assert [await get(connections, base + "/") for _ in range(3)] == [b"hello"] * 3
            assert server.connections == 1
            assert await get(connections, base + "/bye") == b"hello"
            await asyncio.sleep(0.3)
            assert await get(connections, base + "/") == b"hello"
            assert server.connections == 2

    asyncio.run(go())


def test_tls_checks_the_certificate_against_the_url_host(certificate: tuple[Path, Path]) -> None:
    """The socket goes to the checked address; the certificate must still name the URL's host."""
    server_tls, client_tls = contexts(certificate)

    async def go() -> None:
        async with serving(server_tls) as server, pool(client_tls) as connections:
            with pytest.raises(httpcore.ConnectError, match="certificate"):
                await get(connections, f"https://other.streams.test:{server.port}/")
            with pytest.raises(httpcore.ConnectError, match="certificate"):
                async with pool(ssl.create_default_context()) as untrusting:  # not our CA
                    await get(untrusting, f"https://{NAME}:{server.port}/")

    asyncio.run(go())


def test_timeouts_and_refused_connections_raise_httpcore_errors() -> None:
    async def go() -> None:
        async with serving(None) as server, pool() as connections:
            with pytest.raises(httpcore.ReadTimeout):
                await get(connections, f"http://{NAME}:{server.port}/hang", timeout=0.2)
            with pytest.raises(httpcore.ConnectError):
                await get(connections, f"http://{NAME}:1/")  # nothing listens on 127.0.0.1:1

    asyncio.run(go())
