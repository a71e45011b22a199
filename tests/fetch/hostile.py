"""A hostile HTTP server on loopback: everything a stranger's server can do to a fetcher.

Raw sockets in threads, because the attacks live below what an HTTP framework lets a handler
do: headers that never end, bodies that never end, a gzip bomb produced as it is sent.

    with HostileServer() as server:
        fetch(server.url("/bomb"))

Paths: /slowloris /drip /endless /bomb /nested-bomb /loop-a /chain/<n> /wrong-type
/invalid-xml /huge-feed /huge-feed-declared /broken/<name> /hub; `server.redirect(path, location)`
adds a redirect to anywhere (blocked addresses included).
"""

from __future__ import annotations

import re
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Self

TESTDATA = Path(__file__).parent / "testdata"
# gzip(gzip(1 GiB of zeros)), 1.8 KB: made once with zlib level 9 (inner: 1024 x 1 MiB of zeros).
NESTED_BOMB = TESTDATA / "bomb-1gib.gz.gz"
BOMB_SIZE = 2 * 1024**3  # what /bomb would expand to if read to the end
HUGE_FEED_SIZE = 50 * 1000 * 1000
DRIP_DELAY = 0.1

# Bodies in broken encodings: invalid UTF-8 under a UTF-8 label, an unknown charset, a truncated
# multi-byte sequence, UTF-16 without a BOM under a Latin label, and plain binary junk.
BROKEN: dict[str, tuple[str, bytes]] = {
    "bad-utf8": ("text/html; charset=utf-8", b"<p>caf\xc3 au lait \xff\xfe \xed\xa0\x80 fin</p>"),
    "unknown-charset": ("text/html; charset=x-no-such-charset", "<p>Ça va très bien</p>".encode()),
    "truncated": ("text/html; charset=shift_jis", "<p>東京の空".encode("shift_jis")[:-1]),
    "utf16-as-latin": ("text/html; charset=iso-8859-1", "<p>¿Qué pasa?</p>".encode("utf-16-le")),
    "binary": ("text/html", bytes(range(256)) * 8),
}

Handler = Callable[[socket.socket, "HostileServer", str], None]


def _head(status: str, *headers: str) -> bytes:
    """A response head. The server answers one request per connection and says so: without
    "Connection: close" a client may reuse the socket for its next request just as it closes."""
    if not any(h.lower().startswith("connection:") for h in headers):
        headers = (*headers, "Connection: close")
    return ("HTTP/1.1 " + status + "\r\n" + "".join(h + "\r\n" for h in headers) + "\r\n").encode()


class HostileServer:
    """Serves the attacks on `host` (127.0.0.1 or ::1) at an ephemeral port, one thread per connection."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.host = host
        self._listener = socket.socket(family, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((host, 0))
        self._listener.listen(64)
        self._listener.settimeout(0.05)  # the accept loop wakes up to notice `stop`
        self.port: int = self._listener.getsockname()[1]
        self.stop = threading.Event()
        self.requests: list[str] = []
        self.sent: dict[str, int] = {}  # body bytes written per path, to show what was never read
        self._redirects: dict[str, str] = {}
        self._threads: list[threading.Thread] = []

    def url(self, path: str) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{path}"

    def redirect(self, path: str, location: str) -> None:
        self._redirects[path] = location

    def __enter__(self) -> Self:
        accept = threading.Thread(target=self._accept, name=f"hostile:{self.port}", daemon=True)
        accept.start()
        self._threads.append(accept)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop.set()
        self._listener.close()
        for thread in list(self._threads):
            thread.join(timeout=2)

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            worker = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            worker.start()
            self._threads.append(worker)

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                path = _read_request(conn)
                if path is None:
                    return
                self.requests.append(path)
                self._dispatch(conn, path)
            except OSError:
                return  # the client gave up: that is the point of most of these paths

    def _dispatch(self, conn: socket.socket, path: str) -> None:
        if path in self._redirects:
            conn.sendall(_head("302 Found", f"Location: {self._redirects[path]}", "Content-Length: 0"))
            return
        name, _, arg = path.strip("/").partition("/")
        handler = _HANDLERS.get(name)
        if handler is None:
            conn.sendall(_head("404 Not Found", "Content-Length: 0"))
            return
        handler(conn, self, arg)

    def write(self, conn: socket.socket, path: str, data: bytes) -> None:
        conn.sendall(data)
        self.sent[path] = self.sent.get(path, 0) + len(data)


def _read_request(conn: socket.socket) -> str | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk or len(data) > 65536:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    # Read a request body (a POST) to its end: closing a socket with unread input sends a reset,
    # which can reach the client before our answer does.
    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    remaining = min(int(length.group(1)), 1 << 20) - len(body) if length else 0
    while remaining > 0:
        chunk = conn.recv(min(remaining, 65536))
        if not chunk:
            break
        remaining -= len(chunk)
    parts = head.split(b"\r\n", 1)[0].split()
    return parts[1].decode("ascii", "replace") if len(parts) >= 2 else None


def _slowloris(conn: socket.socket, server: HostileServer, arg: str) -> None:
    """A status line, then header bytes one at a time, never reaching the blank line."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    while not server.stop.is_set():
        conn.sendall(b"a")
        time.sleep(DRIP_DELAY)


def _drip(conn: socket.socket, server: HostileServer, arg: str) -> None:
    """Complete headers promising 10 MB, then one byte at a time: each read is quick, none is last."""
    conn.sendall(_head("200 OK", "Content-Type: text/html", "Content-Length: 10000000"))
    while not server.stop.is_set():
        server.write(conn, "/drip", b"x")
        time.sleep(DRIP_DELAY)


