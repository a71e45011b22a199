"""Memory, fallback and pivot with real Apertium: engines that fail are real processes too."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from babelwire.translate.engine import TranslationError
from babelwire.translate.engines.apertium import ApertiumEngine
from babelwire.translate.memory import InMemoryMemory
from babelwire.translate.protect import protect
from babelwire.translate.router import Router
from babelwire.translate.translator import Translator

pytestmark = pytest.mark.skipif(shutil.which("apertium") is None, reason="apt-get install apertium-eng-spa")


def wrapper(tmp_path: Path, name: str, *, modes: list[str], fail: bool = False) -> str:
    """An `apertium` that lists only some modes, or that crashes: a real process either way."""
    script = tmp_path / name
    listing = "\\n".join(modes)
    body = "echo 'Error: segmentation fault in tagger' >&2; exit 1" if fail else 'exec apertium "$@"'
    script.write_text(f'#!/bin/sh\nif [ "$1" = "-l" ]; then printf "{listing}\\n"; exit 0; fi\n{body}\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def router(tmp_path: Path, engines: dict[str, str | list[str]], binaries: dict[str, str]) -> Router:
    def factory(name: str, options: object) -> ApertiumEngine:
        engine = ApertiumEngine(binary=binaries[name])
        engine.name = name
        return engine

    return Router(engines, "apertium", factory=factory)


def sentences(*texts: str, target: str = "en"):  # type: ignore[no-untyped-def]
    return [protect(text, "es", target) for text in texts]


def test_memory_sends_each_sentence_once(tmp_path: Path) -> None:
    translator = Translator(router(tmp_path, {}, {"apertium": "apertium"}), InMemoryMemory())
    first = translator.translate(
        sentences("El gato duerme.", "El perro come.", "El gato duerme."), "es", "en"
    )
    assert first.html == ("The cat sleeps.", "The dog eats.", "The cat sleeps.")
    assert (first.usage.memory_hits, first.usage.sent_to_engine) == (0, 2)
    again = translator.translate(sentences("El perro come.", "La casa es azul."), "es", "en")
    assert (again.usage.memory_hits, again.usage.sent_to_engine) == (1, 1)
    assert again.engine == "apertium" and again.model_version.startswith("apertium-eng-spa")


def test_fallback_to_the_next_engine(tmp_path: Path) -> None:
    broken = wrapper(tmp_path, "broken", modes=["spa-eng"], fail=True)
    translator = Translator(
        router(tmp_path, {"es-en": ["broken", "apertium"]}, {"broken": broken, "apertium": "apertium"})
    )
    result = translator.translate(sentences("El gato duerme."), "es", "en")
    assert result.html == ("The cat sleeps.",) and result.engine == "apertium"


def test_every_engine_failing_is_one_readable_error(tmp_path: Path) -> None:
    broken = wrapper(tmp_path, "broken", modes=["spa-eng"], fail=True)
    translator = Translator(router(tmp_path, {"*": ["broken"]}, {"broken": broken}))
    with pytest.raises(TranslationError) as caught:
        translator.translate(sentences("El gato duerme."), "es", "en")
    assert caught.value.reason == "engine_failed"
    assert "broken spa->en" not in caught.value.message and "broken es->en" in caught.value.message
    assert "segmentation fault" in caught.value.message


def test_pivot_through_english_when_no_direct_pair(tmp_path: Path) -> None:
    limited = wrapper(tmp_path, "limited", modes=["spa-eng", "eng-cat"])
    translator = Translator(router(tmp_path, {"*": "limited"}, {"limited": limited}))
    result = translator.translate(sentences("El gato duerme 3,5 horas.", target="ca"), "es", "ca")
    assert result.pivot == "en"
    assert result.html == ("El gat dorm 3,5 hores.",)
    assert result.model_version.count("|") == 1


def test_no_route_names_the_fix(tmp_path: Path) -> None:
    limited = wrapper(tmp_path, "limited", modes=["spa-eng"])
    translator = Translator(router(tmp_path, {"*": "limited"}, {"limited": limited}))
    with pytest.raises(TranslationError) as caught:
        translator.translate(sentences("Hola."), "es", "ca")
    assert caught.value.reason == "unsupported_pair" and 'configure [engines] "es-ca"' in caught.value.message


def _digits(text: str) -> list[str]:
    import re

    return sorted(re.sub(r"[.,]", "", d) for d in re.findall(r"\d[\d.,]*\d|\d", text))


NUMBERED = [
    "El proceso de selección se abrirá el 23 de marzo de 2026 y durará hasta el 10 de abril.",
    "El 17 de septiembre de 1939, 175.000 personas (el 3,5 %) huyeron antes de las 10.30 horas.",
    "Siga a @diario_puerto y escriba a info@puerto.es antes del 1 de mayo.",
]


@pytest.mark.parametrize("deformatter", ["apertium", "transfuse"])
@pytest.mark.parametrize("target", ["en", "ca"])
def test_core_keeps_every_number_under_both_deformatters(deformatter: str, target: str) -> None:
    if deformatter == "transfuse" and shutil.which("tf-extract") is None:
        pytest.skip("apt-get install transfuse (scripts/system-deps.sh test)")
    options = {"apertium": {"deformatter": deformatter}}
    translator = Translator(Router({}, "apertium", engine_options=options), InMemoryMemory())
    result = translator.translate(sentences(*NUMBERED, target=target), "es", target)
    assert result.usage.lost_tokens == []
    for source, output in zip(NUMBERED, result.html, strict=True):
        assert _digits(source) == _digits(output), output
        assert "<var" not in output and "Zxw" not in output
    assert "@diario_puerto" in result.html[2] and "info@puerto.es" in result.html[2]


class TagBreakingEngine:
    """Moves the text out of every `<var>` tag, as Apertium's transfer rules did (issue 11)."""

    name = "tag-breaker"
    markup = "html"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def model_version(self, source_lang: str, target_lang: str) -> str:
        return "1"

    def supports(self, source_lang: str, target_lang: str) -> bool:
        return True

    def translate(self, segments: list[str], source_lang: str, target_lang: str) -> list[str]:
        import re

        self.seen.extend(segments)
        return [re.sub(r"<var>(\d+)</var>", r"\1 <var></var>", s) for s in segments]


def test_broken_placeholders_are_translated_again_unprotected_and_never_patched() -> None:
    engine = TagBreakingEngine()
    translator = Translator(Router({}, "tag-breaker", factory=lambda name, options: engine))
    result = translator.translate(sentences("Llegaron 175.000 personas.", "Sin cifras."), "es", "en")
    assert result.usage.retranslated == [0]
    assert engine.seen[-1] == "Llegaron 175.000 personas."  # the second try: the token as written
    assert result.html[0] == "Llegaron 175,000 personas."  # localized in place, nothing appended
    assert result.usage.lost_tokens == []
