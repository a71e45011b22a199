"""LibreTranslate engine against a local fake that speaks its API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from babelwire.translate.engine import Engine, TranslationError
from babelwire.translate.engines.libretranslate import LibreTranslateEngine
from babelwire.translate.registry import get_engine
from tests.translate.fake_mt_servers import (
    FAST,
    FakeLibreTranslate,
    Fault,
    fake_translate,
    http_error,
    serving,
)

SEGMENTS = [
    'El alcalde visitó <a href="https://a.example/puerto">el puerto</a> el <em>martes</em>.',
    "La obra costará <var>1</var> euros.",
    "",
    "«No vamos a permitirlo», afirmó la ministra.",
]


@pytest.fixture
def server() -> Iterator[FakeLibreTranslate]:
    with serving(FakeLibreTranslate(api_key="secret")) as fake:
        assert isinstance(fake, FakeLibreTranslate)
        yield fake


def engine(server: FakeLibreTranslate, **options: Any) -> LibreTranslateEngine:
    return LibreTranslateEngine(url=server.url, **{"api_key": "secret", **FAST, **options})


def test_translates_an_array_in_html_mode_in_order(server: FakeLibreTranslate) -> None:
    server.batch_limit = 2
    eng = engine(server, max_segments=2)
    assert isinstance(eng, Engine) and eng.markup == "html"
    out = eng.translate(SEGMENTS, "es", "en")
    assert out == [fake_translate(s) if s else "" for s in SEGMENTS]
    assert '<a href="https://a.example/puerto">' in out[0] and "<var>1</var>" in out[1]
    requests = server.calls("POST", "/translate")
    assert [len(r.json()["q"]) for r in requests] == [2, 1]  # the blank segment is not sent
    body = requests[0].json()
    assert body["source"] == "es" and body["target"] == "en" and body["format"] == "html"
    assert body["api_key"] == "secret"
    assert requests[0].headers["content-type"] == "application/json"


def test_supported_pairs_come_from_the_server_once(server: FakeLibreTranslate) -> None:
    eng = engine(server)
    assert eng.supports("es", "en") and eng.supports("en", "es") and eng.supports("es", "ca")
    assert not eng.supports("en", "ca") and not eng.supports("es", "es") and not eng.supports("zz", "en")
    eng.translate(["Hola."], "es", "en")
    assert len(server.calls("GET", "/languages")) == 1


def test_unsupported_pair_names_what_the_server_has(server: FakeLibreTranslate) -> None:
    with pytest.raises(TranslationError) as caught:
        engine(server).translate(["Hola."], "en", "ca")
    assert caught.value.reason == "unsupported_pair" and "ca, en, es" in caught.value.message
    assert not server.calls("POST", "/translate")


def test_model_version_is_the_server_version_or_its_address(server: FakeLibreTranslate) -> None:
    host = server.url.removeprefix("http://")
    assert engine(server).model_version("es", "en") == f"libretranslate {host}"
    server.version = "1.6.4"
    assert engine(server).model_version("es", "en") == "libretranslate 1.6.4"


def test_requests_stay_under_the_servers_character_limit(server: FakeLibreTranslate) -> None:
    server.char_limit = 30
    segments = ["Una frase de veinte.", "Otra frase de veinte", "Y una tercera frase."]
    assert engine(server).translate(segments, "es", "en") == [fake_translate(s) for s in segments]
    assert len(server.calls("POST", "/translate")) == 3


def test_server_errors_are_retried(server: FakeLibreTranslate) -> None:
    server.misbehave(http_error(500), http_error(500))
    assert engine(server).translate(["Hola."], "es", "en") == [fake_translate("Hola.")]


def test_rate_limit_waits_then_succeeds(server: FakeLibreTranslate) -> None:
    server.misbehave(http_error(429, retry_after="0", body={"error": "Slowdown: 1 per 1 second"}))
    assert engine(server).translate(["Hola."], "es", "en") == [fake_translate("Hola.")]
    assert len(server.calls("POST", "/translate")) == 2


@pytest.mark.parametrize(
    ("key", "reason"), [("wrong", "auth"), (None, "auth")], ids=["invalid key", "missing key"]
)
def test_key_problems_are_auth_errors(server: FakeLibreTranslate, key: str | None, reason: str) -> None:
    with pytest.raises(TranslationError) as caught:
        engine(server, api_key=key).translate(["Hola."], "es", "en")
    assert (caught.value.reason, caught.value.retryable) == (reason, False)
    assert len(server.calls("POST", "/translate")) == 1


def test_timeout_is_a_retryable_error(server: FakeLibreTranslate) -> None:
    server.misbehave(Fault("sleep", seconds=0.5), Fault("sleep", seconds=0.5))
    with pytest.raises(TranslationError) as caught:
        engine(server, timeout=0.15, attempts=2).translate(["Hola."], "es", "en")
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
def test_broken_answers_are_errors(server: FakeLibreTranslate, fault: Fault, reason: str) -> None:
    server.misbehave(fault)
    with pytest.raises(TranslationError) as caught:
        engine(server).translate(["Uno.", "Dos."], "es", "en")
    assert (caught.value.reason, caught.value.retryable) == (reason, False)


def test_found_by_name_with_options_from_config(server: FakeLibreTranslate) -> None:
    eng = get_engine(
        "lt-local", {"kind": "libretranslate", "url": server.url, "api_key": "secret", "attempts": 2}
    )
    assert eng.name == "lt-local"
    assert eng.translate(["Hola."], "es", "en") == [fake_translate("Hola.")]
    with pytest.raises(TranslationError) as caught:
        get_engine("libretranslate", {"colour": "blue"})
    assert caught.value.reason == "bad_options"
