"""HEAD and conditional GETs (web/conditional.py) on a small app of our own, then on the site."""

from __future__ import annotations

from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse, StreamingResponse
from fastapi.testclient import TestClient

from babelwire.config import Settings
from babelwire.store.db import Store
from babelwire.web.app import create_app
from babelwire.web.conditional import ChangeLog, ConditionalGetMiddleware, etag_matches, not_modified_since


class Page:
    body = "first"


@pytest.fixture
def page() -> Page:
    return Page()


@pytest.fixture
def client(page: Page) -> TestClient:
    app = FastAPI()

    @app.get("/page")
    def show() -> PlainTextResponse:
        return PlainTextResponse(page.body)

    @app.get("/missing")
    def missing() -> PlainTextResponse:
        return PlainTextResponse("gone", status_code=404)

    @app.get("/admin/secret")
    def secret() -> PlainTextResponse:
        return PlainTextResponse("for the admin")

    @app.get("/stream")
    def stream() -> StreamingResponse:
        return StreamingResponse(iter([b"a", b"b", b"c"]), media_type="text/plain")

    app.add_middleware(ConditionalGetMiddleware)
    return TestClient(app)


def test_head_answers_like_get_without_the_body(client: TestClient) -> None:
    get, head = client.get("/page"), client.head("/page")
    assert head.status_code == 200 and head.content == b""
    assert {k: v for k, v in head.headers.items() if k != "date"} == {
        k: v for k, v in get.headers.items() if k != "date"
    }
    assert head.headers["content-length"] == str(len(b"first"))
    assert client.head("/missing").status_code == 404 and client.head("/missing").content == b""
    assert client.head("/stream").content == b"" and client.get("/stream").content == b"abc"


def test_if_none_match_gets_a_304_until_the_body_changes(client: TestClient, page: Page) -> None:
    first = client.get("/page")
    etag = first.headers["etag"]
    assert etag.startswith('"') and first.headers["cache-control"] == "no-cache"
    again = client.get("/page", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert "content-type" not in again.headers
    assert client.get("/page", headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert client.get("/page", headers={"If-None-Match": "*"}).status_code == 304
    page.body = "second"
    changed = client.get("/page", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.text == "second" and changed.headers["etag"] != etag


def test_if_modified_since_gets_a_304_until_the_body_changes(client: TestClient, page: Page) -> None:
    first = client.get("/page")
    stamp = first.headers["last-modified"]
    assert stamp.endswith(" GMT")
    assert client.get("/page", headers={"If-Modified-Since": stamp}).status_code == 304
    assert client.get("/page", headers={"If-Modified-Since": "yesterday"}).status_code == 200
    assert client.get("/page", headers={"If-Modified-Since": formatdate(0, usegmt=True)}).status_code == 200
    page.body = "second"  # changed within the same second: the new date is still later
    changed = client.get("/page", headers={"If-Modified-Since": stamp})
    assert changed.status_code == 200 and changed.headers["last-modified"] != stamp


def test_if_none_match_wins_over_if_modified_since(client: TestClient) -> None:
    first = client.get("/page")
    both = {"If-None-Match": '"stale"', "If-Modified-Since": first.headers["last-modified"]}
    assert client.get("/page", headers=both).status_code == 200


def test_private_answers_are_never_stored_or_validated(client: TestClient) -> None:
    secret = client.get("/admin/secret")
    assert secret.headers["cache-control"] == "no-store" and "etag" not in secret.headers
    assert client.head("/admin/secret").content == b""
    with_token = client.get("/page", headers={"Authorization": "Bearer x"})
    assert with_token.headers["cache-control"] == "no-store" and "etag" not in with_token.headers


def test_errors_are_not_validated(client: TestClient) -> None:
    missing = client.get("/missing")
    assert missing.status_code == 404 and "etag" not in missing.headers


def test_change_log_dates_each_new_body_later_and_forgets_the_oldest() -> None:
    log = ChangeLog(size=2)
    assert log.last_modified("/a", '"1"', 100.2) == 101
    assert log.last_modified("/a", '"1"', 150.0) == 101
    assert log.last_modified("/a", '"2"', 100.5) == 102
    log.last_modified("/b", '"1"', 200.0)
    log.last_modified("/c", '"1"', 200.0)
    assert log.last_modified("/a", '"2"', 300.0) == 300  # forgotten: dated anew


@pytest.mark.parametrize(
    ("header", "matches"),
    [('"abc"', True), ('W/"abc"', True), ('"x", "abc"', True), ("*", True), ('"abcd"', False), ("", False)],
)
def test_etag_comparison_is_weak(header: str, matches: bool) -> None:
    assert etag_matches(header, '"abc"') is matches


def test_dates_without_a_zone_or_unparseable_never_match() -> None:
    assert not_modified_since("Sat, 01 Jan 2000 00:00:00 GMT", 946684800)
    assert not not_modified_since("Sat, 01 Jan 2000 00:00:00 GMT", 946684801)
    assert not not_modified_since("2000-01-01", 0)
    assert not not_modified_since("", 0)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'w.db'}", target_languages=["en", "es"]
    )
    store = Store(settings.resolved_database_url)
    yield TestClient(create_app(settings, store))
    store.close()


PUBLIC = [
    "/en/",
    "/es/sources",
    "/en/feed.rss",
    "/sitemap.xml",
    "/robots.txt",
    "/healthz",
    "/api/v1/articles",
]


@pytest.mark.parametrize("path", [*PUBLIC, "/api/v1/openapi.json", "/static/style.css"])
def test_every_public_get_route_answers_head_and_304(site: TestClient, path: str) -> None:
    get = site.get(path)
    head = site.head(path)
    assert get.status_code == head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]
    assert site.get(path, headers={"If-None-Match": get.headers["etag"]}).status_code == 304
    assert site.get(path, headers={"If-Modified-Since": get.headers["last-modified"]}).status_code == 304
