"""The HTTP client against real local servers: limits, errors and conditional GET."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from babelwire.config import FetchSettings
from babelwire.demo.server import Response, SiteServer
from babelwire.fetch.client import fetch_sync
from babelwire.fetch.errors import FetchError
from babelwire.fetch.pages import page_from_result

FAST = FetchSettings(connect_timeout=2, read_timeout=1, total_timeout=3, max_bytes=64 * 1024, max_redirects=3)


@pytest.fixture
def server() -> Iterator[SiteServer]:
    with SiteServer() as running:
        yield running


def test_ok_page_with_user_agent(server: SiteServer) -> None:
    server.set_route("/a", Response(body=b"<p>hola</p>"))
    result = fetch_sync(server.url("/a"), FAST)
    assert result.status == 200 and result.body == b"<p>hola</p>"
    assert server.requests[-1].headers["User-Agent"].startswith("babelwire/")


def test_conditional_get_gives_not_modified(server: SiteServer) -> None:
    server.set_route("/feed", Response(content_type="application/rss+xml", body=b"<rss/>"))
    first = fetch_sync(server.url("/feed"), FAST)
    again = fetch_sync(server.url("/feed"), FAST, etag=first.headers["etag"])
    assert again.not_modified and again.status == 304 and again.body == b""


def test_gzip_bodies_are_decoded(server: SiteServer) -> None:
    body = "<p>ñandú</p>".encode()
    server.set_route("/gz", Response(body=gzip.compress(body), headers={"Content-Encoding": "gzip"}))
    assert fetch_sync(server.url("/gz"), FAST).body == body


@pytest.mark.parametrize("status", [404, 500, 503])
def test_http_errors_raise_with_status(server: SiteServer, status: int) -> None:
    server.set_route("/x", Response(status=status, body=b"oops"))
    with pytest.raises(FetchError) as caught:
        fetch_sync(server.url("/x"), FAST)
    assert caught.value.reason == f"http_{status}"
    assert f"HTTP {status}" in caught.value.message


def test_body_over_the_cap_is_refused(server: SiteServer) -> None:
    server.set_route("/big", Response(body=b"x" * (FAST.max_bytes + 1)))
    with pytest.raises(FetchError) as caught:
        fetch_sync(server.url("/big"), FAST)
    assert caught.value.reason == "too_large"


def test_redirect_loop_is_cut(server: SiteServer) -> None:
    server.set_route("/a", Response(status=302, headers={"Location": "/b"}))
    server.set_route("/b", Response(status=302, headers={"Location": "/a"}))
    with pytest.raises(FetchError) as caught:
        fetch_sync(server.url("/a"), FAST)
    assert caught.value.reason == "redirects"


def test_closed_port_is_a_connect_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        fetch_sync(f"http://127.0.0.1:{port}/", FAST)
    assert caught.value.reason == "connect"


def test_server_that_never_finishes_hits_the_deadline() -> None:
    """A drip-feeding server: headers, then a byte now and then, forever."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def drip() -> None:
        conn, _ = listener.accept()
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 50000\r\n\r\n")
        while not stop.is_set():
            try:
                conn.sendall(b"x")
            except OSError:
                break
            time.sleep(0.2)
        conn.close()

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    started = time.monotonic()
    try:
        with pytest.raises(FetchError) as caught:
            fetch_sync(f"http://127.0.0.1:{listener.getsockname()[1]}/", FAST)
    finally:
        stop.set()
        listener.close()
    assert caught.value.reason == "timeout"
    assert time.monotonic() - started < FAST.total_timeout + 2


def test_non_html_page_is_refused(server: SiteServer) -> None:
    server.set_route("/file.pdf", Response(content_type="application/pdf", body=b"%PDF-1.4 ..."))
    with pytest.raises(FetchError) as caught:
        page_from_result(fetch_sync(server.url("/file.pdf"), FAST))
    assert caught.value.reason == "not_html"


def test_page_is_decoded_with_the_declared_charset(server: SiteServer) -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><p>Año, señor, «sí»</p></body></html>'
    server.set_route("/latin", Response(content_type="text/html", body=html.encode("cp1252")))
    page = page_from_result(fetch_sync(server.url("/latin"), FAST))
    assert "Año, señor, «sí»" in page.html
