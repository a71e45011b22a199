"""What a configuration needs, computed from settings alone (pure: no I/O).

The pairs are what the wire will be asked to translate: every configured target language for
every source language in the store, plus the pairs named in `[engines]`. The engines are those
the routes of these pairs can reach, by configured name, with the kind each name stands for.
"""

from __future__ import annotations

from collections.abc import Iterable

from babelwire.config import Settings

Pair = tuple[str, str]
APERTIUM_KINDS = frozenset({"apertium", "apertium-apy"})
HTTP_KINDS = frozenset({"apertium-apy", "libretranslate", "deepl", "openai"})


def needed_pairs(
    target_languages: Iterable[str], source_languages: Iterable[str], engine_keys: Iterable[str]
) -> list[Pair]:
    """Source x target pairs (a language into itself needs nothing), then `[engines]` pairs; in order."""
    pairs: dict[Pair, None] = {}
    targets = list(dict.fromkeys(target_languages))
    for source in dict.fromkeys(source_languages):
        for target in targets:
            if source != target:
                pairs[(source, target)] = None
    for key in engine_keys:
        source, dash, target = key.partition("-")
        if dash and source and target and source != target:
            pairs[(source, target)] = None
    return list(pairs)


def engine_kind(settings: Settings, name: str) -> str:
    """The engine a configured name stands for (`[engine_options.NAME] kind = "deepl"`, else the name)."""
    return str(settings.engine_options.get(name, {}).get("kind", name))


def candidate_engines(settings: Settings, pairs: Iterable[Pair]) -> list[str]:
    """Engine names configured for the pairs, and for their pivot legs when a pivot is set."""
    names: dict[str, None] = {}
    pivot = settings.pivot_language
    for source, target in pairs:
        legs = [(source, target)]
        if pivot and pivot not in (source, target):
            legs += [(source, pivot), (pivot, target)]
        for leg in legs:
            names.update(dict.fromkeys(settings.engines_for(*leg)))
    return list(names)


def with_short_timeouts(settings: Settings, timeout: float = 5.0) -> Settings:
    """The settings with HTTP engines told to give up fast: one attempt, a few seconds."""
    options = {name: dict(values) for name, values in settings.engine_options.items()}
    for name in settings.engine_names():
        if engine_kind(settings, name) in HTTP_KINDS:
            table = options.setdefault(name, {})
            table.update({"timeout": timeout, "connect_timeout": min(timeout, 2.0), "attempts": 1})
    return settings.model_copy(update={"engine_options": options})
