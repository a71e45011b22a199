"""The shared HTTP machinery: batching, backoff, Retry-After, error mapping, the output contract."""

from __future__ import annotations

import random
import socket
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from babelwire.translate.engine import Engine, TranslationError
from babelwire.translate.engines.http import (
    HttpEngine,
    backoff_delay,
    plan_batches,
)
from tests.translate.fake_mt_servers import (
    FAST,
    FakeServer,
    Fault,
    Reply,
    Request,
    Route,
    apply_faults,
    fake_translate,
    http_error,
    serving,
    sleep,
)


class EchoServer(FakeServer):
    """The smallest API: POST /echo {"q": [...]} -> {"out": [...]}."""

    fault_routes = frozenset({("POST", "/echo")})

    def routes(self) -> dict[tuple[str, str], Route]:
        return {("POST", "/echo"): self._echo}

    def _echo(self, request: Request, fault: Fault | None) -> Reply:
        return Reply(200, {"out": apply_faults(fault, [fake_translate(t) for t in request.json()["q"]])})


class EchoEngine(HttpEngine):
    name = "echo"

    def supports(self, source_lang: str, target_lang: str) -> bool:
        return True

    def model_version(self, source_lang: str, target_lang: str) -> str:
        return "echo"

    def translate(self, segments: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        return self._translate_batched(segments, self._send)

    def _send(self, batch: list[str]) -> list[str]:
        out: list[str] = self._json(self._request("POST", "/echo", json={"q": batch}))["out"]
        return out


@pytest.fixture
def server() -> Iterator[EchoServer]:
    with serving(EchoServer()) as fake:
        assert isinstance(fake, EchoServer)
        yield fake


def engine(server: FakeServer, **options: Any) -> EchoEngine:
    return EchoEngine(server.url, **{**FAST, **options})


def test_batches_respect_count_and_size_and_keep_order() -> None:
    segments = ["aaaa", "bb", "", "cccccc", "d", "  ", "eeeeeeeeee", "f"]
    batches = plan_batches(segments, max_segments=2, max_chars=8)
    assert batches == [[0, 1], [3, 4], [6], [7]]
    assert [i for batch in batches for i in batch] == [0, 1, 3, 4, 6, 7]  # blanks left out, order kept
    assert plan_batches(["x" * 50, "y"], max_segments=10, max_chars=10) == [[0], [1]]  # oversize goes alone
    assert plan_batches(["", " "], 5, 5) == []


def test_backoff_grows_exponentially_with_bounded_jitter() -> None:
    rng = random.Random(7)
    for attempt, full in [(1, 0.1), (2, 0.2), (3, 0.4), (4, 0.8), (8, 1.0)]:
        delays = [backoff_delay(attempt, 0.1, 1.0, rng) for _ in range(50)]
        assert all(full / 2 <= d <= full for d in delays)
        assert len(set(delays)) > 1  # jittered


def test_translates_in_batches_in_order_keeping_blanks(server: EchoServer) -> None:
    segments = ["Uno <em>dos</em>.", "", "Tres.", "Cuatro &amp; cinco.", "Seis."]
    out = engine(server, max_segments=2).translate(segments, "es", "en")
    assert out == [fake_translate(s) if s else s for s in segments]
    assert [len(r.json()["q"]) for r in server.calls("POST", "/echo")] == [2, 2]


def test_server_errors_are_retried_until_success(server: EchoServer) -> None:
    server.misbehave(http_error(500), http_error(502))
    assert engine(server).translate(["Hola."], "es", "en") == [fake_translate("Hola.")]
    assert len(server.calls("POST", "/echo")) == 3


def test_attempts_are_bounded(server: EchoServer) -> None:
    server.misbehave(*[http_error(503)] * 5)
    with pytest.raises(TranslationError) as caught:
        engine(server, attempts=3).translate(["Hola."], "es", "en")
    error = caught.value
    assert (error.reason, error.retryable, error.engine) == ("http_503", True, "echo")
    assert "gave up after 3 attempts" in error.message
    assert len(server.calls("POST", "/echo")) == 3


def test_429_waits_as_long_as_retry_after_says(server: EchoServer) -> None:
    server.misbehave(http_error(429, retry_after="1"))  # delta-seconds are whole numbers (RFC 9110)
    started = time.monotonic()
    assert engine(server).translate(["Hola."], "es", "en") == [fake_translate("Hola.")]
    assert time.monotonic() - started >= 0.95  # the backoff alone would be ~0.01 s


def test_retry_after_beyond_the_limit_gives_up_at_once(server: EchoServer) -> None:
    server.misbehave(http_error(429, retry_after="3600"))
    started = time.monotonic()
    with pytest.raises(TranslationError) as caught:
        engine(server, max_retry_after=5).translate(["Hola."], "es", "en")
    assert (caught.value.reason, caught.value.retryable) == ("rate_limited", True)
    assert "retry after 3600 s" in caught.value.message
    assert time.monotonic() - started < 1 and len(server.calls("POST", "/echo")) == 1


def test_timeout_is_retried_then_reported(server: EchoServer) -> None:
    server.misbehave(sleep(0.6), sleep(0.6))
    started = time.monotonic()
    with pytest.raises(TranslationError) as caught:
        engine(server, timeout=0.2, attempts=2).translate(["Hola."], "es", "en")
    assert (caught.value.reason, caught.value.retryable) == ("timeout", True)
    assert "within 0.2 s" in caught.value.message
    assert time.monotonic() - started < 1.5


def test_timeout_then_success(server: EchoServer) -> None:
    server.misbehave(sleep(0.6))
    assert engine(server, timeout=0.2).translate(["Hola."], "es", "en") == [fake_translate("Hola.")]


def test_connection_refused_is_retryable() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(TranslationError) as caught:
        EchoEngine(f"http://127.0.0.1:{port}", **FAST).translate(["Hola."], "es", "en")
    assert (caught.value.reason, caught.value.retryable) == ("connect", True)
    assert f"127.0.0.1:{port}" in caught.value.message


def test_a_url_without_scheme_is_a_clear_final_error() -> None:
    with pytest.raises(TranslationError) as caught:
        EchoEngine("127.0.0.1:5000", **FAST).translate(["Hola."], "es", "en")
    assert (caught.value.reason, caught.value.retryable) == ("bad_url", False)


def test_client_errors_are_not_retried_and_quote_the_server(server: EchoServer) -> None:
    server.misbehave(http_error(400, body={"error": "q is\nmissing"}))
    with pytest.raises(TranslationError) as caught:
        engine(server).translate(["Hola."], "es", "en")
    error = caught.value
    assert (error.reason, error.retryable) == ("http_400", False)
    assert "q is missing" in error.message and "\n" not in str(error)
    assert len(server.calls("POST", "/echo")) == 1


def test_auth_errors_are_not_retried(server: EchoServer) -> None:
    server.misbehave(http_error(401))
    with pytest.raises(TranslationError) as caught:
        engine(server).translate(["Hola."], "es", "en")
    assert (caught.value.reason, caught.value.retryable) == ("auth", False)


def test_non_json_answer_is_a_bad_response(server: EchoServer) -> None:
    server.misbehave(Fault("malformed"))
    with pytest.raises(TranslationError) as caught:
        engine(server).translate(["Hola."], "es", "en")
    assert caught.value.reason == "bad_response" and "expected JSON" in caught.value.message


def test_wrong_count_and_empty_output_break_the_contract(server: EchoServer) -> None:
    server.misbehave(Fault("count"))
    with pytest.raises(TranslationError) as caught:
        engine(server).translate(["Uno.", "Dos."], "es", "en")
    assert caught.value.reason == "bad_response" and "sent 2 segments, got 1" in caught.value.message
    server.misbehave(Fault("empty"))
    with pytest.raises(TranslationError) as caught:
        engine(server).translate(["Uno.", "Dos."], "es", "en")
    assert (caught.value.reason, caught.value.retryable) == ("empty_output", False)


def test_proxy_settings_in_the_environment_are_ignored(
    server: EchoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    assert engine(server).translate(["Hola."], "es", "en") == [fake_translate("Hola.")]


def test_one_engine_serves_many_threads(server: EchoServer) -> None:
    eng = engine(server, max_segments=3)
    assert isinstance(eng, Engine)
    texts = [[f"Frase {i}-{j}." for j in range(7)] for i in range(8)]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda batch: eng.translate(batch, "es", "en"), texts))
    assert results == [[fake_translate(t) for t in batch] for batch in texts]
