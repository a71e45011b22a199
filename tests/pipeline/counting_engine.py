"""A real Apertium engine that remembers every call: tests prove what an engine was (never) asked.

Registered for a test with `counting_engine(monkeypatch)`, then named in settings as
`default_engine = "counting"`; the router builds it like any engine found by name.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import ClassVar

import pytest

from babelwire.translate import registry
from babelwire.translate.engines.apertium import ApertiumEngine

NAME = "counting"


class CountingEngine(ApertiumEngine):
    """Apertium, with every (segments, source, target) it was sent kept in `CountingEngine.calls`."""

    calls: ClassVar[list[tuple[tuple[str, ...], str, str]]] = []
    _lock = threading.Lock()

    def translate(self, segments: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        with self._lock:
            CountingEngine.calls.append((tuple(segments), source_lang, target_lang))
        return super().translate(segments, source_lang, target_lang)

    @classmethod
    def sent_text(cls) -> str:
        """Everything the engine was sent, one segment a line."""
        return "\n".join(segment for segments, _, _ in cls.calls for segment in segments)


def counting_engine(monkeypatch: pytest.MonkeyPatch) -> type[CountingEngine]:
    """Register the engine as "counting" for this test, with no calls yet."""
    monkeypatch.setitem(registry.ENGINES, NAME, f"{__name__}:CountingEngine")
    monkeypatch.setattr(CountingEngine, "calls", [])
    return CountingEngine
