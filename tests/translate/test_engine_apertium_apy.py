"""Apertium APY engine: against the real `apertium-apy` server, and a fake one for misbehaviour."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from babelwire.translate.engine import Engine, TranslationError
from babelwire.translate.engines.apertium import ApertiumEngine, installed_modes
from babelwire.translate.engines.apertium_apy import ApertiumApyEngine
from babelwire.translate.registry import get_engine
from tests.conftest import require_tool
from tests.translate.fake_mt_servers import FAST, FakeApertiumApy, Fault, fake_translate, http_error, serving

MODES = Path("/usr/share/apertium/modes")
# APY 0.11 always binds every interface; the tests run the real server with its bind call pinned
# to the loopback address so nothing is exposed beyond this machine.
LOOPBACK_LAUNCHER = """
import sys
import tornado.tcpserver
_bind = tornado.tcpserver.TCPServer.bind
def bind(self, port, address=None, *args, **kwargs):
    return _bind(self, port, "127.0.0.1", *args, **kwargs)
tornado.tcpserver.TCPServer.bind = bind
from apertium_apy import apy
sys.argv = ["apertium-apy", *sys.argv[1:]]
apy.main()
"""
SEGMENTS = [
    'El alcalde visitó <a href="https://a.example/puerto">el puerto</a> el <em>martes</em>.',
    "«No vamos a permitirlo», afirmó la ministra.",
    "",
    "La ciudad tiene 175.000 habitantes.",
    "La obra costará <var>0</var> euros.",
]


def _apy_python() -> str | None:
    """The interpreter of the installed apertium-apy script (its module lives in that Python)."""
    script = shutil.which("apertium-apy")
    if script is None:
        return None
    first = Path(script).read_text(errors="replace").splitlines()[0]
    return first[2:].strip() if first.startswith("#!") else sys.executable


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def apy_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    python = _apy_python()
    present = python is not None and "spa-eng" in installed_modes()
    require_tool(present, "apertium-apy with apertium-eng-spa", "scripts/system-deps.sh test")
    assert python is not None
    port = _free_port()
    log = tmp_path_factory.mktemp("apy") / "apy.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [python, "-c", LOOPBACK_LAUNCHER, "-p", str(port), str(MODES)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "LC_ALL": "C.UTF-8"},
            cwd=log.parent,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"apertium-apy exited with {process.returncode}: {log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{url}/listPairs", timeout=1, trust_env=False).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"apertium-apy did not answer within 30 s: {log.read_text()[-2000:]}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_real_apy_translates_a_batch_in_order_keeping_markup(apy_url: str) -> None:
    engine = ApertiumApyEngine(url=apy_url)
    assert isinstance(engine, Engine) and engine.markup == "html"
    out = engine.translate(SEGMENTS, "es", "en")
    assert len(out) == 5
    assert (
        '<a href="https://a.example/puerto">' in out[0] and "port" in out[0] and "<em>Tuesday</em>" in out[0]
    )
    assert "minister" in out[1]
    assert out[2] == ""
    assert "175.000" in out[3] and "inhabitants" in out[3]
    assert "<var>0</var> euros" in out[4]
    assert engine.translate(SEGMENTS, "es", "en") == out  # same input, same output


def test_real_apy_agrees_with_the_command_line_engine(apy_url: str) -> None:
    segments = ["El Gobierno aprobó ayer el presupuesto.", "Llueve en <em>Bilbao</em>."]
    assert ApertiumApyEngine(url=apy_url).translate(segments, "es", "en") == ApertiumEngine().translate(
        segments, "es", "en"
    )


def test_real_apy_lists_its_pairs(apy_url: str) -> None:
    engine = ApertiumApyEngine(url=apy_url)
    assert engine.supports("es", "en") and engine.supports("en", "es") and engine.supports("es", "ca")
    assert not engine.supports("es", "ja") and not engine.supports("es", "zz")
    with pytest.raises(TranslationError) as caught:
        engine.translate(["Hola."], "es", "ja")
    assert caught.value.reason == "unsupported_pair" and "apertium-spa-ja" in caught.value.message


def test_real_apy_marks_unknown_words_only_when_asked(apy_url: str) -> None:
    text = ["El zorblax llegó."]
    assert "*" not in ApertiumApyEngine(url=apy_url).translate(text, "es", "en")[0]
    assert "*zorblax" in ApertiumApyEngine(url=apy_url, mark_unknown=True).translate(text, "es", "en")[0]


def test_model_version_names_the_package_when_local() -> None:
    if shutil.which("dpkg-query") is None or "spa-eng" not in installed_modes():
        pytest.skip("needs the Debian package apertium-eng-spa")
    local = ApertiumApyEngine(url="http://127.0.0.1:2737")
    assert local.model_version("es", "en").startswith("apertium-apy apertium-eng-spa ")
    remote = ApertiumApyEngine(url="http://apy.example:2737")
    assert remote.model_version("es", "en") == "apertium-apy spa-eng"
    assert remote.model_version("es", "zz") == "apertium-apy"


@pytest.fixture
def fake() -> Iterator[FakeApertiumApy]:
    with serving(FakeApertiumApy()) as server:
        assert isinstance(server, FakeApertiumApy)
        yield server


def fake_engine(fake: FakeApertiumApy, **options: Any) -> ApertiumApyEngine:
    return ApertiumApyEngine(url=fake.url, **{**FAST, **options})


def test_a_batch_is_one_form_request(fake: FakeApertiumApy) -> None:
    assert fake_engine(fake).translate(SEGMENTS, "es", "en") == [fake_translate(s) for s in SEGMENTS]
    (request,) = fake.calls("POST", "/translate")
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    form = request.form()
    assert form["langpair"] == ["spa|eng"] and form["format"] == ["html"] and form["markUnknown"] == ["no"]
    assert form["q"][0].count("<hr data-bw-seg=") == 4


def test_lost_markers_fall_back_to_one_request_per_segment(fake: FakeApertiumApy) -> None:
    fake.misbehave(Fault("drop_markers"))
    assert fake_engine(fake).translate(SEGMENTS, "es", "en") == [fake_translate(s) for s in SEGMENTS]
    assert len(fake.calls("POST", "/translate")) == 1 + 4


def test_stuck_pipeline_is_retried(fake: FakeApertiumApy) -> None:
    fake.misbehave(http_error(503))  # APY's answer when a pipeline times out
    assert fake_engine(fake).translate(["Hola."], "es", "en") == [fake_translate("Hola.")]


@pytest.mark.parametrize(
    ("fault", "reason", "retryable"),
    [
        (Fault("empty"), "empty_output", False),
        (Fault("malformed"), "bad_response", False),
        (Fault("sleep", seconds=0.5), "timeout", True),
    ],
    ids=["empty", "malformed", "timeout"],
)
def test_failures_are_clear(fake: FakeApertiumApy, fault: Fault, reason: str, retryable: bool) -> None:
    fake.misbehave(fault)
    with pytest.raises(TranslationError) as caught:
        fake_engine(fake, timeout=0.15, attempts=1).translate(["Uno.", "Dos."], "es", "en")
    assert (caught.value.reason, caught.value.retryable) == (reason, retryable)


def test_pairs_are_asked_once_and_found_by_name(fake: FakeApertiumApy) -> None:
    engine = get_engine("apertium-apy", {"url": fake.url})
    assert engine.supports("es", "en") and engine.supports("es", "ca") and not engine.supports("ca", "es")
    engine.translate(["Hola."], "es", "en")
    assert len(fake.calls("GET", "/listPairs")) == 1


def test_a_pair_removed_since_listing_is_unsupported(fake: FakeApertiumApy) -> None:
    engine = fake_engine(fake)
    assert engine.supports("es", "en")
    fake.pairs = ("eng-spa",)  # the server restarted without spa-eng; the engine's list is cached
    with pytest.raises(TranslationError) as caught:
        engine.translate(["Hola."], "es", "en")
    assert (caught.value.reason, caught.value.retryable) == ("unsupported_pair", False)
    assert "That pair is not installed" in caught.value.message
