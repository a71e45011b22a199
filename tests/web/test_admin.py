"""Admin pages: login, sessions, CSRF, sources, held translations, failures."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from babelwire.config import Settings
from babelwire.store import queries
from babelwire.store.db import Store
from babelwire.store.models import ItemRow, TranslationRow
from babelwire.web import auth
from babelwire.web.app import create_app
from babelwire.web.websettings import WebSettings
from tests.web.test_api import seed_wire

PASSWORD = "correct horse battery"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Settings, Store, dict[str, int]]]:
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'admin.db'}",
        target_languages=["en"],
        web=WebSettings(login_attempts=3),
    )
    store = Store(settings.resolved_database_url)
    ids = seed_wire(store)
    with store.session() as session, session.begin():
        auth.set_admin_password(session, PASSWORD)
    yield settings, store, ids
    store.close()


@pytest.fixture
def client(site: tuple[Settings, Store, dict[str, int]]) -> TestClient:
    settings, store, _ = site
    return TestClient(create_app(settings, store))


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "form without a CSRF token"
    return match.group(1)


def language_row(html: str, language: str) -> list[str]:
    """The published, held and rejected cells of one language in the held page's counts table."""
    match = re.search(rf"<tr><th scope=\"row\">[^<]*\({language}\)</th>((?:<td>\d+</td>){{3}})</tr>", html)
    assert match, html
    return re.findall(r"<td>(\d+)</td>", match.group(1))


