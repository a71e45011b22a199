"""check_tokens: URLs, e-mail addresses, handles, hashtags and link targets come through exactly."""

from __future__ import annotations

import pytest

from babelwire.review.checks.tokens import check_tokens
from babelwire.review.findings import ReviewContext, SegmentPair, Severity
from tests.review.checks.helpers import FLORES_DIRECTIONS, at_least, false_alarm_rate, one, serious

DEFECTS = [
    pytest.param(
        "es", "en",
        "El informe completo está en https://ejemplo.es/informe?id=3 desde el lunes.",
        "The full report is at https://ejemplo. es/informe?id=3 since Monday.",
        "The full report is at https://ejemplo.es/informe?id=3 since Monday.",
        "altered", id="url-broken-es-en",
    ),
    pytest.param(
        "en", "es",
        "Questions can be sent to press@example.org until Friday.",
        "Las preguntas pueden enviarse a prensa@example.org hasta el viernes.",
        "Las preguntas pueden enviarse a press@example.org hasta el viernes.",
        "missing", id="email-translated-en-es",
    ),
    pytest.param(
        "ca", "en",
        "Segueix l'última hora a @AjuntamentBCN i amb #SantJordi2024.",
        "Follow the latest at @ajuntamentbcn and with #SaintGeorge2024.",
        "Follow the latest at @AjuntamentBCN and with #SantJordi2024.",
        "handle", id="handle-and-hashtag-ca-en",
    ),
    pytest.param(
        "en", "de",
        "Read the statement on the ministry's website.",
        "Lesen Sie die Erklärung auf www.ministerium-fake.de.",
        "Lesen Sie die Erklärung auf der Website des Ministeriums.",
        "not in the source", id="url-invented-en-de",
    ),
    pytest.param(
        "en", "ru",
        "The video was posted at https://t.me/news_channel/1234 by @kremlin_pool.",
        "Видео было опубликовано на https://t.me/news_channel/1243 пользователем @kremlin_pool.",
        "Видео было опубликовано на https://t.me/news_channel/1234 пользователем @kremlin_pool.",
        "URL", id="url-changed-en-ru",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("src", "tgt", "source", "bad", "good", "words"), DEFECTS)
def test_defect_flagged_and_correct_translation_passes(
    src: str, tgt: str, source: str, bad: str, good: str, words: str
) -> None:
    flagged = at_least(check_tokens(one(src, tgt, source, bad)), Severity.ERROR)
    assert flagged and all((f.check, f.segment) == ("tokens", 0) for f in flagged)
    assert any(words in f.message for f in flagged)
    assert serious(check_tokens(one(src, tgt, source, good))) == []


def test_changed_address_is_one_finding() -> None:
    [changed] = check_tokens(one("es", "en", "Escriba a prensa@ejemplo.es.", "Write to press@ejemplo.es."))
    assert (
        changed.message
        == 'e-mail address "prensa@ejemplo.es" of the source is missing from the translation or changed'
    )


def test_link_targets_in_markup() -> None:
    href = "https://ejemplo.es/x?a=1&amp;b=2"
    source_html = f'Véase <a href="{href}">el informe</a>.'

    def check(target_html: str) -> list[str]:
        pair = SegmentPair(0, "Véase el informe.", "See the report.", source_html, target_html)
        return [f.message for f in check_tokens(ReviewContext("es", "en", (pair,)))]

    assert check('See <a href="https://ejemplo.es/x?a=1&b=2">the report</a>.') == []
    [message] = check('See <a href="https://ejemplo.es/y">the report</a>.')
    assert "https://ejemplo.es/x?a=1&b=2" in message
    assert check("See the report.") != []


def test_trailing_punctuation_is_not_part_of_the_url() -> None:
    assert check_tokens(one("es", "en", "Véase https://a.es/b.", "See https://a.es/b, today.")) == []


@pytest.mark.parametrize(
    ("source", "target"),
    [("", ""), ("@", "@@"), ("#", "##1"), ("http://", "https://"), ("a@b", "a@b.c"), ("&amp;@x&#64;y", "@x")],
)
def test_odd_input_never_raises(source: str, target: str) -> None:
    check_tokens(one("es", "en", source, target))


# Measured on the first 500 FLORES lines: 0 % in each direction (they hold no URL, address, handle
# or hashtag, but many "." and "/" the patterns must not take for one).
@pytest.mark.parametrize(("src", "tgt"), FLORES_DIRECTIONS)
def test_flores_false_alarms(src: str, tgt: str) -> None:
    assert false_alarm_rate(check_tokens, src, tgt) <= 0.002
