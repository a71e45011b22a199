"""Sentences in, translations out: memory first, then the engines the router picks.

For each route, in order: write every sentence in the protection scheme the route's engines
carry (scheme.py), look it up in the memory under that route's engine and model version,
send only the misses (each distinct sentence once), remember the answers, and put the
protected tokens back (restore.py). A sentence whose tokens did not all come back intact is
translated again unprotected, and the candidate that keeps more of the source's tokens is
kept; nothing is patched in. A failing route is logged and the next one tried; when every
route fails, the error names all of them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from babelwire.translate.engine import TranslationError
from babelwire.translate.inline import to_text
from babelwire.translate.memory import InMemoryMemory, Memory, entries_for, memory_key
from babelwire.translate.protect import Protected
from babelwire.translate.restore import Restored, restore
from babelwire.translate.router import Leg, Route, Router
from babelwire.translate.scheme import UNPROTECTED, Scheme, route_scheme

log = logging.getLogger("babelwire.translate")


@dataclass
class Usage:
    """What one call cost: sentences answered from memory, sent to an engine, tokens lost.

    `retranslated`: indices of sentences whose protected tokens came back broken and that were
    translated again unprotected; `lost_tokens`: tokens missing from the kept translations."""

    sentences: int = 0
    memory_hits: int = 0
    sent_to_engine: int = 0
    lost_tokens: list[str] = field(default_factory=list)
    retranslated: list[int] = field(default_factory=list)


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

    def alternatives(self, sentence: Protected, source_lang: str, target_lang: str) -> list[tuple[str, str]]:
        """Other translations of one sentence, each with how it was made: every direct route and
        every route through the pivot, each protected and unprotected. For the editor's repairs;
        a route that fails is skipped (its failure is the first translation's business)."""
        routes = self.router.routes(source_lang, target_lang)
        routes += [r for r in self.router.pivot_routes(source_lang, target_lang) if r not in routes]
        found: list[tuple[str, str]] = []
        for route in routes:
            usage = Usage(sentences=1)
            try:
                found.append((route.describe(), self._through(route, [sentence], usage)[0]))
                if sentence.tokens and route_scheme([leg.engine for leg in route.legs]) != UNPROTECTED:
                    bare = self._restored(route, [sentence], UNPROTECTED, usage)[0]
                    found.append((f"{route.describe()}, unprotected", bare.html))
            except TranslationError as exc:
                log.info("repair: %s failed (%s: %s)", route.describe(), exc.reason, exc.message)
        return found

    def _through(self, route: Route, sentences: Sequence[Protected], usage: Usage) -> list[str]:
        scheme = route_scheme([leg.engine for leg in route.legs])
        results = self._restored(route, sentences, scheme, usage)
        again = [i for i, result in enumerate(results) if not result.ok]
        if again and scheme != UNPROTECTED:
            retried = self._restored(route, [sentences[i] for i in again], UNPROTECTED, usage)
            for index, candidate in zip(again, retried, strict=True):
                usage.retranslated.append(index)
                log.info(
                    "sentence %d: %s came back broken (%s); translated again unprotected: %s",
                    index, scheme.name, "; ".join((*results[index].broken, *results[index].missing)),
                    "kept" if candidate.faults <= results[index].faults else "discarded",
                )  # fmt: skip
                if candidate.faults <= results[index].faults:
                    results[index] = candidate
        for result in results:
            usage.lost_tokens.extend(result.missing)
        return [result.html for result in results]

    def _restored(
        self, route: Route, sentences: Sequence[Protected], scheme: Scheme, usage: Usage
    ) -> list[Restored]:
        """Each sentence through every leg of the route in `scheme`, its tokens put back."""
        markups = [leg.engine.markup for leg in route.legs]
        texts = [p.render(scheme, markups[0]) for p in sentences]
        for number, leg in enumerate(route.legs):
            texts = self._leg(leg, texts, usage)
            if number < len(route.legs) - 1 and leg.engine.markup == "text" and markups[number + 1] == "html":
                texts = [escape(text, quote=False) for text in texts]  # pivot text into an HTML engine
        markup = "text" if "text" in markups else "html"
        if markup == "text" and markups[-1] == "html":
            texts = [to_text(text) for text in texts]
        return [restore(text, p, scheme, markup) for text, p in zip(texts, sentences, strict=True)]

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
