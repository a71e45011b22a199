"""Sentences in, translations out: memory first, then the engines the router picks.

For each route, in order: look every sentence up in the memory under that route's engine
and model version, send only the misses (each distinct sentence once), remember the
answers, and put the protected tokens back. A failing route is logged and the next one
tried; when every route fails, the error names all of them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from babelwire.translate.engine import TranslationError
from babelwire.translate.inline import to_text
from babelwire.translate.memory import InMemoryMemory, Memory, entries_for, memory_key
from babelwire.translate.protect import Protected, restore
from babelwire.translate.router import Leg, Route, Router

log = logging.getLogger("babelwire.translate")


@dataclass
class Usage:
    """What one call cost: sentences answered from memory, sent to an engine, tokens lost."""

    sentences: int = 0
    memory_hits: int = 0
    sent_to_engine: int = 0
    lost_tokens: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TranslatedSentences:
    html: tuple[str, ...]
    engine: str
    model_version: str
    pivot: str | None
    usage: Usage


class Translator:
    def __init__(self, router: Router, memory: Memory | None = None) -> None:
        self.router = router
        self.memory: Memory = memory or InMemoryMemory()

    def translate(
        self, sentences: Sequence[Protected], source_lang: str, target_lang: str
    ) -> TranslatedSentences:
        routes = self.router.routes(source_lang, target_lang)
        if not routes:
            raise self.router.no_route_error(source_lang, target_lang)
        failures: list[str] = []
        last: TranslationError | None = None
        for route in routes:
            usage = Usage(sentences=len(sentences))
            try:
                html = self._through(route, sentences, usage)
            except TranslationError as exc:
                failures.append(f"{route.describe()}: {exc.reason}: {exc.message}")
                log.warning(
                    "%s failed (%s: %s); trying the next route", route.describe(), exc.reason, exc.message
                )
                last = exc
                continue
            return TranslatedSentences(
                tuple(html), route.engine_label, route.model_version, route.pivot, usage
            )
        assert last is not None
        raise TranslationError(last.engine, last.reason, "; ".join(failures), retryable=last.retryable)

    def _through(self, route: Route, sentences: Sequence[Protected], usage: Usage) -> list[str]:
        current = list(sentences)
        markup = "html"
        outputs: list[str] = []
        for number, leg in enumerate(route.legs):
            outputs = self._leg(leg, [p.for_engine(leg.engine.markup) for p in current], usage)
            if leg.engine.markup != "html":
                markup = "text"
            if number < len(route.legs) - 1:
                # The pivot-language text keeps its placeholders (or its tokens) for the next leg.
                current = [
                    Protected(out if leg.engine.markup == "html" else escape(out, quote=False), p.tokens)
                    for out, p in zip(outputs, current, strict=True)
                ]
        last_markup = route.legs[-1].engine.markup
        results = []
        for output, protected in zip(outputs, sentences, strict=True):
            plain = to_text(output) if markup == "text" and last_markup == "html" else output
            restored = restore(plain, protected, markup)
            usage.lost_tokens.extend(restored.missing)
            results.append(restored.html)
        return results

    def _leg(self, leg: Leg, texts: list[str], usage: Usage) -> list[str]:
        engine, src, tgt = leg.engine, leg.source_lang, leg.target_lang
        version = engine.model_version(src, tgt)
        keys = [memory_key(engine.name, version, src, tgt, text) for text in texts]
        known = self.memory.lookup(keys)
        usage.memory_hits += sum(1 for key in keys if key in known)
        missing = {
            key: text for key, text in zip(keys, texts, strict=True) if key not in known and text.strip()
        }
        if missing:
            translated = engine.translate(list(missing.values()), src, tgt)
            if len(translated) != len(missing):
                raise TranslationError(
                    engine.name, "misaligned", f"{len(translated)} outputs for {len(missing)} inputs"
                )
            pairs = {key: (text, out) for (key, text), out in zip(missing.items(), translated, strict=True)}
            self.memory.save(entries_for(engine.name, version, src, tgt, pairs))
            known.update({key: out for key, (_, out) in pairs.items()})
            usage.sent_to_engine += len(missing)
        return [known.get(key, "") for key in keys]
