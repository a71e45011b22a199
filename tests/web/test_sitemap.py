"""sitemap.xml: every language version of every article, tied together by hreflang alternates."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from babelwire.config import Settings
from babelwire.demo.server import DemoSite
from babelwire.store.db import Store
from babelwire.web import sitemap
from babelwire.web.app import create_app

NS = {"s": sitemap.SITEMAP_NS, "x": sitemap.XHTML_NS}
BASE = "http://wire.test"


@pytest.fixture(scope="module")
def client(site_settings: Settings, published_store: Store) -> TestClient:
    return TestClient(create_app(site_settings, published_store))


def parse(client: TestClient, path: str) -> etree._Element:
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/xml")
    return etree.fromstring(response.content)


def urls(root: etree._Element) -> dict[str, dict[str, str]]:
    """loc -> {hreflang: href}, checking that every lastmod is a W3C datetime."""
    found = {}
    for url in root.findall("s:url", NS):
        datetime.fromisoformat(url.findtext("s:lastmod", namespaces=NS) or "")
        alternates = {str(link.get("hreflang")): str(link.get("href")) for link in url.findall("x:link", NS)}
        assert all(link.get("rel") == "alternate" for link in url.findall("x:link", NS))
        found[url.findtext("s:loc", namespaces=NS) or ""] = alternates
    return found


def test_every_article_in_every_language_with_alternates(client: TestClient, demo_site: DemoSite) -> None:
    found = urls(parse(client, "/sitemap.xml"))
    articles = {loc: alt for loc, alt in found.items() if "/articles/" in loc}
    assert len(articles) == 2 * len(demo_site.articles)
    for loc, alternates in articles.items():
        item_id = loc.rsplit("/", 1)[1]
        assert alternates == {
            "en": f"{BASE}/en/articles/{item_id}",
            "es": f"{BASE}/es/articles/{item_id}",
            "x-default": f"{BASE}/en/articles/{item_id}",
        }
    home = {"en": f"{BASE}/en/", "es": f"{BASE}/es/", "x-default": f"{BASE}/en/"}
    assert found[f"{BASE}/en/"] == found[f"{BASE}/es/"] == home


def test_a_held_translation_is_left_out(
    client: TestClient, hold_first_item: Callable[[str], AbstractContextManager[int]]
) -> None:
    with hold_first_item("es") as item_id:
        found = urls(parse(client, "/sitemap.xml"))
    assert f"{BASE}/es/articles/{item_id}" not in found
    assert found[f"{BASE}/en/articles/{item_id}"] == {}  # no other version left to point at


def test_large_site_gets_a_sitemap_index(
    client: TestClient, demo_site: DemoSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = urls(parse(client, "/sitemap.xml"))
    monkeypatch.setattr(sitemap, "ITEMS_PER_FILE", 2)
    index = parse(client, "/sitemap.xml")
    assert etree.QName(index).localname == "sitemapindex"
    files = [loc.text or "" for loc in index.findall("s:sitemap/s:loc", NS)]
    assert len(files) == -(-len(demo_site.articles) // 2)
    pieces: dict[str, dict[str, str]] = {}
    for url in files:
        pieces.update(urls(parse(client, url.removeprefix(BASE))))
    assert pieces == whole
    assert client.get(f"/sitemaps/{len(files) + 1}.xml").status_code == 404
    assert client.get("/sitemaps/0.xml").status_code == 404
