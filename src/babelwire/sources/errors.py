"""Source failures, recorded on the source that caused them."""

from __future__ import annotations

from babelwire.errors import BabelwireError


class SourceError(BabelwireError):
    """A source (feed, OPML list) could not be read."""

    def __init__(self, url: str, reason: str, message: str) -> None:
        super().__init__(reason, message, subject=url)
        self.url = url
