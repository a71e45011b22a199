"""detect_language: body text wins when long and clear, the declaration wins for short text."""

from __future__ import annotations

import pytest

from babelwire.extract import language
from babelwire.extract.language import classify, detect_language, normalize_language

# Hand-written news-style paragraphs, one per language.
TEXTS = {
    "es": (
        "El ayuntamiento aprobó ayer el presupuesto para el próximo año, que incluye una partida de tres "
        "millones de euros para renovar las calles del casco antiguo y ampliar el servicio de autobuses."
    ),
    "en": (
        "The city council approved next year's budget on Tuesday, setting aside three million euros to "
        "repave the streets of the old town and to extend the night bus service to the new districts."
    ),
    "ca": (
        "L'ajuntament va aprovar ahir el pressupost per a l'any vinent, que inclou una partida de tres "
        "milions d'euros per renovar els carrers del nucli antic i ampliar el servei d'autobusos."
    ),
    "fr": (
        "Le conseil municipal a approuvé hier le budget de l'année prochaine, qui prévoit trois millions "
        "d'euros pour rénover les rues de la vieille ville et prolonger le service de bus de nuit."
    ),
    "de": (
        "Der Stadtrat hat gestern den Haushalt für das kommende Jahr beschlossen. Drei Millionen Euro sind "
        "für die Erneuerung der Straßen in der Altstadt und für einen längeren Nachtbusverkehr vorgesehen."
    ),
}


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_detects_each_language_without_a_hint(lang: str) -> None:
    assert detect_language(TEXTS[lang]) == lang


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_agrees_with_a_correct_declaration(lang: str) -> None:
    assert detect_language(TEXTS[lang], f"{lang}-XX") == lang


def test_long_text_overrules_a_wrong_declaration() -> None:
    # A Catalan site that publishes an article in Spanish, or a template that declares English everywhere.
    assert detect_language(TEXTS["es"], "ca") == "es"
    assert detect_language(TEXTS["de"], "en-US") == "de"
    assert detect_language(TEXTS["ca"], "es") == "ca"


def test_short_text_falls_back_to_the_declaration() -> None:
    assert detect_language("Hola", "es") == "es"
    assert detect_language("Bon dia a tothom", "ca_ES") == "ca"
    assert detect_language("OK", "fr") == "fr"


def test_short_text_without_declaration_is_unknown() -> None:
    assert detect_language("OK") is None
    assert detect_language("") is None
    assert detect_language("12 345 678 — 3,5 %") is None


def test_no_letters_gives_the_declaration() -> None:
    assert detect_language("2025 — 3,5 % · 12/04", "de") == "de"


def test_classify_reports_confidence() -> None:
    lang, confidence = classify(TEXTS["fr"])
    assert lang == "fr" and confidence > 0.9
    assert classify("") == (None, 0.0)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("es-ES", "es"),
        ("en_US", "en"),
        ("EN", "en"),
        ("ca-valencia", "ca"),
        ("eng", "en"),
        ("ger", "de"),
        ("iw", "he"),
        (" pt-BR ", "pt"),
        ("und", None),
        ("x", None),
        ("", None),
        (None, None),
        ("español", None),
    ],
)
def test_normalize_language(raw: str | None, expected: str | None) -> None:
    assert normalize_language(raw) == expected


def test_long_text_is_decided_on_its_first_characters_when_certain(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = language.classify

    def counting(text: str) -> tuple[str | None, float]:
        calls.append(len(text))
        return real(text)

    monkeypatch.setattr(language, "classify", counting)
    long_spanish = " ".join([TEXTS["es"]] * 30)
    assert detect_language(long_spanish, "ca") == "es"
    assert calls == [language.FIRST_SAMPLE_CHARS]


def test_an_unsure_first_sample_reads_on(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def unsure_at_first(text: str) -> tuple[str | None, float]:
        calls.append(len(text))
        return ("en", 0.9) if len(text) == language.FIRST_SAMPLE_CHARS else ("es", 0.99)

    monkeypatch.setattr(language, "classify", unsure_at_first)
    assert language._classify_quickly("x" * 3000) == ("es", 0.99)
    assert calls == [language.FIRST_SAMPLE_CHARS, 3000]
