"""HTTP as clients use it, on the live demo store: HEAD like GET on every public route, 304s, 404 pages.

Feed readers, link checkers, uptime monitors and crawlers send HEAD and conditional GETs; this walks
every GET route the app declares (a new route without a sample here fails the coverage test).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from babelwire.web.app import create_app
from tests.web.conformance.conftest import LiveSite

# Headers that differ between any two answers, whatever the method.
PER_ANSWER = {"date", "x-babelwire-cache"}  # when it was sent; whether it was rendered for it
# GET routes that are not pages for the public: a hub's verification callback, the API's catch-all 404.
NOT_PUBLIC_GETS = {"/websub/{source_id:int}", "/api/v1/{path:path}"}
PRIVATE = ("/admin", "/metrics", "/api/v1/held")


def declared_get_routes(app: FastAPI) -> set[str]:
    """Every GET path template of the app, routers included (FastAPI nests them lazily)."""

    def walk(routes: Iterable[Any], prefix: str) -> Iterator[str]:
        for route in routes:
            if hasattr(route, "original_router"):
                yield from walk(route.original_router.routes, prefix + (route.include_context.prefix or ""))
            elif "GET" in (getattr(route, "methods", None) or ()):
                yield prefix + route.path

    return set(walk(app.routes, ""))


@pytest.fixture(scope="module")
def samples(live_site: LiveSite) -> dict[str, str]:
    """One real URL per GET route template, taken from the live store."""
    with httpx.Client(base_url=live_site.base_url) as client:
        article = client.get("/api/v1/articles", params={"lang": "en", "limit": 1}).json()["items"][0]["id"]
        source = client.get("/api/v1/sources").json()[0]["id"]
        story = client.get("/api/v1/stories", params={"lang": "en", "limit": 1}).json()["items"][0]
    item = story["lead"]["id"]
    story_id = story["id"]
    return {
        "/": "/",
        "/healthz": "/healthz",
        "/robots.txt": "/robots.txt",
        "/favicon.ico": "/favicon.ico",
        "/sitemap.xml": "/sitemap.xml",
        "/sitemaps/{page}.xml": "/sitemaps/1.xml",
        "/{lang}/": "/ca/",
        "/{lang}/articles/{article_id}": f"/en/articles/{article}",
        "/{lang}/articles/{article_id}/bilingual": f"/ca/articles/{article}/bilingual",
        "/{lang}/sources": "/en/sources",
        "/{lang}/sources/{source_id}": f"/en/sources/{source}",
        "/{lang}/search": "/en/search?q=puerto",
        "/{lang}/feed.{fmt}": "/en/feed.atom",
        "/{lang}/sources/{source_id}/feed.{fmt}": f"/ca/sources/{source}/feed.json",
        "/{lang}/stories": "/es/stories",
        "/{lang}/stories/{story_id}": f"/en/stories/{story_id}",
        "/{lang}/stories/feed.{fmt}": "/ca/stories/feed.rss",
        "/{lang}/stories/{story_id}/feed.{fmt}": f"/en/stories/{story_id}/feed.atom",
        "/api/v1/stories": "/api/v1/stories?lang=es",
        "/api/v1/stories/{story_id}": f"/api/v1/stories/{story_id}?lang=en",
        "/api/v1/articles": "/api/v1/articles?lang=ca",
        "/api/v1/articles/{article_id}": f"/api/v1/articles/{article}?lang=en",
        "/api/v1/sources": "/api/v1/sources",
        "/api/v1/held": "/api/v1/held",
        "/api/v1/openapi.json": "/api/v1/openapi.json",
        "/api/v1/docs": "/api/v1/docs",
        "/admin/": "/admin/",
        "/admin/login": "/admin/login",
        "/admin/sources": "/admin/sources",
        "/admin/sources/{source_id}": f"/admin/sources/{source}",
        "/admin/sources/{source_id}/items": f"/admin/sources/{source}/items",
        "/admin/items/{item_id}/story": f"/admin/items/{item}/story",
        "/admin/filters": "/admin/filters",
        "/admin/held": "/admin/held",
        "/admin/failures": "/admin/failures",
        "/admin/admin.css": "/admin/admin.css",
        "/metrics": "/metrics",
    }


def test_every_get_route_has_a_sample(live_site: LiveSite, samples: dict[str, str]) -> None:
    declared = declared_get_routes(create_app(live_site.settings, live_site.store))
    assert declared - NOT_PUBLIC_GETS - samples.keys() == set(), "add a sample URL for the new route"


def comparable(response: httpx.Response) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name not in PER_ANSWER}


def public_urls(samples: dict[str, str]) -> list[str]:
    return [url for url in samples.values() if not url.startswith(PRIVATE)]


def test_head_answers_with_the_headers_of_get_on_every_public_route(
    live_site: LiveSite, samples: dict[str, str]
) -> None:
    with httpx.Client(base_url=live_site.base_url) as client:
        for url in public_urls(samples):
            get, head = client.get(url), client.head(url)
            assert get.status_code in (200, 302), url
            assert head.status_code == get.status_code and head.content == b"", url
            assert comparable(head) == comparable(get), url


def test_head_works_on_private_routes_and_they_are_never_stored(
    live_site: LiveSite, samples: dict[str, str]
) -> None:
    token = {"Authorization": f"Bearer {live_site.token}"}
    with httpx.Client(base_url=live_site.base_url, headers=token) as client:
        for url in (url for url in samples.values() if url.startswith(PRIVATE)):
            get, head = client.get(url), client.head(url)
            assert head.status_code == get.status_code != 405 and head.content == b"", url
            assert get.headers["cache-control"] == "no-store" and "etag" not in get.headers, url


def test_both_validators_get_a_304_on_every_public_page(live_site: LiveSite, samples: dict[str, str]) -> None:
    with httpx.Client(base_url=live_site.base_url) as client:
        for url in public_urls(samples):
            first = client.get(url)
            if first.status_code != 200:
                continue  # the redirect at /
            by_tag = client.get(url, headers={"If-None-Match": first.headers["etag"]})
            by_date = client.get(url, headers={"If-Modified-Since": first.headers["last-modified"]})
            assert by_tag.status_code == 304 and by_tag.content == b"", url
            assert by_date.status_code == 304 and by_date.content == b"", url
            assert by_tag.headers["etag"] == first.headers["etag"], url


@pytest.mark.parametrize(
    "path", ["/en/does-not-exist", "/en/articles/1/xyz", "/ca/articles/999999", "/en/?page=0"]
)
def test_unknown_paths_get_the_html_error_page(live_site: LiveSite, path: str) -> None:
    response = httpx.get(live_site.base_url + path)
    assert response.status_code in (400, 404)
    assert response.headers["content-type"].startswith("text/html")
    assert "<main" in response.text and "detail" not in response.text


def test_robots_txt_names_the_sitemap(live_site: LiveSite) -> None:
    response = httpx.get(live_site.base_url + "/robots.txt", follow_redirects=False)
    assert response.status_code == 200
    assert f"Sitemap: {live_site.base_url}/sitemap.xml" in response.text.splitlines()
