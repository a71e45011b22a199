"""check_untranslated: sentences (or long runs of them) left in the source language."""

from __future__ import annotations

import pytest

from babelwire.review.checks.untranslated import check_untranslated
from babelwire.review.findings import Severity
from tests.review.checks.helpers import FLORES_DIRECTIONS, at_least, false_alarm_rate, one, serious

DEFECTS = [
    pytest.param(
        "es", "en",
        "El Ayuntamiento cerrará el parque durante las obras de renovación.",
        "El Ayuntamiento cerrará el parque durante las obras de renovación.",
        "The city council will close the park during the renovation works.",
        id="identical-es-en",
    ),
    pytest.param(
        "en", "es",
        "The museum will reopen its doors to the public next month.",
        "The museum will reopen its doors to the public next month!",
        "El museo volverá a abrir sus puertas al público el mes que viene.",
        id="nearly-identical-en-es",
    ),
    pytest.param(
        "en", "de",
        "The central bank raised interest rates again on Thursday to fight inflation.",
        "On Thursday the central bank once more raised its interest rates in order to fight inflation.",
        "Die Zentralbank hat am Donnerstag erneut die Zinsen angehoben, um die Inflation zu bekämpfen.",
        id="still-english-langid-en-de",
    ),
    pytest.param(
        "en", "ru",
        "Rescue teams reached the village after the road was cleared.",
        "Rescue teams reached the village after the road had been cleared.",
        "Спасатели добрались до деревни после того, как дорогу расчистили.",
        id="latin-script-en-ru",
    ),
    pytest.param(
        "ca", "en",
        "Els veïns van protestar davant de l'ajuntament per la manca d'habitatge assequible.",
        "Els veïns van protestar davant de l'ajuntament per la manca d'habitatge assequible.",
        "Residents protested outside the town hall over the lack of affordable housing.",
        id="identical-ca-en",
    ),
    pytest.param(
        "es", "ca",
        "La reunión entre los dos presidentes empezó poco después de las diez de la mañana.",
        "La reunión entre los dos presidentes empezó poco después de las diez de la mañana, "
        "según la Casa Blanca.",
        "La reunió entre els dos presidents va començar poc després de les deu del matí.",
        id="still-spanish-es-ca",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("src", "tgt", "source", "bad", "good"), DEFECTS)
def test_defect_flagged_and_correct_translation_passes(
    src: str, tgt: str, source: str, bad: str, good: str
) -> None:
    flagged = at_least(check_untranslated(one(src, tgt, source, bad)), Severity.ERROR)
    assert [(f.check, f.segment) for f in flagged] == [("untranslated", 0)]
    assert serious(check_untranslated(one(src, tgt, source, good))) == []


def test_message_names_the_language() -> None:
    source = "El Ayuntamiento cerrará el parque durante las obras."
    [finding] = check_untranslated(one("es", "en", source, source))
    assert "Spanish" in finding.message and "not translated" in finding.message


def test_partly_untranslated_is_a_warning() -> None:
    source = (
        "El ministro de Hacienda explicó a los periodistas reunidos en la capital el lunes por la mañana "
        "que el gobierno no subirá los impuestos a las familias este año."
    )
    target = (
        "The finance minister explained to reporters gathered in the capital on Monday morning "
        "that el gobierno no subirá los impuestos a las familias."
    )
    [finding] = check_untranslated(one("es", "en", source, target))
    assert finding.severity is Severity.WARNING
    assert "no subirá los impuestos" in finding.message


@pytest.mark.parametrize(
    ("src", "tgt", "text"),
    [
        ("es", "en", "Recep Tayyip Erdoğan"),
        ("en", "es", "Barack Obama, Joe Biden and Kamala Harris."),
        ("en", "de", "https://example.com/news/2024/05/storm-report"),
        ("en", "ru", "12.5% (2023)"),
        ("es", "en", "FIFA, UEFA, OTAN."),
        ("en", "es", "OK."),
        ("ca", "en", "Real Madrid - FC Barcelona 2-1"),
    ],
)
def test_what_may_stay_unchanged_passes(src: str, tgt: str, text: str) -> None:
    assert serious(check_untranslated(one(src, tgt, text, text))) == []


@pytest.mark.parametrize(
    ("src", "tgt", "source", "target"),
    [
        # Latin-script names and brands inside Russian text.
        ("en", "ru", "Apple unveiled a new iPhone in Cupertino.",
         "Компания Apple представила новый iPhone в Купертино."),
        # Close languages: much shared vocabulary, still a translation.
        ("es", "ca", "El Gobierno aprobó el plan de vivienda de la ciudad.",
         "El Govern va aprovar el pla d'habitatge de la ciutat."),
        # A quoted title kept in the original is short of six ordinary words.
        ("en", "es", "The band played “Born in the USA” twice.",
         "La banda tocó “Born in the USA” dos veces."),
    ],
)  # fmt: skip
def test_correct_translations_pass(src: str, tgt: str, source: str, target: str) -> None:
    assert serious(check_untranslated(one(src, tgt, source, target))) == []


def test_same_language_and_odd_input() -> None:
    text = "The museum will reopen its doors next month."
    assert check_untranslated(one("en", "en-GB", text, text)) == []
    for source, target in [("", ""), ("...", "..."), ("a" * 5000, "a" * 5000), ("\x00", "\ud800")]:
        check_untranslated(one("es", "en", source, target))
        check_untranslated(one("", "zz", source, target))


# Measured (first 500 FLORES lines): 0.0 % in each direction.
@pytest.mark.parametrize(("src", "tgt"), FLORES_DIRECTIONS)
def test_flores_false_alarms(src: str, tgt: str) -> None:
    assert false_alarm_rate(check_untranslated, src, tgt) <= 0.005


# Spanish and Catalan are close: Apertium's correct es<->ca output is often 90 % alike its source.
@pytest.mark.parametrize(
    ("src", "tgt", "source", "target"),
    [
        ("es", "ca", "La ley electoral francesa establece los procedimientos de forma bastante estricta.",
         "La llei electoral francesa estableix els procediments de forma bastant estricta."),
        ("ca", "es", "Inicialment, la vestimenta estava fortament influïda per la cultura bizantina.",
         "Inicialmente, la vestimenta estaba fuertemente influida por la cultura bizantina."),
    ],
)  # fmt: skip
def test_close_languages_translated_pass(src: str, tgt: str, source: str, target: str) -> None:
    assert at_least(check_untranslated(one(src, tgt, source, target)), Severity.ERROR) == []


def test_close_languages_passed_through_are_still_errors() -> None:
    source = "La ley electoral francesa establece los procedimientos de forma bastante estricta."
    nearly = "La ley electoral francesa establece los procediments de forma bastante estricta."
    for target in (source, nearly):
        [finding] = check_untranslated(one("es", "ca", source, target))
        assert finding.severity is Severity.ERROR and "not translated" in finding.message
