"""sitemap.xml: every language version of every article, tied together by hreflang alternates."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import select

from babelwire.config import Settings
from babelwire.demo.server import DemoSite
from babelwire.store.db import Store
from babelwire.store.models import ItemRow
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


def test_language_versions_are_absolute_in_site_order_with_x_default(tmp_path: Path) -> None:
    """Whatever order the languages come in, the links follow the site's, and x-default is the first
    shown; a trailing slash on base_url makes no "//"."""
    settings = Settings(data_dir=tmp_path, target_languages=["en", "es", "ca"], base_url=f"{BASE}/")
    versions = sitemap.language_versions(settings, "articles/7", ["ca", "es"])
    assert list(versions.items()) == [
        ("es", f"{BASE}/es/articles/7"),
        ("ca", f"{BASE}/ca/articles/7"),
        ("x-default", f"{BASE}/es/articles/7"),
    ]
    assert sitemap.language_versions(settings, "", ["en", "es", "ca"]) == {
        "en": f"{BASE}/en/",
        "es": f"{BASE}/es/",
        "ca": f"{BASE}/ca/",
        "x-default": f"{BASE}/en/",
    }


def test_language_versions_leave_out_what_the_site_does_not_publish(tmp_path: Path) -> None:
    """A language outside the site's is no version; no language at all is no x-default either."""
    settings = Settings(data_dir=tmp_path, target_languages=["en", "ca"], base_url=BASE)
    assert sitemap.language_versions(settings, "articles/7", ["fr", "ca"]) == {
        "ca": f"{BASE}/ca/articles/7",
        "x-default": f"{BASE}/ca/articles/7",
    }
    assert sitemap.language_versions(settings, "articles/7", ["fr"]) == {}
    assert sitemap.language_versions(settings, "articles/7", []) == {}


def first_item(store: Store) -> int:
    with store.session() as session:
        item_id = session.scalar(select(ItemRow.id).order_by(ItemRow.id).limit(1))
    assert item_id is not None
    return item_id


def article_versions(store: Store, settings: Settings, item_id: int) -> dict[str, str]:
    with store.session() as session:
        return sitemap.article_versions(settings, session, item_id)


def test_article_versions_are_the_published_languages(
    site_settings: Settings, published_store: Store
) -> None:
    item_id = first_item(published_store)
    assert article_versions(published_store, site_settings, item_id) == {
        "en": f"{BASE}/en/articles/{item_id}",
        "es": f"{BASE}/es/articles/{item_id}",
        "x-default": f"{BASE}/en/articles/{item_id}",
    }
    assert article_versions(published_store, site_settings, 999_999) == {}


@pytest.mark.parametrize(("held", "left"), [("es", "en"), ("en", "es")])
def test_article_versions_leave_out_a_held_language(
    site_settings: Settings,
    published_store: Store,
    hold_first_item: Callable[[str], AbstractContextManager[int]],
    held: str,
    left: str,
) -> None:
    """A language the article lacks now is not listed, and x-default moves to the one left."""
    with hold_first_item(held) as item_id:
        versions = article_versions(published_store, site_settings, item_id)
    assert versions == {
        left: f"{BASE}/{left}/articles/{item_id}",
        "x-default": f"{BASE}/{left}/articles/{item_id}",
    }


def test_the_article_page_head_follows_article_versions(
    client: TestClient,
    site_settings: Settings,
    published_store: Store,
    hold_first_item: Callable[[str], AbstractContextManager[int]],
) -> None:
    """The page's canonical and hreflang links are article_versions' (the sitemap's); with one
    version left, a canonical and no hreflang, as the sitemap lists no alternates then."""

    def head(path: str) -> tuple[list[str], dict[str, str]]:
        response = client.get(path)
        assert response.status_code == 200, path
        document = lxml.html.document_fromstring(response.content)
        links = document.findall("head/link")
        return (
            [str(link.get("href")) for link in links if link.get("rel") == "canonical"],
            {str(link.get("hreflang")): str(link.get("href")) for link in links if link.get("hreflang")},
        )

    item_id = first_item(published_store)
    versions = article_versions(published_store, site_settings, item_id)
    assert head(f"/es/articles/{item_id}") == ([versions["es"]], versions)
    with hold_first_item("es"):
        assert head(f"/en/articles/{item_id}") == ([f"{BASE}/en/articles/{item_id}"], {})


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
    client: TestClient, demo_site: DemoSite, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    whole = urls(parse(client, "/sitemap.xml"))
    monkeypatch.setattr(sitemap, "ITEMS_PER_FILE", 2)
    cache = client.app.state.page_cache  # type: ignore[attr-defined]  # a setting changed in place
    cache.clear()
    request.addfinalizer(cache.clear)
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
