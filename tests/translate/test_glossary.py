from __future__ import annotations

import re

from babelwire.config import Settings
from babelwire.translate.glossary import Glossary, GlossaryEntry

ENTRIES = [
    GlossaryEntry(term="Puerto Azul"),
    GlossaryEntry(term="Ayuntamiento", translation="City Council", source_lang="es", target_lang="en"),
    GlossaryEntry(term="Ayuntamiento", translation="Ajuntament", source_lang="es", target_lang="ca"),
    GlossaryEntry(term="La Voz", source="https://voz.example/rss"),
    GlossaryEntry(term="pp", translation="PP", case_sensitive=False),
]


def test_entries_are_chosen_by_pair_and_source() -> None:
    es_en = Glossary.for_pair(ENTRIES, "es", "en", source=("Diario", "https://diario.example/rss"))
    assert es_en.terms == ["Ayuntamiento", "Puerto Azul", "pp"]
    assert es_en.translation_of("Ayuntamiento") == "City Council"
    assert Glossary.for_pair(ENTRIES, "es", "ca").translation_of("Ayuntamiento") == "Ajuntament"
    with_source = Glossary.for_pair(ENTRIES, "es", "en", source=("La Voz", "https://voz.example/rss"))
    assert "La Voz" in with_source.terms


def test_pattern_matches_whole_words_longest_first() -> None:
    glossary = Glossary.for_pair(ENTRIES, "es", "en")
    pattern = re.compile(glossary.pattern)
    assert [
        m.group(0) for m in pattern.finditer("El PP y el Ayuntamiento de Puerto Azul; Puerto Azulejo")
    ] == [
        "PP",
        "Ayuntamiento",
        "Puerto Azul",
    ]
    assert glossary.translation_of("Pp") == "PP"


def test_glossary_from_configuration(tmp_path, monkeypatch) -> None:
    config = tmp_path / "babelwire.toml"
    config.write_text(
        '[[glossary]]\nterm = "Puerto Azul"\n\n'
        '[[glossary]]\nterm = "Xunta"\ntranslation = "Galician government"\n'
    )
    monkeypatch.setenv("BABELWIRE_CONFIG", str(config))
    settings = Settings()
    assert [e.term for e in settings.glossary] == ["Puerto Azul", "Xunta"]
    assert Glossary.for_pair(settings.glossary, "gl", "en").translation_of("Xunta") == "Galician government"
