"""/robots.txt names the sitemap and keeps crawlers out of the admin; /favicon.ico answers; HSTS on https."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from protego import Protego

from babelwire.config import Settings
from babelwire.store.db import Store
from babelwire.web.app import create_app
from babelwire.web.websettings import WebSettings


def site(tmp_path: Path, base_url: str, web: WebSettings | None = None) -> tuple[TestClient, Store]:
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'k.db'}",
        base_url=base_url,
        web=web or WebSettings(),
    )
    store = Store(settings.resolved_database_url)
    return TestClient(create_app(settings, store)), store


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    client, store = site(tmp_path, "https://news.example.org")
    yield client
    store.close()


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_the_admin(client: TestClient) -> None:
    response = client.get("/robots.txt", follow_redirects=False)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    robots = Protego.parse(response.text)  # the parser babelwire's own fetcher obeys
    assert list(robots.sitemaps) == ["https://news.example.org/sitemap.xml"]
    assert robots.can_fetch("https://news.example.org/en/articles/1", "AnyBot")
    assert not robots.can_fetch("https://news.example.org/admin/", "AnyBot")
    assert not robots.can_fetch("https://news.example.org/api/v1/articles", "AnyBot")


def test_favicon_ico_is_served_not_redirected(client: TestClient) -> None:
    response = client.get("/favicon.ico", follow_redirects=False)
    assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<svg")


def test_https_sites_send_hsts(client: TestClient) -> None:
    assert client.get("/robots.txt").headers["strict-transport-security"] == "max-age=31536000"


@pytest.mark.parametrize(
    ("base_url", "web"), [("http://127.0.0.1:8000", None), ("https://a.example", WebSettings(hsts_max_age=0))]
)
def test_no_hsts_on_plain_http_or_when_turned_off(
    tmp_path: Path, base_url: str, web: WebSettings | None
) -> None:
    client, store = site(tmp_path, base_url, web)
    assert "strict-transport-security" not in client.get("/robots.txt").headers
    store.close()
