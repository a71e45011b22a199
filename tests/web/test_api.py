"""The JSON API: public reads with filters, token-guarded writes, validation, held release."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from babelwire.config import Settings
from babelwire.domain import (
    Block,
    BlockKind,
    Document,
    FeedItem,
    SentencePair,
    Source,
    TranslatedBlock,
    Translation,
)
from babelwire.store import queries
from babelwire.store.db import Store
from babelwire.store.models import SourceRow
from babelwire.web import auth
from babelwire.web.app import create_app

SENTENCES = [("Primera frase.", "First sentence."), ("Segunda frase.", "Second sentence.")]


def add_article(
    session, source: SourceRow, n: int, *, day: int, verdict: str, findings: list[dict[str, object]]
) -> int:
    """One item through document, translation and verdict, as the pipeline would leave it."""
    published = datetime(2025, 1, day, 9, tzinfo=UTC)
    item_url = f"{source.url.rsplit('/', 1)[0]}/noticia-{n}"
    feed_item = FeedItem(url=item_url, guid=item_url, title=f"Título {n}", published=published, author="Ana")
    [item] = queries.add_items(session, source, (feed_item,))
    document = Document(
        url=item_url,
        title=f"Título {n}",
        language="es",
        published=published,
        blocks=(
            Block(BlockKind.HEADING, f"Cabecera {n}", f"Cabecera {n}"),
            Block(BlockKind.PARAGRAPH, "Primera frase. Segunda frase.", "Primera frase. Segunda frase."),
            Block(BlockKind.PARAGRAPH, "Otro <em>párrafo</em>.", "Otro párrafo."),
        ),
    )
    item.document_key = queries.save_document(session, document).key
    translation = Translation(
        document_key=document.key,
        source_lang="es",
        target_lang="en",
        engine="apertium",
        model_version="apertium-eng-spa test",
        title=f"Title {n}",
        blocks=(
            TranslatedBlock(
                BlockKind.HEADING,
                f"Heading {n}",
                f"Cabecera {n}",
                (SentencePair(f"Cabecera {n}", f"Heading {n}"),),
            ),
            TranslatedBlock(
                BlockKind.PARAGRAPH,
                "First sentence. Second sentence.",
                "Primera frase. Segunda frase.",
                tuple(SentencePair(*p) for p in SENTENCES),
            ),
            TranslatedBlock(
                BlockKind.PARAGRAPH,
                "Another <em>paragraph</em><script>x()</script>.",
                "Otro <em>párrafo</em>.",
                (SentencePair("Otro párrafo.", "Another paragraph."),),
            ),
        ),
    )
    key = queries.save_translation(session, translation).key
    queries.save_verdict(session, key, verdict, 0.5, json.dumps(findings))
    queries.settle_item(session, item, [verdict])
    return item.id


@dataclass
class Wire:
    client: TestClient
    store: Store
    token: str
    diario: int
    gaceta: int
    published: int
    held: int
    excerpt: int

    def auth(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}


def seed_wire(store: Store) -> dict[str, int]:
    with store.session() as session, session.begin():
        diario = queries.upsert_source(session, Source("Diario", "https://diario.example/rss", language="es"))
        gaceta = queries.upsert_source(session, Source("Gaceta", "https://gaceta.example/rss", language="es"))
        gaceta.excerpt_only = True
        note = {"segment": 3, "check": "length", "severity": "info", "message": "a bit short"}
        wrong = {"segment": 2, "check": "numbers", "severity": "critical", "message": "3 became 8"}
        return {
            "diario": diario.id,
            "gaceta": gaceta.id,
            "published": add_article(session, diario, 1, day=10, verdict="publish", findings=[note]),
            "held": add_article(session, diario, 2, day=20, verdict="hold", findings=[wrong]),
            "excerpt": add_article(session, gaceta, 3, day=15, verdict="publish", findings=[note]),
        }


@pytest.fixture
def wire(store: Store, tmp_path: Path) -> Wire:
    ids = seed_wire(store)
    settings = Settings(
        data_dir=tmp_path, database_url=store.url, target_languages=["en"], base_url="http://wire.test"
    )
    with store.session() as session, session.begin():
        token = auth.create_token(session, "newsroom")
    return Wire(TestClient(create_app(settings, store)), store, token, **ids)


def test_articles_newest_first_with_provenance(wire: Wire) -> None:
    page = wire.client.get("/api/v1/articles").json()
    assert page["total"] == 2 and [a["id"] for a in page["items"]] == [wire.excerpt, wire.published]
    first = page["items"][1]
    assert first["title"] == "Title 1" and first["original_title"] == "Título 1"
    assert first["original_url"] == "https://diario.example/noticia-1"
    assert first["source_name"] == "Diario" and first["source_id"] == wire.diario
    assert first["engine"] == "apertium" and first["machine_translated"] is True
    assert first["url"] == f"http://wire.test/en/articles/{wire.published}"
    assert first["excerpt_html"] == "First sentence. Second sentence."


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("source={diario}", ["published"]),
        ("since=2025-01-12T00:00:00Z", ["excerpt"]),
        ("until=2025-01-12T00:00:00Z", ["published"]),
        ("limit=1&offset=1", ["published"]),
    ],
)
def test_article_filters(wire: Wire, query: str, expected: list[str]) -> None:
    response = wire.client.get("/api/v1/articles?" + query.format(diario=wire.diario))
    assert response.status_code == 200, response.text
    assert [a["id"] for a in response.json()["items"]] == [getattr(wire, name) for name in expected]


@pytest.mark.parametrize(
    "query",
    [
        "lang=fr",
        "limit=0",
        "limit=1000",
        "since=yesterday",
        "offset=-1",
        "until=0.5",  # seconds since 1970 are not an RFC 3339 date-time
        "since=2025-01-12",
        f"source={2**63}",
    ],
)
def test_article_filters_are_validated(wire: Wire, query: str) -> None:
    response = wire.client.get("/api/v1/articles?" + query)
    assert response.status_code in (404, 422)
    assert response.headers["content-type"] == "application/json"


def test_article_detail_has_sentence_pairs_and_findings(wire: Wire) -> None:
    detail = wire.client.get(f"/api/v1/articles/{wire.published}?lang=en").json()
    assert [b["kind"] for b in detail["blocks"]] == ["heading", "paragraph", "paragraph"]
    pairs = detail["blocks"][1]["sentences"]
    assert [(s["segment"], s["source_html"], s["target_html"]) for s in pairs] == [
        (2, *SENTENCES[0]),
        (3, *SENTENCES[1]),
    ]
    assert pairs[1]["findings"] == [
        {"segment": 3, "check": "length", "severity": "info", "message": "a bit short"}
    ]
    assert detail["review"]["status"] == "publish" and len(detail["review"]["findings"]) == 1
    assert (
        "<script>" not in detail["blocks"][2]["html"] and "<em>paragraph</em>" in detail["blocks"][2]["html"]
    )


def test_excerpt_only_source_gives_the_first_paragraph_only(wire: Wire) -> None:
    detail = wire.client.get(f"/api/v1/articles/{wire.excerpt}").json()
    assert detail["excerpt_only"] is True
    assert [b["html"] for b in detail["blocks"]] == ["First sentence. Second sentence."]


def test_unpublished_and_unknown_articles_are_json_404s(wire: Wire) -> None:
    for path in (f"/api/v1/articles/{wire.held}", "/api/v1/articles/99999", "/api/v1/no/such/thing"):
        response = wire.client.get(path)
        assert response.status_code == 404 and "detail" in response.json()


def test_sources_are_public_to_read(wire: Wire) -> None:
    sources = wire.client.get("/api/v1/sources").json()
    assert [(s["name"], s["excerpt_only"]) for s in sources] == [("Diario", False), ("Gaceta", True)]


@pytest.mark.parametrize("token", [None, "bw.newsroom.wrong", "bw.nobody.x", "garbage"])
def test_writes_need_a_valid_token(wire: Wire, token: str | None) -> None:
    headers = wire.auth(token) if token else {}
    calls = [
        ("post", "/api/v1/sources", {"url": "https://new.example/rss"}),
        ("patch", f"/api/v1/sources/{wire.diario}", {"enabled": False}),
        ("post", f"/api/v1/held/{wire.held}/release?lang=en", None),
        ("get", "/api/v1/held", None),
    ]
    for method, path, body in calls:
        response = wire.client.request(method, path, json=body, headers=headers)
        assert response.status_code == 401, (path, response.text)
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert len(wire.client.get("/api/v1/sources").json()) == 2


def test_revoked_token_stops_working(wire: Wire) -> None:
    with wire.store.session() as session, session.begin():
        assert auth.revoke_token(session, "newsroom")
    response = wire.client.post("/api/v1/sources", json={"url": "https://x.example/"}, headers=wire.auth())
    assert response.status_code == 401


def test_create_and_patch_a_source(wire: Wire) -> None:
    body = {"url": "https://nuevo.example/feed.xml", "language": "ES", "excerpt_only": True}
    created = wire.client.post("/api/v1/sources", json=body, headers=wire.auth())
    assert created.status_code == 201, created.text
    source = created.json()
    assert (source["name"], source["language"], source["enabled"]) == ("nuevo.example", "es", True)
    again = wire.client.post("/api/v1/sources", json=body, headers=wire.auth())
    assert again.status_code == 409

    patch = {"name": "El Nuevo", "enabled": False, "language": None}
    patched = wire.client.patch(f"/api/v1/sources/{source['id']}", json=patch, headers=wire.auth()).json()
    assert (patched["name"], patched["enabled"], patched["language"], patched["excerpt_only"]) == (
        "El Nuevo",
        False,
        None,
        True,
    )
    assert wire.client.patch("/api/v1/sources/999", json=patch, headers=wire.auth()).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"url": "javascript:alert(1)"},
        {"url": "ftp://files.example/feed"},
        {"url": "file:///etc/passwd"},
        {"url": "https://"},
        {"url": "https://user:pw@x.example/"},
        {"url": "https://x.example/\nfeed"},
        {"url": "https://x.example/", "language": "español"},
        {"url": "https://x.example/", "kind": "sql"},
    ],
)
def test_source_input_is_validated(wire: Wire, body: dict[str, str]) -> None:
    response = wire.client.post("/api/v1/sources", json=body, headers=wire.auth())
    assert response.status_code == 422, response.text


def test_patch_validates_too(wire: Wire) -> None:
    for patch in ({"language": "xx-"}, {"name": "   "}, {"url": "https://moved.example/"}):
        response = wire.client.patch(f"/api/v1/sources/{wire.diario}", json=patch, headers=wire.auth())
        assert response.status_code == 422, (patch, response.text)


def test_releasing_a_held_translation_publishes_it(wire: Wire) -> None:
    held = wire.client.get("/api/v1/held", headers=wire.auth()).json()
    assert [(h["item_id"], h["language"]) for h in held] == [(wire.held, "en")]
    assert held[0]["findings"][0]["check"] == "numbers"

    released = wire.client.post(f"/api/v1/held/{wire.held}/release?lang=en", headers=wire.auth())
    assert released.status_code == 200 and released.json()["status"] == "released"
    ids = [a["id"] for a in wire.client.get("/api/v1/articles").json()["items"]]
    assert ids[0] == wire.held
    assert wire.client.get("/api/v1/held", headers=wire.auth()).json() == []
    again = wire.client.post(f"/api/v1/held/{wire.held}/release?lang=en", headers=wire.auth())
    assert again.status_code == 404


def test_rejecting_a_held_translation_keeps_it_off_the_site(wire: Wire) -> None:
    rejected = wire.client.post(f"/api/v1/held/{wire.held}/reject?lang=en", headers=wire.auth())
    assert rejected.status_code == 200 and rejected.json()["status"] == "refused"
    assert wire.held not in [a["id"] for a in wire.client.get("/api/v1/articles").json()["items"]]
    bad = wire.client.post(f"/api/v1/held/{wire.held}/reject?lang=<x>", headers=wire.auth())
    assert bad.status_code == 422


def test_openapi_schema_and_csp_clean_docs(wire: Wire) -> None:
    schema = wire.client.get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/sources",
        "/api/v1/sources/{source_id}",
        "/api/v1/held/{item_id}/release",
    } <= set(schema["paths"])
    assert not any(path.startswith(("/admin", "/{lang}")) for path in schema["paths"])
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    docs = wire.client.get("/api/v1/docs")
    assert (
        docs.status_code == 200
        and "<script" not in docs.text
        and "/api/v1/articles/{article_id}" in docs.text
    )
    assert "script-src 'self'" in docs.headers["content-security-policy"]


def test_search_through_the_api(wire: Wire) -> None:
    pytest.importorskip("babelwire.store.search")
    page = wire.client.get("/api/v1/articles", params={"q": "Title 3"}).json()
    assert page["total"] == 1 and [a["id"] for a in page["items"]] == [wire.excerpt]
    assert wire.client.get("/api/v1/articles", params={"q": "zzzz"}).json()["items"] == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=sentence", ["excerpt", "published"]),
        ("q=sentence&source={diario}", ["published"]),
        ("q=sentence&since=2025-01-12T00:00:00Z", ["excerpt"]),
        ("q=sentence&until=2025-01-12T00:00:00Z", ["published"]),
        ("q=sentence&source={diario}&since=2025-01-12T00:00:00Z", []),
    ],
)
def test_search_combines_with_the_other_filters(wire: Wire, query: str, expected: list[str]) -> None:
    response = wire.client.get("/api/v1/articles?" + query.format(diario=wire.diario))
    assert response.status_code == 200, response.text
    page = response.json()
    assert [a["id"] for a in page["items"]] == [getattr(wire, name) for name in expected]
    assert page["total"] == len(expected)


def test_api_on_the_real_pipeline(site_settings: Settings, published_store: Store) -> None:
    """The demo site, extracted, translated and reviewed for real: pairs and findings line up."""
    client = TestClient(create_app(site_settings, published_store))
    page = client.get("/api/v1/articles?lang=en&limit=100").json()
    assert page["total"] == len(page["items"]) > 10
    detail = client.get(f"/api/v1/articles/{page['items'][0]['id']}?lang=en").json()
    segments = [s["segment"] for b in detail["blocks"] for s in b["sentences"]]
    assert segments == list(range(1, len(segments) + 1))
    assert all(s["source_html"] and s["target_html"] for b in detail["blocks"] for s in b["sentences"])
    flagged = {f["segment"] for f in detail["review"]["findings"]}
    assert flagged <= {-1, 0, *segments}


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/api/v1/sources", "GET, HEAD, POST"),
        ("DELETE", "/api/v1/sources/1", "PATCH"),
        ("TRACE", "/api/v1/held", "GET, HEAD"),
        ("OPTIONS", "/api/v1/articles/1", "GET, HEAD"),
        ("GET", "/api/v1/held/1/release", "POST"),
    ],
)
def test_undeclared_methods_are_405_with_allow(wire: Wire, method: str, path: str, allow: str) -> None:
    response = wire.client.request(method, path)
    assert response.status_code == 405 and response.headers["allow"] == allow
    assert "detail" in response.json()


@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_unknown_api_paths_stay_json_404s(wire: Wire, method: str) -> None:
    response = wire.client.request(method, "/api/v1/no/such/thing")
    assert response.status_code == 404 and "detail" in response.json()


@pytest.mark.parametrize(
    "call",
    [
        {"method": "POST", "url": "/api/v1/sources", "content": b"\xff\xfe not utf-8"},
        {
            "method": "POST",
            "url": "/api/v1/sources",
            "content": b"{not json",
            "headers": {"content-type": "application/json"},
        },
        {"method": "POST", "url": "/api/v1/sources", "json": {"url": 5}},
        {"method": "PATCH", "url": "/api/v1/sources/1", "json": {"excerpt_only": "yes"}},
        {"method": "POST", "url": "/api/v1/held/abc/release?lang=en"},
    ],
)
def test_the_token_is_checked_before_the_body(wire: Wire, call: dict[str, object]) -> None:
    response = wire.client.request(**call)  # type: ignore[arg-type]
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_body_that_is_not_utf8_is_a_documented_400(wire: Wire) -> None:
    headers = {**wire.auth(), "content-type": "application/json"}
    response = wire.client.post("/api/v1/sources", content=b'{"url": "\xff"}', headers=headers)
    assert response.status_code == 400 and "detail" in response.json()
    schema = wire.client.get("/api/v1/openapi.json").json()
    for method, path in (("post", "/api/v1/sources"), ("patch", "/api/v1/sources/{source_id}")):
        assert {"400", "401", "404", "422"} <= set(schema["paths"][path][method]["responses"])
    assert "409" in schema["paths"]["/api/v1/sources"]["post"]["responses"]


@pytest.mark.parametrize("value", [0, 1, "true", None])
def test_booleans_are_strict(wire: Wire, value: object) -> None:
    response = wire.client.patch(
        f"/api/v1/sources/{wire.diario}", json={"excerpt_only": value}, headers=wire.auth()
    )
    assert response.status_code == (200 if value is None else 422), response.text


@pytest.mark.parametrize("path", [f"/api/v1/held/{2**80}/release?lang=en", "/api/v1/held/0/reject?lang=en"])
def test_out_of_range_ids_are_422_not_500(wire: Wire, path: str) -> None:
    assert wire.client.post(path, headers=wire.auth()).status_code == 422
    assert wire.client.get(f"/api/v1/articles/{2**63}").status_code == 422


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/api/v1/articles/{2**31}", 422),  # past PostgreSQL's INTEGER: was a 500 there
        (f"/api/v1/articles?source={2**31}", 422),
        (f"/en/articles/{2**31}", 404),
        (f"/en/articles/{2**31}/bilingual", 404),
        (f"/en/sources/{2**31}", 404),
        (f"/en/sources/{2**31}/feed.rss", 404),
    ],
)
def test_ids_past_the_columns_range_are_not_database_errors(wire: Wire, path: str, status: int) -> None:
    assert wire.client.get(path).status_code == status


def test_schema_constraints_are_what_is_accepted(wire: Wire) -> None:
    """The schema's patterns and lengths are the validators' own: each side of them answers so."""
    schema = wire.client.get("/api/v1/openapi.json").json()["components"]["schemas"]["SourceCreate"]
    url = schema["properties"]["url"]
    assert url["maxLength"] == 2000 and url["pattern"].startswith("^[Hh][Tt][Tt][Pp]")
    name = schema["properties"]["name"]["anyOf"][0]
    assert (name["minLength"], name["pattern"]) == (1, "\\S")
    post = {"url": "HTTP://127.0.0.1:8080/feed?x=1", "name": " Local  feed ", "language": "PT-BR"}
    created = wire.client.post("/api/v1/sources", json=post, headers=wire.auth())
    assert created.status_code == 201, created.text
    assert (created.json()["name"], created.json()["language"]) == ("Local feed", "pt-BR")
    for patch in ({"name": ""}, {"name": " "}, {"language": "e"}, {"url": "http://x.example/"}):
        response = wire.client.patch(f"/api/v1/sources/{wire.diario}", json=patch, headers=wire.auth())
        assert response.status_code == 422, (patch, response.text)


def test_article_pages_follow_cursors_and_link_headers(wire: Wire) -> None:
    first = wire.client.get("/api/v1/articles?lang=en&limit=1")
    body = first.json()
    assert [a["id"] for a in body["items"]] == [wire.excerpt] and body["prev"] is None
    assert re.fullmatch(r"\d+-\d+", body["next"])
    assert first.headers["link"] == f'</api/v1/articles?lang=en&limit=1&before={body["next"]}>; rel="next"'
    second = wire.client.get(first.headers["link"].split(">")[0][1:])
    older = second.json()
    assert [a["id"] for a in older["items"]] == [wire.published] and older["next"] is None
    assert older["total"] == 2 and re.fullmatch(r"\d+-\d+", older["prev"])
    assert second.headers["link"] == f'</api/v1/articles?lang=en&limit=1&after={older["prev"]}>; rel="prev"'
    back = wire.client.get(f"/api/v1/articles?lang=en&limit=1&after={older['prev']}").json()
    assert [a["id"] for a in back["items"]] == [wire.excerpt] and back["prev"] is None
    assert back["next"] == body["next"]
    by_offset = wire.client.get("/api/v1/articles?lang=en&limit=1&offset=1")
    assert by_offset.json()["prev"] and 'rel="prev"' in by_offset.headers["link"]
    assert "link" not in wire.client.get("/api/v1/articles?limit=5").headers


@pytest.mark.parametrize("query", ["before=yesterday", "after=-1", "before=1-", f"before={'9' * 20}-1"])
def test_article_cursors_are_validated(wire: Wire, query: str) -> None:
    response = wire.client.get("/api/v1/articles?" + query)
    assert response.status_code == 422 and response.headers["content-type"] == "application/json"
    assert response.json()["detail"][0]["loc"][-1] in ("before", "after")


def test_any_digits_are_a_cursor(wire: Wire) -> None:
    """Cursors schemathesis may send: between two, with an offset, past every date and id."""
    newest = wire.client.get("/api/v1/articles?limit=1").json()["next"]
    for query, expected in (
        (f"before={'9' * 19}-{'9' * 19}", [wire.excerpt, wire.published]),
        (f"before={'9' * 19}-1&offset=1", [wire.published]),
        (f"before={'9' * 19}-1&after={newest}", []),  # nothing between the newest and "the end"
        ("before=0-0&after=0-0", []),
    ):
        response = wire.client.get("/api/v1/articles?" + query)
        assert response.status_code == 200, query
        assert [a["id"] for a in response.json()["items"]] == expected, query
