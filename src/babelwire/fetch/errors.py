"""Fetch failures, each with a message a person can act on."""


class FetchError(Exception):
    """A URL could not be fetched; `reason` is a short machine-friendly class."""

    def __init__(self, url: str, reason: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.reason = reason
        self.message = message
