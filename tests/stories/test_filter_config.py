"""`[filters]` in babelwire.toml and BABELWIRE_FILTERS__*: loaded, scoped to sources, refused when wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from babelwire.config import Settings

CONFIG = '''
[filters]
rules = ["block title:horoscope", "keep language:es ca en"]

[filters.sources]
"https://diari.example/rss.xml" = ["block url:/\\\\/esports\\\\//"]
"El Diari" = """
# the sponsored section
block category:publicitat

block title:"contingut patrocinat"
"""
'''


def load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Settings:
    config = tmp_path / "babelwire.toml"
    config.write_text(text)
    monkeypatch.setenv("BABELWIRE_CONFIG", str(config))
    return Settings()


def test_global_and_per_source_rules_load_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    filters = load(tmp_path, monkeypatch, CONFIG).filters
    assert [rule.text for rule in filters.global_rules()] == [
        "block title:horoscope",
        "keep language:es ca en",
    ]
    # By feed URL and by name (any case): both keys name source 3 here.
    rules = filters.rules_for(3, "https://diari.example/rss.xml", "el diari")
    assert [(r.text, r.source_id, r.scope) for r in rules] == [
        ("block title:horoscope", None, "global"),
        ("keep language:es ca en", None, "global"),
        (r"block url:/\/esports\//", 3, "el diari"),
        ("block category:publicitat", 3, "el diari"),
        ('block title:"contingut patrocinat"', 3, "el diari"),
    ]
    assert filters.source_rules(4, "https://other.example/feed", "Gaceta") == []
    assert filters.source_keys() == ["https://diari.example/rss.xml", "El Diari"]


def test_no_filters_section_means_no_rules() -> None:
    assert Settings().filters.global_rules() == [] and Settings().filters.keyed_rules() == []


def test_environment_rules_as_lines_or_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BABELWIRE_FILTERS__RULES", "block title:horoscope\nkeep language:en")
    assert [r.text for r in Settings().filters.global_rules()] == [
        "block title:horoscope",
        "keep language:en",
    ]
    monkeypatch.setenv("BABELWIRE_FILTERS__RULES", json.dumps(["block url:/\\/sport\\//"]))
    monkeypatch.setenv("BABELWIRE_FILTERS__SOURCES", json.dumps({"Gaceta": ["keep category:economia"]}))
    settings = Settings()
    assert [r.text for r in settings.filters.global_rules()] == ["block url:/\\/sport\\//"]
    assert [r.text for r in settings.filters.source_rules(2, "https://g.example/", "Gaceta")] == [
        "keep category:economia"
    ]


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ('[filters]\nrules = ["block title:x", "blok title:y"]', "filters.rules",
         "rule 2 'blok title:y': unknown action 'blok'; start the rule with 'block' or 'keep'"),
        ('[filters]\nrules = """\nblock title:x\n\nblock titel:y\n"""', "filters.rules",
         "rule 3 'block titel:y': unknown field 'titel'"),  # TOML drops the first newline
        ('[filters.sources]\n"El Diari" = ["keep url:/(a+)+/"]', "filters.sources",
         "'El Diari' rule 1 'keep url:/(a+)+/': filter regex has a nested repeat; use a short regex"),
        ('[filters.sources]\n" " = ["block title:x"]', "filters.sources", "a source key is empty"),
        ('[filters]\nrules = "block title:x"\nsources = ["block title:y"]', "filters.sources", "dict"),
    ],
)  # fmt: skip
def test_a_bad_rule_stops_the_load_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, where: str, says: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        load(tmp_path, monkeypatch, text)
    (error,) = caught.value.errors()
    assert ".".join(str(p) for p in error["loc"]) == where
    assert says in error["msg"]


def test_the_example_configuration_has_valid_filters(monkeypatch: pytest.MonkeyPatch) -> None:
    example = Path(__file__).resolve().parents[2] / "babelwire.toml.example"
    monkeypatch.setenv("BABELWIRE_CONFIG", str(example))
    assert Settings().filters.keyed_rules() == []  # shipped commented out: nothing is filtered by default
