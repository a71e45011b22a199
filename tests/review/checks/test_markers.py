"""check_markers: engine markers, placeholders, markup and escapes left in the text; doubled punctuation."""

from __future__ import annotations

import pytest

from babelwire.review.checks.markers import check_markers
from babelwire.review.findings import ReviewContext, SegmentPair, Severity
from tests.review.checks.helpers import FLORES_DIRECTIONS, at_least, false_alarm_rate, one, serious

DEFECTS = [
    pytest.param(
        "es", "en",
        "El alcalde inauguró el nuevo dique del puerto.",
        "The mayor *inauguró the new dike of the port.",
        "The mayor opened the port's new breakwater.",
        "unknown-word marker", id="apertium-unknown-es-en",
    ),
    pytest.param(
        "ca", "en",
        "Els veïns es queixen del soroll nocturn.",
        "The neighbours #complain of the @soroll nocturnal.",
        "Residents complain about the noise at night.",
        "engine marker", id="apertium-generation-ca-en",
    ),
    pytest.param(
        "en", "es",
        "Call 112 if you see smoke.",
        "Llame al <var>0</var> si ve humo.",
        "Llame al 112 si ve humo.",
        "placeholder", id="placeholder-en-es",
    ),
    pytest.param(
        "en", "de",
        "The vessel ran aground near Rotterdam.",
        "Das Schiff lief bei <unk> auf Grund.",
        "Das Schiff lief bei Rotterdam auf Grund.",
        "model artifact", id="unk-en-de",
    ),
    pytest.param(
        "en", "ru",
        "Johnson & Johnson shares fell.",
        "Акции Johnson &amp; Johnson упали.",
        "Акции Johnson & Johnson упали.",
        "HTML entity", id="escaped-en-ru",
    ),
    pytest.param(
        "es", "en",
        "El concejal dijo que es urgente.",
        "The councillor said that it is <b>urgent</b>.",
        "The councillor said that it is urgent.",
        "markup", id="markup-es-en",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("src", "tgt", "source", "bad", "good", "words"), DEFECTS)
def test_defect_flagged_and_correct_translation_passes(
    src: str, tgt: str, source: str, bad: str, good: str, words: str
) -> None:
    flagged = at_least(check_markers(one(src, tgt, source, bad)), Severity.ERROR)
    assert flagged and all((f.check, f.segment) == ("markers", 0) for f in flagged)
    assert any(words in f.message for f in flagged)
    assert serious(check_markers(one(src, tgt, source, good))) == []


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Síguenos en @ElPais y #Ucrania.", "Follow @ElPais and #Ucrania."),
        ("Escribe a info@ejemplo.es.", "Write to info@ejemplo.es."),
        ("Dijo «AT&amp;T» y <b>no</b>.", "He said “AT&amp;T” and <b>no</b>."),
        ("Esperen...", "Wait..."),
        ("¿Qué pasó?!", "What happened?!"),
        ("Reunión a las 10:30; luego, comida.", "Meeting at 10:30; then, lunch."),
        ("La ley * entrará en vigor.", "The law * will take effect."),
    ],
)  # fmt: skip
def test_source_that_has_it_too_passes(source: str, target: str) -> None:
    assert serious(check_markers(one("es", "en", source, target))) == []


def test_repeated_punctuation_is_a_warning() -> None:
    findings = check_markers(
        one("es", "en", "¿Qué pasó? Nadie lo sabe.", "What happened?. Nobody knows,, yet..")
    )
    assert {f.severity for f in findings} == {Severity.WARNING}
    assert [f.message for f in findings] == [
        'translation has repeated punctuation "?."',
        'translation has repeated punctuation ",,"',
        'translation has repeated punctuation ".."',
    ]


def test_broken_and_double_escaped_markup() -> None:
    def check(target_html: str) -> list[str]:
        pair = SegmentPair(
            0, "Ver AT&T aquí.", "See AT&T here.", 'Ver AT&amp;T <a href="x">aquí</a>.', target_html
        )
        return [f.message for f in check_markers(ReviewContext("es", "en", (pair,)))]

    assert check('See AT&amp;T <a href="x">here</a>.') == []
    assert check('See AT&amp;T <a href="x">here.') == ["translation markup is broken: <a> never closed"]
    assert check('See AT&amp;amp;T <a href="x">here</a>.') == [
        'translation has "&amp;amp;" in its markup (escaped twice)'
    ]


@pytest.mark.parametrize(
    ("source", "target"), [("", ""), ("<", "<<>>"), ("&", "&;&#;&#x;"), ("*", "**a"), ("@", "@@ a@@ ")]
)
def test_odd_input_never_raises(source: str, target: str) -> None:
    check_markers(one("es", "en", source, target))


# Measured on the first 500 FLORES lines: 0 % in each direction (and no warning either, once
# "EE. UU.," stopped counting as doubled punctuation).
@pytest.mark.parametrize(("src", "tgt"), FLORES_DIRECTIONS)
def test_flores_false_alarms(src: str, tgt: str) -> None:
    assert false_alarm_rate(check_markers, src, tgt) <= 0.002
