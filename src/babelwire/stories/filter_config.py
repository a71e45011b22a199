"""`[filters]` in babelwire.toml: global rules and each source's, checked when the settings load.

    [filters]
    rules = ["block title:horoscope", "keep language:es ca en"]
    [filters.sources]
    "https://diari.example/rss.xml" = ["block url:/\\/esports\\//"]
    "El Diari" = '''
    block category:publicitat
    '''

A source is named by its feed URL or its name (as `babelwire sources list` shows them). Rules
come as a list or as one string with a rule per line; blank lines and lines starting with `#`
are skipped. Environment: BABELWIRE_FILTERS__RULES (a JSON list, or rules one per line) and
BABELWIRE_FILTERS__SOURCES (a JSON object). A rule that does not parse stops the load with its
key, its number, its text and the reason (stories/filters.py has the grammar).
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Annotated, Any

from pydantic import BaseModel, Field, PrivateAttr, field_validator, model_validator
from pydantic_settings import NoDecode

from babelwire.stories.filters import Rule, RuleError, parse_rules


class FilterSettings(BaseModel):
    """Editorial filter rules from the configuration (the admin and CLI add stored ones)."""

    rules: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description='Rules for every source, e.g. ["block title:horoscope", "keep language:es en"].',
    )
    sources: dict[str, list[str]] = Field(
        default_factory=dict,
        description='Rules per source, keyed by its feed URL or name: {"El Diari": ["block url:/esports/"]}.',
    )
    _global: list[Rule] = PrivateAttr(default_factory=list)
    _per_source: dict[str, list[Rule]] = PrivateAttr(default_factory=dict)

    @field_validator("rules", mode="before")
    @classmethod
    def _split_rules(cls, value: Any) -> Any:
        return _rule_lines(value)

    @field_validator("sources", mode="before")
    @classmethod
    def _split_source_rules(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().startswith("{"):
            value = json.loads(value)
        if isinstance(value, dict):
            return {key: _rule_lines(lines) for key, lines in value.items()}
        return value

    @field_validator("rules")
    @classmethod
    def _check_rules(cls, lines: list[str]) -> list[str]:
        _parsed(lines, "", scope="global")
        return lines

    @field_validator("sources")
    @classmethod
    def _check_source_rules(cls, sources: dict[str, list[str]]) -> dict[str, list[str]]:
        for key, lines in sources.items():
            if not key.strip():
                raise ValueError("a source key is empty; name the source by its feed URL or name")
            _parsed(lines, f"{key!r} ", scope=key)
        return sources

    @model_validator(mode="after")
    def _parse(self) -> FilterSettings:
        """Keep the parsed rules (the field validators refused any that does not parse)."""
        self._global = _parsed(self.rules, "", scope="global")
        self._per_source = {key: _parsed(lines, "", scope=key) for key, lines in self.sources.items()}
        return self

    def global_rules(self) -> list[Rule]:
        """The rules for every source, in the order written."""
        return list(self._global)

    def source_rules(self, source_id: int, url: str, name: str) -> list[Rule]:
        """The rules written for this source (under its URL or its name), scoped to its id."""
        found = []
        for key, rules in self._per_source.items():
            if key == url or key.casefold() == name.casefold():
                found += [_scoped(rule, source_id, name or url) for rule in rules]
        return found

    def rules_for(self, source_id: int, url: str, name: str) -> list[Rule]:
        """Global rules, then the source's: what the filters apply to one of its articles."""
        return [*self.global_rules(), *self.source_rules(source_id, url, name)]

    def source_keys(self) -> list[str]:
        """The URLs and names rules are written for (`filters list` flags those no source has)."""
        return list(self._per_source)

    def keyed_rules(self) -> list[tuple[str, Rule]]:
        """Every configured rule with the key it is written under ("" for global ones)."""
        return [("", rule) for rule in self._global] + [
            (key, rule) for key, rules in self._per_source.items() for rule in rules
        ]


def _rule_lines(value: Any) -> Any:
    """A list of rules, from a list or from a string (a JSON list, or one rule per line)."""
    if isinstance(value, str):
        text = value.strip()
        return json.loads(text) if text.startswith("[") else value.splitlines()
    return value


def _parsed(lines: list[str], where: str, *, scope: str) -> list[Rule]:
    try:
        return parse_rules(lines, scope=scope)
    except RuleError as exc:
        raise ValueError(f"{where}{exc}") from None


def _scoped(rule: Rule, source_id: int, scope: str) -> Rule:
    return replace(rule, source_id=source_id, scope=scope)
