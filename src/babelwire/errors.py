"""The one base class of every failure babelwire records on a source or an item.

Each failure has a short machine-friendly `reason` (stored as the error class, e.g.
"http_500", "not_html", "empty_output") and a `message` a person can act on; runners
record both and go on with the other items.
"""

from __future__ import annotations


class BabelwireError(Exception):
    def __init__(self, reason: str, message: str, subject: str | None = None) -> None:
        super().__init__(f"{subject}: {message}" if subject else message)
        self.reason = reason
        self.message = message
        self.subject = subject
