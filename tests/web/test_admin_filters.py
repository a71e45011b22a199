"""/admin/filters: configured rules shown, stored rules added and removed, excluded articles listed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import escape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from babelwire.config import Settings
from babelwire.domain import FeedItem
from babelwire.store import filter_rules, queries
from babelwire.store.db import Store
from babelwire.store.models import ItemStatus, SourceRow
from babelwire.stories.filter_config import FilterSettings
from babelwire.web import auth
from babelwire.web.app import create_app
from tests.web.test_admin import PASSWORD, csrf, log_in
from tests.web.test_api import seed_wire

Site = tuple[Store, dict[str, int]]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    store = Store(f"sqlite:///{tmp_path / 'filters.db'}")
    ids = seed_wire(store)
    with store.session() as session, session.begin():
        auth.set_admin_password(session, PASSWORD)
        source = session.get_one(SourceRow, ids["diario"])
        (item,) = queries.add_items(
            session, source, (FeedItem("https://diario.example/horoscopo", "h", "Horóscopo"),)
        )
        item.status, item.excluded_by = ItemStatus.EXCLUDED, "block title:horóscopo (global)"
        ids["excluded"] = item.id
    yield store, ids
    store.close()


@pytest.fixture
def client(site: Site, tmp_path: Path) -> TestClient:
    store, _ = site
    filters = FilterSettings(
        rules=["block title:horóscopo"], sources={"Diario": ["keep language:es"], "Nadie": ["block title:y"]}
    )
    settings = Settings(data_dir=tmp_path, database_url=store.url, target_languages=["en"], filters=filters)
    return TestClient(create_app(settings, store))


def test_the_page_needs_a_login_and_its_forms_a_csrf_token(client: TestClient, site: Site) -> None:
    assert client.get("/admin/filters", follow_redirects=False).headers["location"] == "/admin/login"
    log_in(client)
    for token in (None, "forged"):
        data = {"rule": "block title:x"} | ({"csrf_token": token} if token else {})
        assert client.post("/admin/filters", data=data).status_code == 403
    store, _ = site
    with store.session() as session:
        assert filter_rules.stored_rules(session) == []


def test_configured_rules_and_excluded_articles_are_shown(client: TestClient, site: Site) -> None:
    _, ids = site
    log_in(client)
    page = client.get("/admin/filters")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    html = page.text
    assert '<a href="/admin/filters" aria-current="page">Filters</a>' in html
    assert "<code>block title:horóscopo</code>" in html and "<code>keep language:es</code>" in html
    assert "every source" in html and "No stored rules yet." in html
    assert "excluded by rule <code>block title:horóscopo (global)</code>" in html
    assert f"<td>{ids['excluded']}<br>" in html and "https://diario.example/horoscopo" in html
    assert "<script" not in html and "style=" not in html


def test_a_rule_is_added_for_a_source_then_removed(client: TestClient, site: Site) -> None:
    store, ids = site
    token = log_in(client)
    added = client.post(
        "/admin/filters",
        data={"rule": r"block url:/\/deportes\//", "source": str(ids["gaceta"]), "csrf_token": token},
    )
    assert added.status_code == 200  # followed the redirect back to the page
    assert escape(r"Added block url:/\/deportes\// (Gaceta, rule #1).") in added.text
    with store.session() as session:
        (rule,) = filter_rules.stored_rules(session)
    assert (rule.source_id, rule.regex, rule.stored_id) == (ids["gaceta"], True, 1)
    assert 'action="/admin/filters/1/remove"' in added.text

    removed = client.post("/admin/filters/1/remove", data={"csrf_token": csrf(added.text)})
    assert (
        "Removed block url:/\\/deportes\\// (Gaceta, rule #1). Articles it excluded stay excluded."
        in removed.text
    )
    again = client.post("/admin/filters/1/remove", data={"csrf_token": csrf(removed.text)})
    assert "There is no stored rule 1" in again.text
    with store.session() as session:
        assert filter_rules.stored_rules(session) == []


@pytest.mark.parametrize(
    ("form", "status", "says"),
    [
        ({"rule": "blok title:x"}, 400, "unknown action &#39;blok&#39;"),
        ({"rule": "block title:/(a+)+/"}, 400, "filter regex has a nested repeat"),
        ({"rule": "block title:x", "source": "999"}, 409, "no source 999"),
        ({"rule": "block title:x", "source": "Gaceta"}, 400, "unknown source &#39;Gaceta&#39;"),
        ({"rule": "<script>alert(1)</script>:x"}, 400, "&lt;script&gt;"),
    ],
)
def test_a_bad_rule_is_refused_and_the_form_kept(
    client: TestClient, site: Site, form: dict[str, str], status: int, says: str
) -> None:
    token = log_in(client)
    response = client.post("/admin/filters", data=form | {"csrf_token": token})
    assert response.status_code == status and says in response.text, response.text
    assert "Not saved:" in response.text
    assert f'value="{escape(form["rule"])}"' in response.text  # what was typed stays in the field
    assert "<script>alert" not in response.text
    store, _ = site
    with store.session() as session:
        assert filter_rules.stored_rules(session) == []


def test_a_repeated_rule_is_a_conflict(client: TestClient) -> None:
    token = log_in(client)
    first = client.post("/admin/filters", data={"rule": "block title:x", "csrf_token": token})
    second = client.post("/admin/filters", data={"rule": "block  title:x", "csrf_token": csrf(first.text)})
    assert second.status_code == 409 and "exists already as #1" in second.text


def test_a_configured_source_no_source_has_is_flagged(client: TestClient) -> None:
    log_in(client)
    html = client.get("/admin/filters").text
    known = re.search(r"<td>Diario(.*?)</td>", html, re.S)
    unknown = re.search(r"<td>Nadie(.*?)</td>", html, re.S)
    assert known and "no source has" not in known.group(1)
    assert unknown and "no source has this URL or name" in unknown.group(1)
