"""The engine protocol: every engine is one file behind this small interface.

Segments are sentences. For engines whose `markup` is "html" they are inline HTML
fragments (sanitized by extract/) that may hold `<a>`, `<em>`, ... and the placeholder tag
`<var>N</var>` standing for a protected token (a number, URL, glossary term): the engine
must keep every tag. Engines whose `markup` is "text" get plain text and return plain
text. Either way: exactly one output per input segment, in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol, runtime_checkable

from babelwire.errors import BabelwireError

Markup = Literal["html", "text"]


class TranslationError(BabelwireError):
    """An engine could not translate; `reason` is short and machine-friendly.

    `retryable` says whether trying the same engine again later may help (timeouts, 5xx,
    rate limits) as opposed to errors that will not go away (unsupported pair, bad key).
    """

    def __init__(self, engine: str, reason: str, message: str, *, retryable: bool = False) -> None:
        super().__init__(reason, message, subject=engine)
        self.engine = engine
        self.retryable = retryable


@runtime_checkable
class Engine(Protocol):
    name: str
    markup: Markup

    def model_version(self, source_lang: str, target_lang: str) -> str:
        """What produces this pair's output (package or model and its version): stored with every
        translation as provenance, and part of the translation-memory key."""
        ...

    def supports(self, source_lang: str, target_lang: str) -> bool: ...

    def translate(self, segments: Sequence[str], source_lang: str, target_lang: str) -> list[str]: ...
