"""Source failures, recorded on the source that caused them."""


class SourceError(Exception):
    def __init__(self, url: str, reason: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.reason = reason
        self.message = message
