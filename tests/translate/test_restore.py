"""Restoration proves every protected token came back: once, intact, inside the sentence."""

from __future__ import annotations

import pytest

from babelwire.translate.protect import protect, word_index, word_suffix
from babelwire.translate.restore import restore
from babelwire.translate.scheme import TAG_PLACEHOLDERS, UNPROTECTED, Scheme

APERTIUM_LIKE = Scheme("word", frozenset({"number", "url", "email"}))


def test_apertium_gets_numbers_urls_and_emails_as_written_and_words_for_the_rest() -> None:
    protected = protect("El 23 de marzo, @puerto escribió a info@x.es: https://x.es/a", "es", "en")
    assert protected.render(APERTIUM_LIKE) == "El 23 de marzo, Zxwb escribió a info@x.es: https://x.es/a"


def test_numbers_sent_as_written_are_localized_where_the_engine_put_them() -> None:
    protected = protect("Costó 175.000 euros, un 3,5% más, el 17 de septiembre de 1939.", "es", "en")
    restored = restore("It cost 175.000 euros, 3,5% more, on 17 September 1939.", protected, APERTIUM_LIKE)
    assert restored.ok
    assert restored.html == "It cost 175,000 euros, 3.5% more, on 17 September 1939."


def test_a_number_the_engine_localized_itself_counts_as_kept() -> None:
    protected = protect("Costó 175.000 euros.", "es", "en")
    assert restore("It cost 175,000 euros.", protected, APERTIUM_LIKE).ok
    assert restore("It cost 175\u00a0000 euros.", protected, APERTIUM_LIKE).ok  # other separator, same digits


def test_a_changed_number_is_missing_not_patched() -> None:
    protected = protect("El 17 de septiembre de 1939.", "es", "ca")
    restored = restore("El 0 de setembre d'1 17.", protected, APERTIUM_LIKE)
    assert restored.missing == ("1939",)
    assert "1939" not in restored.html


def test_the_same_number_twice_needs_two_occurrences() -> None:
    protected = protect("Ganó 2 a 2.", "es", "en")
    assert restore("It won 2 to 2.", protected, APERTIUM_LIKE).ok
    assert restore("It won 2.", protected, APERTIUM_LIKE).missing == ("2",)


def test_word_placeholders_come_back_as_the_tokens() -> None:
    protected = protect("Siga a @puerto y #Elecciones.", "es", "en")
    restored = restore("Follow Zxwa and Zxwb.", protected, APERTIUM_LIKE)
    assert restored.ok and restored.html == "Follow @puerto and #Elecciones."


def test_a_duplicated_or_invented_placeholder_is_broken() -> None:
    protected = protect("Siga a @puerto.", "es", "en")
    assert not restore("Follow Zxwa, Zxwa.", protected, APERTIUM_LIKE).ok
    invented = restore("Follow Zxwa Zxwq.", protected, APERTIUM_LIKE)
    assert invented.broken and "Zxwq" not in invented.html


def test_the_apertium_transfuse_damage_is_detected() -> None:
    # What `apertium -f html` with transfuse made of "<var>" placeholders (issue 11).
    protected = protect("El proceso se abrirá el 23 de marzo de 2026.", "es", "en")
    assert protected.html == "El proceso se abrirá el <var>0</var> de marzo de <var>1</var>."
    damaged = "The process will open on <var>0</var> March 1 <var></var>."
    restored = restore(damaged, protected, TAG_PLACEHOLDERS)
    assert not restored.ok
    assert restored.missing == ("2026",) and restored.broken
    assert "<var" not in restored.html


def test_a_placeholder_stranded_after_the_final_stop_is_broken() -> None:
    protected = protect("Llegaron 175.000 personas a la plaza.", "es", "en")
    assert restore("People arrived at the square. <var>0</var>", protected, TAG_PLACEHOLDERS).broken
    assert restore("<var>0</var> people arrived at the square.", protected, TAG_PLACEHOLDERS).ok


def test_a_sentence_ending_with_its_token_may_end_with_it() -> None:
    protected = protect("Más información. @puerto", "es", "en")
    assert restore("More information. <var>0</var>", protected, TAG_PLACEHOLDERS).ok


def test_unprotected_text_keeps_glossary_targets_and_checks_every_token() -> None:
    protected = protect("Visite www.x.es o siga a @puerto.", "es", "en")
    assert protected.render(UNPROTECTED) == "Visite www.x.es o siga a @puerto."
    assert restore("Visit www.x.es or follow @puerto.", protected, UNPROTECTED).ok
    assert restore("Visit www.x.es or follow @port.", protected, UNPROTECTED).missing == ("@puerto",)


@pytest.mark.parametrize("index", [0, 1, 25, 26, 27, 700])
def test_word_suffixes_are_letters_and_round_trip(index: int) -> None:
    suffix = word_suffix(index)
    assert suffix.isalpha() and suffix.islower()
    assert word_index(suffix) == index and word_index(suffix.upper()) == index
