"""check_quotes: every quote style balanced in the translation, apostrophes not taken for quotes."""

from __future__ import annotations

import pytest

from babelwire.review.checks._text import plain
from babelwire.review.checks.quotes import check_quotes, imbalances
from babelwire.review.findings import Severity
from tests.review.checks.helpers import FLORES_DIRECTIONS, at_least, false_alarm_rate, one, serious

DEFECTS = [
    pytest.param(
        "es", "en",
        "El presidente explicará las sanciones si Rusia invade el país. La comunidad de inteligencia "
        "cree que Putin aún no ha decidido.",
        "The president will explain the sanctions if Russia invades the country. ‘Ukraine. The intelligence "
        "community believes Putin still has not decided.",
        "The president will explain the sanctions if Russia invades the country. The intelligence "
        "community believes Putin still has not decided.",
        "‘", id="seed4-stray-quote-es-en",
    ),
    pytest.param(
        "en", "es",
        "Biden’s aides don’t use the words “substantial countermeasures” lightly.",
        "Los asesores de Biden no usan las palabras «contramedidas sustanciales a la ligera.",
        "Los asesores de Biden no usan las palabras «contramedidas sustanciales» a la ligera.",
        "«", id="guillemet-unclosed-en-es",
    ),
    pytest.param(
        "ca", "en",
        "L'Ajuntament d'Olot ha dit que «no hi haurà canvis».",
        "Olot's city council said there would be 'no changes.",
        "Olot's city council said there would be 'no changes'.",
        "'", id="single-unclosed-ca-en",
    ),
    pytest.param(
        "en", "de",
        "He said: “We are ready to talk.”",
        "Er sagte: „Wir sind bereit zu reden.",
        "Er sagte: „Wir sind bereit zu reden.“",
        "„", id="low-high-unclosed-en-de",
    ),
    pytest.param(
        "en", "ru",
        "“There will be no live broadcast,” Peskov said.",
        "«Прямой трансляции не будет»», — сказал Песков.",
        "«Прямой трансляции не будет», — сказал Песков.",
        "»", id="closed-twice-en-ru",
    ),
    pytest.param(
        "es", "en",
        "El ministro dijo que «la situación es grave».",
        "The minister said that \"the situation is serious.",
        "The minister said that \"the situation is serious.\"",
        '"', id="straight-odd-es-en",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("src", "tgt", "source", "bad", "good", "mark"), DEFECTS)
def test_defect_flagged_and_correct_translation_passes(
    src: str, tgt: str, source: str, bad: str, good: str, mark: str
) -> None:
    flagged = at_least(check_quotes(one(src, tgt, source, bad)), Severity.ERROR)
    assert flagged and all((f.check, f.segment) == ("quotes", 0) for f in flagged)
    assert any(f" {mark} quote" in f.message for f in flagged)
    assert serious(check_quotes(one(src, tgt, source, good))) == []


@pytest.mark.parametrize(
    "text",
    [
        "Biden’s aides don’t say that; l'Ajuntament d'Olot and the states’ rights agree.",
        "Rock 'n' roll in the ’90s and '80s, ’til dawn.",
        "The students' behaviour and James' car.",
        "Il a dit : « Nous sommes prêts. »",
        "Er sagte: »Wir sind bereit.« Dann ‚ging‘ er.",
        'Er wollte „besser als gut" sein und ,,Rechte" haben.',
        "「東京」と『新聞』",
        "She said: 'We know it won't change overnight.'",
        "Tom &quot;the Boss&quot; Smith and &#8220;Ann&#8221;",
    ],
)
def test_balanced_text_and_apostrophes(text: str) -> None:
    assert imbalances(plain(text)) == []


def test_quotation_spanning_sentences_is_unbalanced_on_both_sides() -> None:
    source = "“There will be no live broadcast. I think we will show the very beginning."
    assert (
        check_quotes(
            one("en", "es", source, "«No habrá transmisión en directo. Creo que mostraremos el inicio.")
        )
        == []
    )
    closing = "We expect it to be long,” Peskov added."
    assert (
        check_quotes(
            one("en", "fr", closing, "Nous nous attendons à ce qu'elle soit longue », a ajouté Peskov.")
        )
        == []
    )


def test_message() -> None:
    [finding] = check_quotes(one("es", "en", "Dijo que sí.", "He said “yes."))
    assert finding.message == "translation has an unbalanced “ quote"


@pytest.mark.parametrize(
    ("source", "target"), [("", ""), ("'", "'"), ("’", "‘"), ("«»«", "»"), ('"' * 7, "&quot;")]
)
def test_odd_input_never_raises(source: str, target: str) -> None:
    check_quotes(one("es", "en", source, target))


# Measured on the first 500 FLORES lines: es->en 0.6 %, ca->en 0.4 %, en->es 0.2 % (quotations
# the human translator opened or closed in a neighbouring sentence).
@pytest.mark.parametrize(("src", "tgt"), FLORES_DIRECTIONS)
def test_flores_false_alarms(src: str, tgt: str) -> None:
    assert false_alarm_rate(check_quotes, src, tgt) <= 0.008
