from __future__ import annotations

import pytest

from babelwire.translate.glossary import Glossary, GlossaryEntry
from babelwire.translate.protect import protect
from babelwire.translate.restore import restore
from babelwire.translate.scheme import TAG_PLACEHOLDERS, UNPROTECTED

SENTENCE = (
    'Según <a href="https://x.es/informe">el informe</a>, 175.000 personas (el 3,5 %) visitaron '
    "www.ejemplo.es/a?b=1&amp;c=2; escriba a info@ejemplo.es, siga a @Puerto y #Elecciones2026."
)


def test_tokens_become_placeholders_outside_tags() -> None:
    protected = protect(SENTENCE, "es", "en")
    assert [(t.kind, t.source, t.target) for t in protected.tokens] == [
        ("number", "175.000", "175,000"),
        ("number", "3,5", "3.5"),
        ("url", "www.ejemplo.es/a?b=1&c=2", "www.ejemplo.es/a?b=1&c=2"),
        ("email", "info@ejemplo.es", "info@ejemplo.es"),
        ("handle", "@Puerto", "@Puerto"),
        ("hashtag", "#Elecciones2026", "#Elecciones2026"),
    ]
    assert 'href="https://x.es/informe"' in protected.html  # attributes untouched
    assert "<var>0</var> personas (el <var>1</var> %)" in protected.html


def test_restore_puts_tokens_back_in_target_form() -> None:
    protected = protect(SENTENCE, "es", "en")
    engine_output = protected.html.replace("personas", "people").replace("visitaron", "visited")
    restored = restore(engine_output, protected, TAG_PLACEHOLDERS)
    assert restored.ok
    assert "175,000 people (el 3.5 %) visited www.ejemplo.es/a?b=1&amp;c=2;" in restored.html


def test_a_token_the_engine_lost_is_reported_and_never_appended() -> None:
    protected = protect("Llegaron 175.000 personas.", "es", "en")
    restored = restore("People arrived.", protected, TAG_PLACEHOLDERS)
    assert restored.missing == ("175.000",) and not restored.ok
    assert restored.html == "People arrived."  # the seed site's defect was gluing it on at the end


def test_text_engines_get_plain_text_and_numbers_are_localized_after() -> None:
    protected = protect("Llegaron <em>175.000</em> personas.", "es", "en")
    assert protected.render(UNPROTECTED, "text") == "Llegaron 175.000 personas."
    restored = restore("175.000 people arrived.", protected, UNPROTECTED, "text")
    assert restored.html == "175,000 people arrived." and restored.ok


def test_glossary_terms_are_kept_or_forced() -> None:
    glossary = Glossary.for_pair(
        [
            GlossaryEntry(term="El Diario del Puerto"),
            GlossaryEntry(term="Junta", translation="regional government", target_lang="en"),
            GlossaryEntry(term="junta", translation="board", target_lang="fr"),
        ],
        "es",
        "en",
    )
    protected = protect("El Diario del Puerto dice que la Junta aprobó la juntadera.", "es", "en", glossary)
    assert [(t.kind, t.target) for t in protected.tokens] == [
        ("glossary", "El Diario del Puerto"),
        ("glossary", "regional government"),
    ]
    assert restore(protected.html, protected, TAG_PLACEHOLDERS).html == (
        "El Diario del Puerto dice que la regional government aprobó la juntadera."
    )
    assert "regional government" in protected.render(UNPROTECTED, "text")


@pytest.mark.parametrize("text", ["", "   ", "<em></em>", "Sin números ni enlaces."])
def test_nothing_to_protect(text: str) -> None:
    protected = protect(text, "es", "en")
    assert protected.tokens == ()
    assert restore(protected.html, protected, TAG_PLACEHOLDERS).html == protected.html


def test_tokens_written_as_entities_are_protected() -> None:
    # No raw digit, "@" or "#": the quick pre-check must look at the decoded text.
    protected = protect("Sigue a &commat;puerto y &num;lluvia.", "es", "en")
    assert [(t.kind, t.source) for t in protected.tokens] == [("handle", "@puerto"), ("hashtag", "#lluvia")]
