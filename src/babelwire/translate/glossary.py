"""The glossary: terms never to translate (names, brands) and forced translations.

Entries come from configuration (`[[glossary]]` tables), global or for one source, for
every language pair or one. Matching is on whole words, longest term first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from pydantic import BaseModel


class GlossaryEntry(BaseModel):
    """`translation` None means "keep as is"; `source` limits the entry to one source (name or feed URL)."""

    model_config = {"frozen": True}

    term: str
    translation: str | None = None
    source_lang: str | None = None
    target_lang: str | None = None
    source: str | None = None
    case_sensitive: bool = True


@dataclass(frozen=True)
class Glossary:
    entries: tuple[GlossaryEntry, ...] = ()
    _lookup: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def for_pair(
        cls,
        entries: Iterable[GlossaryEntry],
        source_lang: str,
        target_lang: str,
        *,
        source: Iterable[str] = (),
    ) -> Glossary:
        """The entries that apply to one pair and one source (global entries always apply)."""
        names = {name for name in source if name}
        chosen = tuple(
            e
            for e in entries
            if e.term.strip()
            and (e.source_lang in (None, source_lang))
            and (e.target_lang in (None, target_lang))
            and (e.source is None or e.source in names)
        )
        lookup: dict[str, str] = {}
        for entry in chosen:
            key = entry.term if entry.case_sensitive else entry.term.casefold()
            lookup[key] = entry.translation if entry.translation is not None else entry.term
        return cls(chosen, lookup)

    @property
    def terms(self) -> list[str]:
        return sorted({e.term for e in self.entries}, key=len, reverse=True)

    @cached_property  # built once per glossary, not on every protect() call
    def pattern(self) -> str:
        """A regex alternative matching any term as a whole word (case-insensitive ones inline-flagged)."""
        parts = []
        for entry in sorted(self.entries, key=lambda e: len(e.term), reverse=True):
            escaped = re.escape(entry.term)
            parts.append(escaped if entry.case_sensitive else f"(?i:{escaped})")
        return r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)"

    def translation_of(self, text: str) -> str:
        if text in self._lookup:
            return self._lookup[text]
        folded = text.casefold()
        return self._lookup.get(folded, text)

    def __bool__(self) -> bool:
        return bool(self.entries)