def _endless(conn: socket.socket, server: HostileServer, arg: str) -> None:
    conn.sendall(_head("200 OK", "Content-Type: text/html", "Connection: close"))
    block = b"<p>" + b"all work and no play " * 3000 + b"</p>"
    while not server.stop.is_set():
        server.write(conn, "/endless", block)


def _bomb(conn: socket.socket, server: HostileServer, arg: str) -> None:
    """gzip of 2 GiB of zeros, compressed as it is sent: the server never holds more than 1 MiB."""
    conn.sendall(_head("200 OK", "Content-Type: text/html", "Content-Encoding: gzip", "Connection: close"))
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    zeros = bytes(1024 * 1024)
    for _ in range(BOMB_SIZE // len(zeros)):
        if server.stop.is_set():
            return
        out = compressor.compress(zeros)
        if out:
            server.write(conn, "/bomb", out)
    server.write(conn, "/bomb", compressor.flush())


def _nested_bomb(conn: socket.socket, server: HostileServer, arg: str) -> None:
    body = NESTED_BOMB.read_bytes()
    conn.sendall(
        _head(
            "200 OK",
            "Content-Type: text/html",
            "Content-Encoding: gzip, gzip",
            f"Content-Length: {len(body)}",
        )
    )
    server.write(conn, "/nested-bomb", body)


def _loop(conn: socket.socket, server: HostileServer, arg: str) -> None:
    conn.sendall(_head("302 Found", "Location: /loop-b", "Content-Length: 0"))


def _loop_b(conn: socket.socket, server: HostileServer, arg: str) -> None:
    conn.sendall(_head("301 Moved Permanently", f"Location: {server.url('/loop-a')}", "Content-Length: 0"))


def _chain(conn: socket.socket, server: HostileServer, arg: str) -> None:
    step = int(arg or "0")
    conn.sendall(_head("307 Temporary Redirect", f"Location: /chain/{step + 1}", "Content-Length: 0"))


def _wrong_type(conn: socket.socket, server: HostileServer, arg: str) -> None:
    """A "feed" that is a 5 MB PNG: the fetcher must refuse it on the headers alone."""
    size = 5 * 1024 * 1024
    conn.sendall(_head("200 OK", "Content-Type: image/png", f"Content-Length: {size}"))
    block = b"\x89PNG\r\n\x1a\n" + bytes(65528)
    for _ in range(size // len(block)):
        server.write(conn, "/wrong-type", block)


def _invalid_xml(conn: socket.socket, server: HostileServer, arg: str) -> None:
    body = INVALID_XML
    conn.sendall(_head("200 OK", "Content-Type: application/rss+xml", f"Content-Length: {len(body)}"))
    server.write(conn, "/invalid-xml", body)


INVALID_XML = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Broken & unescaped'
    b"</title><item><title>Unclosed <b>tag</title><link>http://example.com/a</link></item>"
    b"<!DOCTYPE x [<!ENTITY boom SYSTEM 'file:///etc/passwd'>]>&boom;\x00\x01"
)


def feed_blocks(size: int) -> Iterator[bytes]:
    """A syntactically plausible RSS feed of `size` bytes, made as it is sent."""
    yield b'<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>'
    item = b"<item><title>Item</title><link>http://example.com/x</link><description>" + b"z" * 900
    item += b"</description></item>"
    block = item * 64
    sent = 0
    while sent < size:
        yield block
        sent += len(block)


def _huge_feed(conn: socket.socket, server: HostileServer, arg: str) -> None:
    """50 MB of feed, close-delimited: only the streaming cap can stop it."""
    conn.sendall(_head("200 OK", "Content-Type: application/rss+xml", "Connection: close"))
    for block in feed_blocks(HUGE_FEED_SIZE):
        if server.stop.is_set():
            return
        server.write(conn, "/huge-feed", block)


def _huge_feed_declared(conn: socket.socket, server: HostileServer, arg: str) -> None:
    """The same, honest about its length: refused on the headers, before any body byte is read."""
    conn.sendall(_head("200 OK", "Content-Type: application/rss+xml", f"Content-Length: {HUGE_FEED_SIZE}"))
    for block in feed_blocks(HUGE_FEED_SIZE):
        server.write(conn, "/huge-feed-declared", block)


def _hub(conn: socket.socket, server: HostileServer, arg: str) -> None:
    """A WebSub hub that accepts whatever it is sent."""
    conn.sendall(_head("202 Accepted", "Content-Length: 0"))


def _broken(conn: socket.socket, server: HostileServer, arg: str) -> None:
    content_type, body = BROKEN[arg]
    conn.sendall(_head("200 OK", f"Content-Type: {content_type}", f"Content-Length: {len(body)}"))
    server.write(conn, f"/broken/{arg}", body)


_HANDLERS: dict[str, Handler] = {
    "slowloris": _slowloris,
    "drip": _drip,
    "endless": _endless,
    "bomb": _bomb,
    "nested-bomb": _nested_bomb,
    "loop-a": _loop,
    "loop-b": _loop_b,
    "chain": _chain,
    "wrong-type": _wrong_type,
    "invalid-xml": _invalid_xml,
    "huge-feed": _huge_feed,
    "huge-feed-declared": _huge_feed_declared,
    "broken": _broken,
    "hub": _hub,
}