def log_in(client: TestClient, password: str = PASSWORD) -> str:
    """Log in and return the CSRF token of the admin session."""
    token = csrf(client.get("/admin/login").text)
    response = client.post(
        "/admin/login", data={"password": password, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/admin/sources", response.text
    return csrf(client.get("/admin/sources").text)


def test_pages_need_a_login(client: TestClient) -> None:
    for path in ("/admin/sources", "/admin/held", "/admin/failures", "/admin/sources/1", "/admin/"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/admin/login"


def test_wrong_password_is_refused(client: TestClient) -> None:
    token = csrf(client.get("/admin/login").text)
    response = client.post("/admin/login", data={"password": "guess", "csrf_token": token})
    assert response.status_code == 401 and "Wrong password." in response.text
    assert client.get("/admin/sources", follow_redirects=False).status_code == 303


def test_right_password_opens_a_safe_session(client: TestClient) -> None:
    token = csrf(client.get("/admin/login").text)
    response = client.post(
        "/admin/login", data={"password": PASSWORD, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/admin" in cookie
    assert "secure" not in cookie  # http site: a Secure cookie would never come back
    page = client.get("/admin/sources")
    assert page.status_code == 200 and "Diario" in page.text and "Gaceta" in page.text
    assert csrf(page.text) != token  # a new session gets a new token
    assert page.headers["cache-control"] == "no-store"
    assert "<script" not in page.text and "style=" not in page.text


def test_https_site_sets_secure_cookies(site: tuple[Settings, Store, dict[str, int]]) -> None:
    settings, store, _ = site
    https = settings.model_copy(update={"base_url": "https://wire.example"})
    client = TestClient(create_app(https, store), base_url="https://testserver")
    token = csrf(client.get("/admin/login").text)
    response = client.post(
        "/admin/login", data={"password": PASSWORD, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303 and "; secure" in response.headers["set-cookie"].lower()
    assert client.get("/admin/sources").status_code == 200


@pytest.mark.parametrize("token", [None, "", "forged"])
def test_posts_without_the_right_csrf_token_are_forbidden(client: TestClient, token: str | None) -> None:
    log_in(client)
    data = {"url": "https://csrf.example/rss"} | ({"csrf_token": token} if token is not None else {})
    assert client.post("/admin/sources", data=data).status_code == 403
    assert "csrf.example" not in client.get("/admin/sources").text
    login = {"password": PASSWORD} | ({"csrf_token": token} if token is not None else {})
    assert client.post("/admin/login", data=login).status_code == 403


def test_add_edit_and_disable_a_source_through_the_forms(client: TestClient) -> None:
    token = log_in(client)
    form = {
        "url": "https://nuevo.example/rss",
        "name": "El Nuevo",
        "language": "es",
        "excerpt_only": "true",
        "csrf_token": token,
    }
    response = client.post("/admin/sources", data=form)
    assert response.status_code == 200 and "Added source 3: El Nuevo" in response.text
    assert "excerpt only" in response.text

    bad = client.post("/admin/sources", data=form | {"url": "javascript:alert(1)"})
    assert bad.status_code == 400 and "only http:// and https:// URLs" in bad.text
    assert 'value="javascript:alert(1)"' in bad.text  # the form keeps what was typed, escaped
    duplicate = client.post("/admin/sources", data=form)
    assert duplicate.status_code == 409 and "exists already" in duplicate.text

    edit = client.post("/admin/sources/3", data={"name": "Nuevo Diario", "language": "", "csrf_token": token})
    assert edit.status_code == 200 and "Saved source 3: Nuevo Diario" in edit.text
    page = client.get("/admin/sources/3").text
    assert 'value="Nuevo Diario"' in page and 'name="enabled" value="true" checked' not in page
    client.post("/admin/sources/3/enable", data={"csrf_token": token})
    assert (
        "Source 3 (Nuevo Diario) disabled."
        in client.post("/admin/sources/3/disable", data={"csrf_token": token}).text
    )
    source = client.get("/api/v1/sources").json()[2]
    assert (source["name"], source["language"], source["enabled"], source["excerpt_only"]) == (
        "Nuevo Diario",
        None,
        False,
        False,
    )


def test_release_a_held_translation_through_the_form(
    client: TestClient, site: tuple[Settings, Store, dict[str, int]]
) -> None:
    held = site[2]["held"]
    token = log_in(client)
    page = client.get("/admin/held").text
    assert "Title 2" in page and "3 became 8" in page and "critical" in page
    assert language_row(page, "en") == ["2", "1", "0"]  # published, held, rejected
    assert client.get(f"/en/articles/{held}").status_code == 404

    response = client.post(f"/admin/held/{held}/release", data={"lang": "en", "csrf_token": token})
    assert response.status_code == 200 and f"Item {held} (en) released" in response.text
    assert "Nothing is held" in response.text
    assert language_row(response.text, "en") == ["3", "0", "0"]
    assert client.get(f"/en/articles/{held}").status_code == 200
    assert held in [a["id"] for a in client.get("/api/v1/articles").json()["items"]]
    again = client.post(f"/admin/held/{held}/reject", data={"lang": "en", "csrf_token": token})
    assert "is not held any more" in again.text


def test_editor_rejected_translations_can_be_listed_and_released(
    client: TestClient, site: tuple[Settings, Store, dict[str, int]]
) -> None:
    _, store, ids = site
    with store.session() as session, session.begin():
        row = session.scalars(select(TranslationRow).where(TranslationRow.title == "Title 2")).one()
        row.review_status = "reject"
    token = log_in(client)
    assert "Title 2" not in client.get("/admin/held").text
    assert "Title 2" in client.get("/admin/held?rejected=true").text
    client.post(f"/admin/held/{ids['held']}/release", data={"lang": "en", "csrf_token": token})
    assert client.get(f"/en/articles/{ids['held']}").status_code == 200


def test_failures_page_shows_stage_class_message_attempts(
    client: TestClient, site: tuple[Settings, Store, dict[str, int]]
) -> None:
    _, store, ids = site
    with store.session() as session, session.begin():
        item = session.get_one(ItemRow, ids["published"])
        queries.record_failure(session, item, "fetch", "FetchError", "HTTP 503 from <diario.example>")
    log_in(client)
    page = client.get("/admin/failures").text
    assert "fetch" in page and "FetchError" in page and "HTTP 503 from &lt;diario.example&gt;" in page
    assert re.search(r"<td>1</td>", page)


def test_failed_logins_are_throttled(client: TestClient) -> None:
    token = csrf(client.get("/admin/login").text)
    for _ in range(3):
        assert client.post("/admin/login", data={"password": "no", "csrf_token": token}).status_code == 401
    blocked = client.post("/admin/login", data={"password": PASSWORD, "csrf_token": token})
    assert blocked.status_code == 429 and "Too many failed logins" in blocked.text


def test_logout_and_new_password_end_sessions(
    client: TestClient, site: tuple[Settings, Store, dict[str, int]]
) -> None:
    token = log_in(client)
    response = client.post("/admin/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/admin/sources", follow_redirects=False).status_code == 303

    log_in(client)
    with site[1].session() as session, session.begin():
        auth.set_admin_password(session, "another long password")
    assert client.get("/admin/sources", follow_redirects=False).status_code == 303


def test_login_page_says_how_to_set_a_password(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'empty.db'}")
    client = TestClient(create_app(settings))
    assert "babelwire admin set-password" in client.get("/admin/login").text
    token = csrf(client.get("/admin/login").text)
    response = client.post("/admin/login", data={"password": "anything", "csrf_token": token})
    assert response.status_code == 401 and "No admin password is set" in response.text
