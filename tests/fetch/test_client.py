"""The HTTP client against real local servers: limits, errors and conditional GET."""

from __future__ import annotations

import asyncio
import gzip
import socket
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from babelwire.config import FetchSettings
from babelwire.demo.server import Response, SiteServer
from babelwire.fetch.client import FetchResult, fetch, fetch_sync, make_client, post_form
from babelwire.fetch.errors import FetchError
from babelwire.fetch.pages import page_from_result
from tests.fetch.hostile import HostileServer
from tests.fetch.loopback import LoopbackOnlyBackend

FAST = FetchSettings(
    allowed_networks=["127.0.0.1/32"],
    connect_timeout=2,
    read_timeout=1,
    total_timeout=3,
    max_bytes=64 * 1024,
    max_redirects=3,
)


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
    assert caught.value.reason == "redirect_loop"


def test_closed_port_is_a_connect_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        fetch_sync(f"http://127.0.0.1:{port}/", FAST)
    assert caught.value.reason == "connect"


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


def test_redirects_are_followed_and_recorded(server: SiteServer) -> None:
    server.set_route("/old", Response(status=301, headers={"Location": "/new"}))
    server.set_route("/new", Response(body=b"<p>moved</p>"))
    result = fetch_sync(server.url("/old"), FAST)
    assert result.body == b"<p>moved</p>" and result.final_url == server.url("/new")
    assert result.redirects == (server.url("/old"),)


def test_too_many_requests_carries_retry_after(server: SiteServer) -> None:
    server.set_route("/busy", Response(status=429, headers={"Retry-After": "120"}))
    with pytest.raises(FetchError) as caught:
        fetch_sync(server.url("/busy"), FAST)
    assert caught.value.reason == "http_429" and caught.value.retry_after == 120
    assert "retry after 120 s" in caught.value.message


def test_unavailable_with_a_date_is_capped(server: SiteServer) -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(days=3), usegmt=True)
    server.set_route("/down", Response(status=503, headers={"Retry-After": later}))
    with pytest.raises(FetchError) as caught:
        fetch_sync(server.url("/down"), FAST.model_copy(update={"max_retry_after": 600}))
    assert caught.value.reason == "http_503" and caught.value.retry_after == 600


def test_other_errors_have_no_retry_after(server: SiteServer) -> None:
    server.set_route("/gone", Response(status=404, headers={"Retry-After": "5"}))
    with pytest.raises(FetchError) as caught:
        fetch_sync(server.url("/gone"), FAST)
    assert caught.value.retry_after is None


@pytest.mark.parametrize(
    ("content_type", "allowed", "ok"),
    [
        ("application/atom+xml; charset=utf-8", ["application/rss+xml", "+xml"], True),
        ("text/html", ["text/*"], True),
        ("text/xml", ["text/"], True),
        ("TEXT/HTML", ["text/html"], True),
        ("image/png", ["text/*", "+xml", "application/json"], False),
        ("application/xhtml+xml", ["text/html"], False),
    ],
)
def test_allowed_types(server: SiteServer, content_type: str, allowed: list[str], ok: bool) -> None:
    server.set_route("/t", Response(content_type=content_type, body=b"<x/>"))

    def run() -> FetchResult:
        async def go() -> FetchResult:
            async with make_client(FAST) as client:
                return await fetch(client, server.url("/t"), FAST, allowed_types=allowed)

        return asyncio.run(go())

    if ok:
        assert run().body == b"<x/>"
    else:
        with pytest.raises(FetchError) as caught:
            run()
        assert caught.value.reason == "bad_content_type"


def test_per_call_cap_is_smaller_than_the_settings_cap(server: SiteServer) -> None:
    server.set_route("/robots.txt", Response(content_type="text/plain", body=b"#" * 5000))

    async def go() -> FetchResult:
        async with make_client(FAST) as client:
            return await fetch(client, server.url("/robots.txt"), FAST, max_bytes=1000)

    with pytest.raises(FetchError) as caught:
        asyncio.run(go())
    assert caught.value.reason == "too_large" and "1000-byte cap" in caught.value.message


@pytest.mark.parametrize(
    ("encoding", "body", "reason"),
    [
        ("deflate", zlib.compress(b"<p>zlib</p>"), None),
        ("deflate", zlib.compress(b"<p>raw deflate, no zlib header</p>", wbits=-15), None),
        ("gzip", gzip.compress(b"<p>one</p>") + gzip.compress(b"<p>two</p>"), None),
        ("br", b"\x1b\x03\x00\xf8", "bad_encoding"),
        ("gzip", b"this is not gzip", "bad_encoding"),
    ],
    ids=["zlib", "raw-deflate", "gzip-members", "brotli", "bad-gzip"],
)
def test_content_encodings(server: SiteServer, encoding: str, body: bytes, reason: str | None) -> None:
    server.set_route("/enc", Response(body=body, headers={"Content-Encoding": encoding}))
    if reason is None:
        assert fetch_sync(server.url("/enc"), FAST).body.startswith(b"<p>")
    else:
        with pytest.raises(FetchError) as caught:
            fetch_sync(server.url("/enc"), FAST)
        assert caught.value.reason == reason


def test_post_form_reports_the_status_and_follows_nothing() -> None:
    backend = LoopbackOnlyBackend()
    with HostileServer() as hub:
        hub.redirect("/moved-hub", "http://10.0.0.1/hub")

        async def go() -> list[int]:
            async with make_client(FAST, network_backend=backend) as client:
                data = {"hub.mode": "subscribe", "hub.topic": "http://example.com/feed"}
                accepted = await post_form(client, hub.url("/hub"), data, FAST)
                moved = await post_form(client, hub.url("/moved-hub"), data, FAST)
                missing = await post_form(client, hub.url("/nowhere"), data, FAST)
                return [accepted.status, moved.status, missing.status]

        assert asyncio.run(go()) == [202, 302, 404]
    assert set(backend.hosts()) == {"127.0.0.1"}
