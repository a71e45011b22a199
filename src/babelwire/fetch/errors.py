"""Fetch failures, each with a message a person can act on."""

from __future__ import annotations

from babelwire.errors import BabelwireError


class FetchError(BabelwireError):
    """A URL could not be fetched."""

    def __init__(self, url: str, reason: str, message: str) -> None:
        super().__init__(reason, message, subject=url)
        self.url = url
