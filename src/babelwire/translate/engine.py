"""The engine protocol: every engine is one file behind this small interface.

Segments are inline HTML fragments (sanitized by extract/); engines must return exactly
one translated fragment per input segment, in order, keeping the inline markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from babelwire.errors import BabelwireError


class TranslationError(BabelwireError):
    """An engine could not translate; `reason` is short and machine-friendly."""

    def __init__(self, engine: str, reason: str, message: str) -> None:
        super().__init__(reason, message, subject=engine)
        self.engine = engine


@runtime_checkable
class Engine(Protocol):
    name: str

    @property
    def model_version(self) -> str:
        """What produced the output (package or model version): part of the provenance and cache key."""
        ...

    def supports(self, source_lang: str, target_lang: str) -> bool: ...

    def translate(self, segments: Sequence[str], source_lang: str, target_lang: str) -> list[str]: ...
