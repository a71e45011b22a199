"""Every error outside the API is the site's HTML page, in the page's language; the API's are JSON."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from babelwire.config import Settings
from babelwire.store.db import Store
from babelwire.web.app import create_app


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'e.db'}", target_languages=["en", "es"]
    )
    store = Store(settings.resolved_database_url)
    app = create_app(settings, store)

    @app.get("/en/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    yield TestClient(app, raise_server_exceptions=False)
    store.close()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/en/does-not-exist", 404),
        ("/en/articles/1/xyz", 404),
        ("/en/articles/not-a-number", 404),
        ("/nowhere", 404),
        ("/en/?page=0", 400),
        ("/en/?page=abc", 400),
        ("/robots.txt/", 404),
    ],
)
def test_unknown_or_unreadable_addresses_get_the_html_error_page(
    client: TestClient, path: str, status: int
) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="en">' in response.text and "Back to the latest news" in response.text
    assert "{&#34;detail&#34;" not in response.text and '{"detail"' not in response.text


def test_the_error_page_speaks_the_language_of_the_address(client: TestClient) -> None:
    response = client.get("/es/no-existe")
    assert response.status_code == 404 and '<html lang="es">' in response.text
    assert "No existe esa página." in response.text and "No encontrado" in response.text


def test_a_wrong_method_is_a_405_page_with_allow(client: TestClient) -> None:
    response = client.post("/en/sources")
    assert response.status_code == 405 and response.headers["allow"] == "GET"
    assert response.headers["content-type"].startswith("text/html") and "Not allowed" in response.text


def test_a_crash_is_a_500_page_without_the_traceback(client: TestClient) -> None:
    response = client.get("/en/boom")
    assert response.status_code == 500 and response.headers["content-type"].startswith("text/html")
    assert "Something went wrong on our side" in response.text and "a bug" not in response.text


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/articles/999"])
def test_api_errors_stay_json(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404 and response.headers["content-type"] == "application/json"
    assert "detail" in response.json()


def test_api_parameter_errors_stay_json(client: TestClient) -> None:
    response = client.get("/api/v1/articles?limit=0")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "limit"]
