"""Fetch failures, each with a message a person can act on."""

from __future__ import annotations

from babelwire.errors import BabelwireError


class FetchError(BabelwireError):
    """A URL could not be fetched.

    `retry_after` (seconds) is set when the server asked us to come back later (429/503 with
    Retry-After), so politeness code can leave the host alone until then.
    """

    def __init__(self, url: str, reason: str, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(reason, message, subject=url)
        self.url = url
        self.retry_after = retry_after
