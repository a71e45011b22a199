"""Prometheus /metrics: store gauges, request metrics by route, loopback-only access; web settings."""

from __future__ import annotations

import ipaddress
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from pydantic import ValidationError

from babelwire.config import Settings
from babelwire.store.db import Store
from babelwire.store.models import MemoryRow, SourceRow
from babelwire.web.app import create_app
from babelwire.web.websettings import WebSettings, client_allowed, resolve_secret_key
from tests.web.test_api import seed_wire

LOCAL = ("127.0.0.1", 50000)


@pytest.fixture
def settings_store(tmp_path: Path) -> Iterator[tuple[Settings, Store, dict[str, int]]]:
    settings = Settings(
        data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'm.db'}", target_languages=["en"]
    )
    store = Store(settings.resolved_database_url)
    ids = seed_wire(store)
    with store.session() as session, session.begin():
        session.get_one(SourceRow, ids["gaceta"]).last_error = "HTTP 500"
        session.add(
            MemoryRow(
                key="k",
                engine="apertium",
                model_version="1",
                source_lang="es",
                target_lang="en",
                source_text="Hola.",
                target_text="Hello.",
                hits=7,
            )
        )
    yield settings, store, ids
    store.close()


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_metrics_count_the_store_and_the_requests(
    settings_store: tuple[Settings, Store, dict[str, int]],
) -> None:
    settings, store, ids = settings_store
    client = TestClient(create_app(settings, store), client=LOCAL)
    client.get(f"/api/v1/articles/{ids['published']}")
    client.get("/api/v1/articles/424242")
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    got = samples(response.text)
    assert got[("babelwire_items", (("status", "published"),))] == 2
    assert got[("babelwire_items", (("status", "held"),))] == 1
    assert got[("babelwire_translations", (("language", "en"), ("review_status", "publish")))] == 2
    assert got[("babelwire_translations", (("language", "en"), ("review_status", "hold")))] == 1
    assert got[("babelwire_sources", (("state", "enabled"),))] == 2
    assert got[("babelwire_sources_with_errors", ())] == 1
    assert got[("babelwire_translation_memory_entries", ())] == 1
    assert got[("babelwire_translation_memory_hits", ())] == 7
    assert got[("babelwire_published_articles", (("language", "en"),))] == 2
    articles = {
        labels: value for (name, labels), value in got.items() if name == "babelwire_articles"
    }  # per target language and state, zeros included
    assert articles == {
        (("language", "en"), ("state", "published")): 2,
        (("language", "en"), ("state", "held")): 1,
        (("language", "en"), ("state", "rejected")): 0,
    }
    route = (("method", "GET"), ("route", "/api/v1/articles/{article_id}"))  # the template, not the path
    assert got[("babelwire_http_requests_total", (*route, ("status", "200")))] == 1
    assert got[("babelwire_http_requests_total", (*route, ("status", "404")))] == 1
    assert got[("babelwire_http_request_duration_seconds_count", route)] == 2


def test_each_app_has_its_own_registry(settings_store: tuple[Settings, Store, dict[str, int]]) -> None:
    settings, store, _ = settings_store
    first, second = (TestClient(create_app(settings, store), client=LOCAL) for _ in range(2))
    first.get("/api/v1/sources")
    assert "/api/v1/sources" in first.get("/metrics").text
    assert "/api/v1/sources" not in second.get("/metrics").text


@pytest.mark.parametrize(
    ("allow", "client", "status"),
    [
        (None, ("127.0.0.1", 1), 200),
        (None, ("::1", 1), 200),
        (None, ("testclient", 1), 403),  # TestClient's default: not an address
        (None, ("10.1.2.3", 1), 403),
        (["10.0.0.0/8"], ("10.1.2.3", 1), 200),
        (["10.0.0.0/8"], ("127.0.0.1", 1), 403),
    ],
)
def test_metrics_are_loopback_only_unless_allowed(
    tmp_path: Path, allow: list[str] | None, client: tuple[str, int], status: int
) -> None:
    web = WebSettings() if allow is None else WebSettings(metrics_allow=allow)
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'a.db'}", web=web)
    response = TestClient(create_app(settings), client=client).get("/metrics")
    assert response.status_code == status
    assert ("babelwire_items" in response.text) is (status == 200)


def test_healthz_is_still_there(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'h.db'}")
    assert TestClient(create_app(settings)).get("/healthz").json() == {"status": "ok"}


def test_client_address_matching() -> None:
    loopback = WebSettings().metrics_networks()
    assert client_allowed("::ffff:127.0.0.1", loopback)  # IPv4 on a dual-stack socket
    assert not client_allowed(None, loopback) and not client_allowed("localhost", loopback)
    assert client_allowed("fe80::1%eth0", [ipaddress.ip_network("fe80::/10")])
    with pytest.raises(ValidationError):
        WebSettings(metrics_allow=["not-an-address"])


def test_secret_key_is_generated_once_and_private(tmp_path: Path) -> None:
    first = resolve_secret_key(WebSettings(), tmp_path)
    assert first == resolve_secret_key(WebSettings(), tmp_path) and len(first) > 40
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert resolve_secret_key(WebSettings(secret_key="configured"), tmp_path) == "configured"


def test_web_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BABELWIRE_WEB__SESSION_MAX_AGE", "600")
    monkeypatch.setenv("BABELWIRE_WEB__METRICS_ALLOW", '["192.168.0.0/16"]')
    web = Settings().web
    assert web.session_max_age == 600 and web.metrics_allow == ["192.168.0.0/16"]


def test_unwritable_data_dir_still_serves_the_site(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("")
    settings = Settings(data_dir=blocked, database_url=f"sqlite:///{tmp_path / 'r.db'}")
    assert TestClient(create_app(settings)).get("/admin/login").status_code == 200
