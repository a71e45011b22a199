"""SiteServer is the HTTP fixture for fetch, polling and pipeline tests: it must behave like a real server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import lxml.html
import pytest

from babelwire.demo.server import DemoSite, Response, SiteServer

PAGE = Response(body=b"<p>Hola, mundo</p>", headers={"Last-Modified": "Mon, 02 Mar 2026 08:15:00 GMT"})


@pytest.fixture
def server() -> Iterator[SiteServer]:
    with SiteServer({"/": PAGE, "/plain": Response(content_type="text/plain", body=b"texto")}) as running:
        yield running


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as http:
        yield http


def test_serves_routes_over_http_on_loopback(server: SiteServer, client: httpx.Client) -> None:
    assert server.base_url == f"http://127.0.0.1:{server.port}" and server.port > 0
    assert server.url("plain") == server.url("/plain") == server.base_url + "/plain"
    response = client.get(server.url("/"))
    assert response.status_code == 200
    assert response.text == "<p>Hola, mundo</p>"
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-length"] == str(len(PAGE.body))
    assert response.headers["last-modified"] == "Mon, 02 Mar 2026 08:15:00 GMT"
    assert response.headers["etag"] == PAGE.etag and PAGE.etag.startswith('"')
    assert client.get(server.url("/plain")).headers["content-type"] == "text/plain"
    listening = server._httpd.socket.getsockname()
    assert listening[0] == "127.0.0.1"


def test_unknown_path_is_404_and_query_falls_back_to_path(server: SiteServer, client: httpx.Client) -> None:
    assert client.get(server.url("/no-existe")).status_code == 404
    assert client.get(server.url("/plain?utm_source=rss")).text == "texto"
    server.set_route("/plain?v=2", Response(body=b"exact"))
    assert client.get(server.url("/plain?v=2")).text == "exact"


def test_if_none_match_gives_304_without_body(server: SiteServer, client: httpx.Client) -> None:
    etag = client.get(server.url("/")).headers["etag"]
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        response = client.get(server.url("/"), headers={"If-None-Match": header})
        assert response.status_code == 304, header
        assert response.content == b""
        assert response.headers["etag"] == etag
        assert response.headers["last-modified"] == PAGE.headers["Last-Modified"]
    assert client.get(server.url("/"), headers={"If-None-Match": '"stale"'}).status_code == 200


def test_if_modified_since_gives_304_only_when_not_newer(server: SiteServer, client: httpx.Client) -> None:
    modified = datetime(2026, 3, 2, 8, 15, tzinfo=UTC)
    for moment, status in (
        (modified, 304),
        (modified + timedelta(days=1), 304),
        (modified - timedelta(seconds=1), 200),
    ):
        headers = {"If-Modified-Since": format_datetime(moment, usegmt=True)}
        assert client.get(server.url("/"), headers=headers).status_code == status
    assert client.get(server.url("/"), headers={"If-Modified-Since": "not a date"}).status_code == 200
    # No Last-Modified on the route: If-Modified-Since cannot apply.
    later = {"If-Modified-Since": format_datetime(modified + timedelta(days=1), usegmt=True)}
    assert client.get(server.url("/plain"), headers=later).status_code == 200
    # If-None-Match takes precedence: a changed ETag means a full response whatever the date says.
    both = {**later, "If-None-Match": '"stale"'}
    assert client.get(server.url("/"), headers=both).status_code == 200


def test_changed_route_changes_etag_and_defeats_the_cache(server: SiteServer, client: httpx.Client) -> None:
    old_etag = client.get(server.url("/")).headers["etag"]
    server.set_route("/", Response(body=b"<p>Nueva portada</p>"))
    response = client.get(server.url("/"), headers={"If-None-Match": old_etag})
    assert response.status_code == 200 and response.text == "<p>Nueva portada</p>"
    assert response.headers["etag"] != old_etag
    server.remove_route("/")
    assert client.get(server.url("/")).status_code == 404


def test_routes_mapping_is_live(client: httpx.Client) -> None:
    routes: dict[str, Response] = {}
    with SiteServer(routes) as server:
        assert client.get(server.url("/tarde")).status_code == 404
        routes["/tarde"] = Response(body=b"ya")
        assert client.get(server.url("/tarde")).text == "ya"


def test_non_200_responses_are_sent_as_given_without_etag(server: SiteServer, client: httpx.Client) -> None:
    server.set_route("/viejo", Response(status=301, body=b"", headers={"Location": "/plain"}))
    server.set_route("/caido", Response(status=503, body=b"mantenimiento", headers={"Retry-After": "120"}))
    moved = client.get(server.url("/viejo"))
    assert moved.status_code == 301 and moved.headers["location"] == "/plain"
    assert client.get(server.url("/viejo"), follow_redirects=True).text == "texto"
    down = client.get(server.url("/caido"), headers={"If-None-Match": "*"})
    assert down.status_code == 503 and down.headers["retry-after"] == "120"
    assert "etag" not in down.headers


def test_head_sends_headers_only_and_other_methods_are_refused(
    server: SiteServer, client: httpx.Client
) -> None:
    head = client.head(server.url("/"))
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(PAGE.body))
    posted = client.post(server.url("/"), content=b"correo=a@b.example")
    assert posted.status_code == 405 and posted.headers["allow"] == "GET, HEAD"


def test_requests_are_recorded_thread_safely(server: SiteServer) -> None:
    with httpx.Client(timeout=5) as shared:  # httpx clients are thread-safe

        def fetch(index: int) -> None:
            shared.get(server.url(f"/plain?n={index}"), headers={"X-Prueba": str(index)})

        threads = [threading.Thread(target=fetch, args=(index,)) for index in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    recorded = server.requests
    assert sorted(request.path for request in recorded) == sorted(f"/plain?n={index}" for index in range(20))
    assert all(request.method == "GET" for request in recorded)
    assert {request.headers["X-Prueba"] for request in recorded} == {str(index) for index in range(20)}
    server.clear_requests()
    assert server.requests == []


def test_stop_frees_the_port_and_is_idempotent() -> None:
    server = SiteServer({"/": PAGE}).start()
    port = server.port
    assert httpx.get(server.url("/"), timeout=5).status_code == 200
    server.stop()
    server.stop()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass
    with pytest.raises(RuntimeError):
        server.start()


def test_logging_and_client_errors_stay_quiet(server: SiteServer, capfd: pytest.CaptureFixture[str]) -> None:
    httpx.get(server.url("/no-existe"), timeout=5)
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        raw.sendall(b"NONSENSE\r\n\r\n")
        raw.recv(1024)
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        raw.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")  # and hang up without reading
    httpx.get(server.url("/"), timeout=5)
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_demo_site_serves_the_newspaper(demo_site: DemoSite) -> None:
    assert demo_site.rss_url == demo_site.base_url + "/rss.xml"
    assert demo_site.atom_url == demo_site.base_url + "/atom.xml"
    assert len(demo_site.articles) >= 14
    home = httpx.get(demo_site.home_url, timeout=5)
    assert home.status_code == 200
    links = lxml.html.fromstring(home.content).xpath("//article[@class='teaser']/h2/a/@href")
    assert links == [article.path for article in demo_site.articles]
    first = demo_site.articles[0]
    page = httpx.get(demo_site.article_url(first), timeout=5)
    assert first.title in page.text and demo_site.base_url + first.path in page.text
    cached = httpx.get(
        demo_site.article_url(first),
        headers={"If-Modified-Since": page.headers["last-modified"]},
        timeout=5,
    )
    assert cached.status_code == 304


def test_module_entry_point_serves_until_interrupted() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "babelwire.demo.server"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        assert first_line.startswith("Demo site:"), first_line
        home_url = first_line.split()[-1]
        assert home_url.startswith("http://127.0.0.1:")
        assert httpx.get(home_url, timeout=5).status_code == 200
        rss_line = process.stdout.readline()
        assert (
            httpx.get(rss_line.split()[-1], timeout=5)
            .headers["content-type"]
            .startswith("application/rss+xml")
        )
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert "Stopped." in out
    assert err == ""
