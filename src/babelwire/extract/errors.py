"""Extraction failures, each with a short machine-friendly reason.

The reason is what the store records on the item (stage, error class, message), so it is a
small closed vocabulary rather than free text: "no_content", "not_html", "extractor_failed".
"""

from __future__ import annotations

from babelwire.errors import BabelwireError


class ExtractionError(BabelwireError):
    """A page could not be turned into a document; `reason` says why in one word."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(reason, message)
        self.args = (f"{reason}: {message}",)

    def __reduce__(self) -> tuple[type[ExtractionError], tuple[str, str]]:
        # Keeps the error picklable, so batch workers in a process pool can send it back.
        return (type(self), (self.reason, self.message))
