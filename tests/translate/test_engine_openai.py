"""OpenAI-compatible engine against a local fake chat server whose "model" answers in JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from babelwire.translate.engine import Engine, TranslationError
from babelwire.translate.engines.openai import OpenAIEngine, parse_translations
from babelwire.translate.registry import get_engine
from tests.translate.fake_mt_servers import FAST, FakeOpenAI, Fault, fake_translate, http_error, serving

SEGMENTS = [
    'El alcalde visitó <a href="https://a.example/puerto">el puerto</a> el <em>martes</em>.',
    "La obra costará <var>1</var> euros y durará <var>2</var> meses.",
    "Tres.",
]


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with serving(FakeOpenAI("qwen2.5-7b-instruct", api_key="sk-local")) as fake:
        assert isinstance(fake, FakeOpenAI)
        yield fake


def engine(server: FakeOpenAI, **options: Any) -> OpenAIEngine:
    return OpenAIEngine(
        **{
            "model": "qwen2.5-7b-instruct",
            "url": f"{server.url}/v1",
            "api_key": "sk-local",
            **FAST,
            **options,
        }
    )


def chats(server: FakeOpenAI) -> list[Any]:
    return [r.json() for r in server.calls("POST", "/v1/chat/completions")]


def test_translates_a_batch_as_a_json_array(server: FakeOpenAI) -> None:
    eng = engine(server)
    assert isinstance(eng, Engine) and eng.markup == "html"
    assert eng.translate([*SEGMENTS, ""], "es", "en") == [*(fake_translate(s) for s in SEGMENTS), ""]
    (body,) = chats(server)
    assert body["model"] == "qwen2.5-7b-instruct" and body["temperature"] == 0
    assert body["response_format"] == {"type": "json_object"}
    system, user = body["messages"]
    assert json.loads(user["content"]) == SEGMENTS
    prompt = system["content"]
    assert "from Spanish to English" in prompt and "3 numbered segments" in prompt
    assert "<var>N</var>" in prompt and '{"translations"' in prompt
    assert server.calls("POST", "/v1/chat/completions")[0].headers["authorization"] == "Bearer sk-local"


def test_batches_are_bounded(server: FakeOpenAI) -> None:
    segments = [f"Frase {i}." for i in range(7)]
    assert engine(server, max_segments=3).translate(segments, "es", "fr") == [
        fake_translate(s) for s in segments
    ]
    assert [len(json.loads(b["messages"][1]["content"])) for b in chats(server)] == [3, 3, 1]


def test_supports_any_two_known_languages_and_versions_by_model(server: FakeOpenAI) -> None:
    eng = engine(server)
    assert eng.supports("es", "en") and eng.supports("ja", "uk") and eng.supports("eu", "gl")
    assert not eng.supports("es", "es") and not eng.supports("es", "zz") and not eng.supports("spa", "en")
    assert eng.model_version("es", "en") == "qwen2.5-7b-instruct" == eng.model_version("ja", "uk")
    with pytest.raises(TranslationError) as caught:
        eng.translate(["Hola."], "es", "zz")
    assert caught.value.reason == "unsupported_pair"


@pytest.mark.parametrize("fault", ["fenced", "chatty"])
def test_fenced_or_chatty_json_is_accepted(server: FakeOpenAI, fault: str) -> None:
    server.misbehave(Fault(fault))
    assert engine(server).translate(SEGMENTS, "es", "en") == [fake_translate(s) for s in SEGMENTS]
    assert len(chats(server)) == 1


@pytest.mark.parametrize("fault", ["count", "not_json"])
def test_a_bad_answer_is_asked_again_once(server: FakeOpenAI, fault: str) -> None:
    server.misbehave(Fault(fault))
    assert engine(server).translate(SEGMENTS, "es", "en") == [fake_translate(s) for s in SEGMENTS]
    assert [len(json.loads(b["messages"][1]["content"])) for b in chats(server)] == [3, 3]


def test_two_bad_answers_fall_back_to_one_segment_per_request(server: FakeOpenAI) -> None:
    server.misbehave(Fault("count"), Fault("not_json"))
    assert engine(server).translate(SEGMENTS, "es", "en") == [fake_translate(s) for s in SEGMENTS]
    assert [len(json.loads(b["messages"][1]["content"])) for b in chats(server)] == [3, 3, 1, 1, 1]


def test_a_single_segment_that_stays_malformed_is_a_bad_response(server: FakeOpenAI) -> None:
    server.misbehave(Fault("not_json"), Fault("not_json"))
    with pytest.raises(TranslationError) as caught:
        engine(server).translate(["Hola."], "es", "en")
    assert (caught.value.reason, caught.value.retryable) == ("bad_response", False)
    assert "not JSON" in caught.value.message and len(chats(server)) == 2


def test_empty_translation_is_an_error(server: FakeOpenAI) -> None:
    server.misbehave(Fault("empty"))
    with pytest.raises(TranslationError) as caught:
        engine(server).translate(SEGMENTS, "es", "en")
    assert caught.value.reason == "empty_output"


def test_wrong_key_and_unknown_model_are_final(server: FakeOpenAI) -> None:
    with pytest.raises(TranslationError) as caught:
        engine(server, api_key="sk-wrong").translate(["Hola."], "es", "en")
    assert (caught.value.reason, caught.value.retryable) == ("auth", False)
    assert "Incorrect API key" in caught.value.message
    with pytest.raises(TranslationError) as caught:
        engine(server, model="gpt-9").translate(["Hola."], "es", "en")
    assert caught.value.reason == "not_found" and "gpt-9" in caught.value.message


def test_overload_is_retried_and_a_stall_times_out(server: FakeOpenAI) -> None:
    server.misbehave(http_error(503, retry_after="0"), http_error(500))
    assert engine(server).translate(["Hola."], "es", "en") == [fake_translate("Hola.")]
    server.misbehave(Fault("sleep", seconds=0.5))
    with pytest.raises(TranslationError) as caught:
        engine(server, timeout=0.15, attempts=1).translate(["Hola."], "es", "en")
    assert (caught.value.reason, caught.value.retryable) == ("timeout", True)


def test_non_json_http_body_is_a_bad_response(server: FakeOpenAI) -> None:
    server.misbehave(Fault("malformed"), Fault("malformed"), Fault("malformed"), Fault("malformed"))
    with pytest.raises(TranslationError) as caught:
        engine(server).translate(["Uno.", "Dos."], "es", "en")
    assert caught.value.reason == "bad_response"


def test_parse_translations_is_lenient_in_form_strict_in_content() -> None:
    assert parse_translations('```json\n{"translations": ["a", "b"]}\n```', 2) == ["a", "b"]
    assert parse_translations('```\n{"translations": ["a"]}```', 1) == ["a"]
    assert parse_translations('Here:\n{"translations": ["a"]}\nDone.', 1) == ["a"]
    assert parse_translations('["a", "b"]', 2) == ["a", "b"]
    assert parse_translations('{"translations": ["a"]}', 2) == "asked for 2 translations, got 1"
    assert isinstance(parse_translations('{"translations": [1, 2]}', 2), str)
    assert isinstance(parse_translations('{"translations": ["a",', 1), str)
    assert isinstance(parse_translations("Lo siento.", 1), str)


def test_found_by_name(server: FakeOpenAI) -> None:
    eng = get_engine(
        "local-llm",
        {"kind": "openai", "model": "qwen2.5-7b-instruct", "url": f"{server.url}/v1", "api_key": "sk-local"},
    )
    assert eng.name == "local-llm" and eng.translate(["Hola."], "es", "en") == [fake_translate("Hola.")]
    with pytest.raises(TranslationError) as caught:
        get_engine("openai", {"url": server.url})
    assert caught.value.reason == "bad_options"
