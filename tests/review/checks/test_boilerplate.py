"""check_boilerplate: site chrome in a translation, in any of the languages, but not news about it."""

from __future__ import annotations

import pytest

from babelwire.review.checks.boilerplate import check_boilerplate
from babelwire.review.findings import Severity
from tests.review.checks.helpers import FLORES_DIRECTIONS, at_least, false_alarm_rate, one, serious

# The right translation of chrome is none at all: "" as the correct target.
DEFECTS = [
    pytest.param(
        "es", "en",
        "Saltar al contenido",
        "Skip to content",
        "",
        id="seed1-skip-to-content-es-en",
    ),
    pytest.param(
        "es", "en",
        "El Gobierno aprobó ayer el nuevo plan de vivienda.",
        "Skip to content The Government approved the new housing plan yesterday.",
        "The Government approved the new housing plan yesterday.",
        id="seed1-chrome-glued-to-news-es-en",
    ),
    pytest.param(
        "ca", "en",
        "Comparteix a Facebook",
        "Share on Facebook",
        "",
        id="share-ca-en",
    ),
    pytest.param(
        "en", "es",
        "Advertisement",
        "Publicidad",
        "",
        id="advertisement-en-es",
    ),
    pytest.param(
        "en", "de",
        "Sign up for our newsletter to get the latest news on the war.",
        "Melden Sie sich für unseren Newsletter an, um die neuesten Nachrichten über den Krieg zu erhalten.",
        "",
        id="newsletter-en-de",
    ),
    pytest.param(
        "en", "ru",
        "Read more: Biden and Putin speak at critical moment",
        "Читать далее: Байден и Путин выступают в критический момент",
        "",
        id="read-more-en-ru",
    ),
    pytest.param(
        "es", "en",
        "Utilizamos cookies propias y de terceros para mejorar su experiencia.",
        "We use cookies of our own and of third parties to improve your experience.",
        "",
        id="cookie-banner-es-en",
    ),
    pytest.param(
        "en", "es",
        "12 comments",
        "12 comments",
        "",
        id="untranslated-chrome-en-es",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("src", "tgt", "source", "bad", "good"), DEFECTS)
def test_chrome_flagged_and_news_passes(src: str, tgt: str, source: str, bad: str, good: str) -> None:
    flagged = at_least(check_boilerplate(one(src, tgt, source, bad)), Severity.ERROR)
    assert flagged and all((f.check, f.segment) == ("boilerplate", 0) for f in flagged)
    assert serious(check_boilerplate(one(src, tgt, source, good))) == []


@pytest.mark.parametrize(
    ("src", "tgt", "source", "target"),
    [
        ("es", "en", "La panadería vende cookies de chocolate.", "The bakery sells chocolate cookies."),
        ("es", "en", "El portavoz declinó hacer comentarios sobre la reunión.",
         "The spokesman declined to make comments on the meeting."),
        ("es", "en", "La multa llegó porque el aviso decía «utilizamos cookies» sin pedir permiso.",
         "The fine came because the notice said \"we use cookies\" without asking permission."),
        ("en", "es", "People read more books in winter.", "La gente lee más libros en invierno."),
        ("en", "de", "Prices went up again in March.", "Die Preise gingen im März wieder nach oben."),
        ("en", "es", "Facebook changed its privacy policy on Monday.",
         "Facebook cambió el lunes su política de privacidad."),
        ("en", "ru", "Advertising revenue fell by a third.", "Доходы от рекламы упали на треть."),
    ],
)  # fmt: skip
def test_news_about_the_same_words_passes(src: str, tgt: str, source: str, target: str) -> None:
    assert serious(check_boilerplate(one(src, tgt, source, target))) == []


def test_message_quotes_the_chrome() -> None:
    [finding] = check_boilerplate(one("es", "en", "Publicidad", "Advertisement"))
    assert finding.message == 'translation holds site chrome, not news: "Advertisement"'


@pytest.mark.parametrize(
    ("source", "target"), [("", ""), ("x", " "), ("Read", "more"), ("“", "“Read more”"), (":", ":")]
)
def test_odd_input_never_raises(source: str, target: str) -> None:
    check_boilerplate(one("en", "es", source, target))


# Measured on the first 500 FLORES lines: 0 % in each direction.
@pytest.mark.parametrize(("src", "tgt"), FLORES_DIRECTIONS)
def test_flores_false_alarms(src: str, tgt: str) -> None:
    assert false_alarm_rate(check_boilerplate, src, tgt) <= 0.002
