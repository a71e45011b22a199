"""DeepL engine against a local fake of the v2 API (the real endpoints are never contacted)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from babelwire.translate.engine import Engine, TranslationError
from babelwire.translate.engines.deepl import FREE_URL, PRO_URL, DeepLEngine
from babelwire.translate.registry import get_engine
from tests.translate.fake_mt_servers import FAST, FakeDeepL, Fault, fake_translate, http_error, serving

KEY = "test-key:fx"


@pytest.fixture
def server() -> Iterator[FakeDeepL]:
    with serving(FakeDeepL(KEY)) as fake:
        assert isinstance(fake, FakeDeepL)
        yield fake


def engine(server: FakeDeepL, **options: Any) -> DeepLEngine:
    return DeepLEngine(**{"api_key": KEY, "url": server.url, **FAST, **options})


def test_translates_with_the_real_request_shape(server: FakeDeepL) -> None:
    eng = engine(server)
    assert isinstance(eng, Engine) and eng.markup == "html"
    segments = ['Visitó <a href="https://a.example/">el puerto</a>.', "Cuesta <var>1</var> euros.", ""]
    assert eng.translate(segments, "es", "en") == [
        fake_translate(segments[0]),
        fake_translate(segments[1]),
        "",
    ]
    (request,) = server.calls("POST", "/v2/translate")
    assert request.headers["authorization"] == f"DeepL-Auth-Key {KEY}"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {
        "text": segments[:2],
        "source_lang": "ES",
        "target_lang": "EN-US",
        "tag_handling": "html",
        "ignore_tags": ["var"],
    }
    assert KEY not in request.path and not request.query  # the key never travels in the URL


def test_at_most_50_texts_per_request_in_order(server: FakeDeepL) -> None:
    segments = [f"Frase número {i}." for i in range(120)]
    assert engine(server, max_segments=500).translate(segments, "es", "de") == [
        fake_translate(s) for s in segments
    ]
    assert [len(r.json()["text"]) for r in server.calls("POST", "/v2/translate")] == [50, 50, 20]


def test_plain_targets_map_to_configurable_variants(server: FakeDeepL) -> None:
    eng = engine(server, target_variants={"en": "EN-GB"})
    assert eng.target_code("en") == "EN-GB" and eng.target_code("pt") == "PT-PT"
    assert eng.target_code("pt-br") == "PT-BR" and eng.target_code("de") == "DE"
    eng.translate(["Hola."], "es", "en")
    assert server.calls("POST", "/v2/translate")[0].json()["target_lang"] == "EN-GB"


def test_supports_uses_the_language_lists_once(server: FakeDeepL) -> None:
    eng = engine(server)
    assert eng.supports("es", "en") and eng.supports("en", "pt") and eng.supports("pt", "es")
    assert not eng.supports("es", "ca") and not eng.supports("ca", "es") and not eng.supports("es", "es")
    assert {r.query["type"] for r in server.calls("GET", "/v2/languages")} == {"source", "target"}
    assert len(server.calls("GET", "/v2/languages")) == 2
    with pytest.raises(TranslationError) as caught:
        eng.translate(["Hola."], "es", "ca")
    assert caught.value.reason == "unsupported_pair" and "ES->CA" in caught.value.message


def test_options_are_sent_and_part_of_the_model_version(server: FakeDeepL) -> None:
    eng = engine(server, formality="prefer_less", glossary_id="g-123")
    eng.translate(["Hola."], "es", "de")
    body = server.calls("POST", "/v2/translate")[0].json()
    assert body["formality"] == "prefer_less" and body["glossary_id"] == "g-123"
    assert eng.model_version("es", "de") == "deepl DE formality=prefer_less glossary=g-123"
    assert engine(server).model_version("es", "en") == "deepl EN-US"


def test_default_endpoint_follows_the_key_type() -> None:
    assert DeepLEngine(api_key="abc:fx").url == FREE_URL
    assert DeepLEngine(api_key="abc").url == PRO_URL


def test_wrong_key_is_an_auth_error(server: FakeDeepL) -> None:
    with pytest.raises(TranslationError) as caught:
        engine(server, api_key="other:fx").translate(["Hola."], "es", "en")
    assert (caught.value.reason, caught.value.retryable) == ("auth", False)
    assert "Wrong auth key" in caught.value.message and "other" not in caught.value.message


def test_quota_exceeded_is_final(server: FakeDeepL) -> None:
    server.misbehave(http_error(456, body={"message": "Quota exceeded"}))
    with pytest.raises(TranslationError) as caught:
        engine(server).translate(["Hola."], "es", "en")
    assert (caught.value.reason, caught.value.retryable) == ("quota", False)
    assert len(server.calls("POST", "/v2/translate")) == 1


def test_too_many_requests_is_retried(server: FakeDeepL) -> None:
    server.misbehave(http_error(429, retry_after="0"), http_error(429))
    assert engine(server).translate(["Hola."], "es", "en") == [fake_translate("Hola.")]
    assert len(server.calls("POST", "/v2/translate")) == 3


def test_persistent_server_errors_end_in_a_retryable_error(server: FakeDeepL) -> None:
    server.misbehave(*[http_error(500)] * 3)
    with pytest.raises(TranslationError) as caught:
        engine(server).translate(["Hola."], "es", "en")
    assert (caught.value.reason, caught.value.retryable) == ("http_500", True)


def test_timeout(server: FakeDeepL) -> None:
    server.misbehave(Fault("sleep", seconds=0.5))
    with pytest.raises(TranslationError) as caught:
        engine(server, timeout=0.15, attempts=1).translate(["Hola."], "es", "en")
    assert (caught.value.reason, caught.value.retryable) == ("timeout", True)


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (Fault("empty"), "empty_output"),
        (Fault("count"), "bad_response"),
        (Fault("malformed"), "bad_response"),
    ],
    ids=["empty", "count", "malformed"],
)
def test_broken_answers_are_errors(server: FakeDeepL, fault: Fault, reason: str) -> None:
    server.misbehave(fault)
    with pytest.raises(TranslationError) as caught:
        engine(server).translate(["Uno.", "Dos."], "es", "en")
    assert caught.value.reason == reason


def test_found_by_name_and_needs_a_key(server: FakeDeepL) -> None:
    eng = get_engine("deepl", {"api_key": KEY, "url": server.url})
    assert eng.translate(["Hola."], "es", "en") == [fake_translate("Hola.")]
    with pytest.raises(TranslationError) as caught:
        get_engine("deepl", {})
    assert caught.value.reason == "bad_options"
