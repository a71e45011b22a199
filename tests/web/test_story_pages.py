"""What readers and the admin see of stories, on both backends: the top stories page, a story page,
the story feeds, the stories API, the article page's story and copies, search grouped by story,
and a person's move in the admin (the site shows it at once)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import feedparser
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from babelwire.config import Settings
from babelwire.store.db import Store
from babelwire.store.models import ItemRow, StoryEventRow
from babelwire.web import auth
from babelwire.web.app import create_app
from tests.story_rows import sample_wire
from tests.web.test_admin import PASSWORD, log_in


@dataclass
class StorySite:
    client: TestClient
    store: Store
    ids: dict[str, int]


@pytest.fixture
def site(store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StorySite]:
    """tests/story_rows.py's sample wire, its agency's name and its copy's URL hostile."""
    ids = sample_wire(store, agency="Agencia <b>EFE</b>", copy_url="javascript:alert(1)")
    with store.session() as session, session.begin():
        auth.set_admin_password(session, PASSWORD)
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("stories"),
        database_url=store.url,
        target_languages=["en", "es"],
        site_title="Story Wire",
        base_url="http://wire.test",
    )
    with TestClient(create_app(settings, store)) as client:
        yield StorySite(client, store, ids)


def _story_links(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<li class="story-card">\s*<h2><a href="/en/stories/(\d+)">', html)]


def test_top_stories_rank_by_sources_then_languages_then_recency(site: StorySite) -> None:
    response = site.client.get("/en/stories")
    assert response.status_code == 200
    html = response.text
    # Story 1: four sources (the copy's agency counts); 2: two; 3 and 5: one (3 newer); 4: too old.
    assert _story_links(html) == [1, 2, 3, 5]
    assert "Reported by: Agencia &lt;b&gt;EFE&lt;/b&gt;, Diario, Gaceta, Herald" in html
    assert "<b>EFE</b>" not in html  # a source's name is text, never markup
    assert "La alcaldesa jura el cargo" not in html  # held: not listed, so not in its story either
    assert 'type="application/atom+xml"' in html and "/en/stories/feed.atom" in html


def test_the_home_page_shows_top_stories_on_its_first_page_only(site: StorySite) -> None:
    home = site.client.get("/en/").text
    assert 'href="/en/stories/1"' in home and 'href="/en/stories/2"' in home
    older = site.client.get("/en/", params={"page": 2})
    assert older.status_code in (200, 404) and 'href="/en/stories/1"' not in older.text


def test_a_story_page_lists_every_version_with_attribution_and_its_copies(site: StorySite) -> None:
    html = site.client.get("/en/stories/1").text
    titles = re.findall(r'<h3><a href="/en/articles/(\d+)">', html)
    ids = site.ids
    assert [int(t) for t in titles] == [ids["s1_gaceta"], ids["s1_herald"], ids["s1_diario"]]  # newest first
    assert "<h1>Flood at the harbour</h1>" in html  # the lead: the newest written in English
    assert "3 versions" in html and html.count('class="original-link"') == 3
    assert 'href="https://herald.example/article-' in html  # each version links to its original
    also = re.search(r'<p class="also-published">(.*?)</p>', html, re.S)
    assert also is not None and "Agencia &lt;b&gt;EFE&lt;/b&gt;" in also.group(1)
    assert "javascript:" not in html  # the copy's URL is not a web link: its name only, no href
    assert site.client.get("/en/stories/4").status_code == 200  # old stories keep their page
    assert site.client.get("/en/stories/999").status_code == 404
    assert site.client.get("/xx/stories/1").status_code == 404


def test_a_story_held_everywhere_has_no_page_and_a_held_version_is_not_shown(site: StorySite) -> None:
    html = site.client.get("/en/stories/2").text
    assert "2 versions" in html and "alcaldesa jura" not in html
    with site.store.session() as session:
        assert session.get_one(ItemRow, site.ids["s2_held"]).story_id == 2  # the admin still sees it


def test_story_feeds_in_every_format(site: StorySite) -> None:
    top = feedparser.parse(site.client.get("/en/stories/feed.atom").content)
    assert top.bozo == 0
    assert [entry.link for entry in top.entries] == [f"http://wire.test/en/stories/{n}" for n in (1, 2, 3, 5)]
    one = site.client.get("/en/stories/1/feed.rss")
    assert one.headers["content-type"].startswith("application/rss+xml")
    parsed = feedparser.parse(one.content)
    assert parsed.bozo == 0 and len(parsed.entries) == 3
    assert any("diario.example" in entry.get("summary", "") + entry.link for entry in parsed.entries)
    as_json = site.client.get("/es/stories/1/feed.json").json()
    assert len(as_json["items"]) == 3
    assert site.client.get("/en/stories/999/feed.rss").status_code == 404


def test_the_stories_api(site: StorySite) -> None:
    page = site.client.get("/api/v1/stories", params={"lang": "en"}).json()
    assert page["total"] == 4 and [s["id"] for s in page["items"]] == [1, 2, 3, 5]
    first = page["items"][0]
    assert (first["sources"], first["languages"], first["versions"]) == (4, 2, 3)
    assert first["url"] == "http://wire.test/en/stories/1"
    assert first["lead"]["id"] == site.ids["s1_herald"]
    detail = site.client.get("/api/v1/stories/1", params={"lang": "en"}).json()
    assert [a["id"] for a in detail["articles"]] == [
        site.ids[k] for k in ("s1_gaceta", "s1_herald", "s1_diario")
    ]
    schema = site.client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/stories", "/api/v1/stories/{story_id}"} <= schema["paths"].keys()
    missing = site.client.get("/api/v1/stories/999", params={"lang": "en"})
    assert missing.status_code == 404 and "no story 999" in missing.json()["detail"]
    assert site.client.get("/api/v1/stories", params={"lang": "en", "limit": 0}).status_code == 422


def test_an_article_page_names_its_story_and_who_else_published_it(site: StorySite) -> None:
    html = site.client.get(f"/en/articles/{site.ids['s1_diario']}").text
    assert 'href="/en/stories/1"' in html
    assert "Also published by:" in html and "Agencia &lt;b&gt;EFE&lt;/b&gt;" in html
    alone = site.client.get(f"/en/articles/{site.ids['s3']}").text
    assert "Also published by:" not in alone


def test_a_copy_is_never_listed_on_its_own(site: StorySite) -> None:
    listed = site.client.get("/api/v1/articles", params={"lang": "en", "limit": 50}).json()["items"]
    assert site.ids["copy"] not in {a["id"] for a in listed}
    assert site.client.get(f"/en/articles/{site.ids['copy']}").status_code == 404


def test_a_move_in_the_admin_is_logged_and_shown_at_once(site: StorySite) -> None:
    client, item = site.client, site.ids["s1_diario"]
    assert _story_links(client.get("/en/stories").text)[0] == 1
    token = log_in(client)
    form = client.get(f"/admin/items/{item}/story").text
    assert "Move to another story" in form and "Agencia" in form
    refused = client.post(f"/admin/items/{item}/story", data={"story": "999", "csrf_token": token})
    assert refused.status_code == 409 and "there is no story 999" in refused.text
    bad = client.post(f"/admin/items/{item}/story", data={"story": "abc", "csrf_token": token})
    assert bad.status_code == 400
    copy_form = client.post(
        f"/admin/items/{site.ids['copy']}/story", data={"story": "3", "csrf_token": token}
    )
    assert copy_form.status_code == 409 and "move item" in copy_form.text
    forged = client.post(f"/admin/items/{item}/story", data={"story": "3", "csrf_token": "forged"})
    assert forged.status_code == 403

    moved = client.post(f"/admin/items/{item}/story", data={"story": "3", "csrf_token": token})
    assert moved.status_code == 200 and "moved from story 1 to story 3" in moved.text
    with site.store.session() as session:
        rows = {row.id: row.story_id for row in session.scalars(select(ItemRow))}
        assert rows[item] == 3 and rows[site.ids["copy"]] == 3  # its copy follows it
        events = session.scalars(select(StoryEventRow).where(StoryEventRow.kind == "moved")).all()
        assert {(e.item_id, e.story_id, e.actor) for e in events} == {
            (item, 3, auth.ADMIN),
            (site.ids["copy"], 3, auth.ADMIN),
        }
    # Readers see it at once (the page cache empties): story 3 has three sources now,
    # 2 and 1 two each (2 is newer).
    assert _story_links(client.get("/en/stories").text) == [3, 2, 1, 5]
    assert f'href="/en/articles/{item}"' in client.get("/en/stories/3").text
    assert f'href="/en/articles/{item}"' not in client.get("/en/stories/1").text

    fresh = client.post(f"/admin/items/{item}/story", data={"story": "", "csrf_token": token})
    assert "to a new story, story 6" in fresh.text


def test_admin_pages_need_a_login(site: StorySite) -> None:
    for path in ("/admin/sources/1/items", f"/admin/items/{site.ids['s3']}/story"):
        response = site.client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/admin/login"


def test_search_results_of_one_story_are_shown_together(site: StorySite) -> None:
    html = site.client.get("/en/search", params={"q": "puerto"}).text
    groups = re.findall(r'<li class="story-group">(.*?)</ol>\s*</li>', html, re.S)
    assert len(groups) == 1 and 'href="/en/stories/1"' in groups[0]
    grouped = {int(n) for n in re.findall(r'href="/en/articles/(\d+)"', groups[0])}
    assert grouped == {site.ids["s1_diario"], site.ids["s1_gaceta"]}
    single = site.client.get("/en/search", params={"q": "concierto"}).text
    assert 'class="story-group"' not in single and f'href="/en/articles/{site.ids["s3"]}"' in single
