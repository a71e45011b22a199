"""What a run did, and how the runner tells a person about it while it works."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Failure:
    subject: str  # the source or item URL the failure is recorded on
    stage: str
    reason: str
    message: str


@dataclass
class RunReport:
    sources_polled: int = 0
    sources_not_modified: int = 0
    items_found: int = 0
    published: int = 0
    held: int = 0  # stopped by the automated editor (held or rejected)
    failures: list[Failure] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)


class Reporter(Protocol):
    """Progress callbacks; the CLI draws rich progress bars, tests and workers pass NullReporter."""

    def begin(self, stage: str, total: int) -> None: ...

    def advance(self, stage: str, amount: int = 1) -> None: ...

    def note(self, message: str) -> None: ...


class NullReporter:
    def begin(self, stage: str, total: int) -> None:
        return None

    def advance(self, stage: str, amount: int = 1) -> None:
        return None

    def note(self, message: str) -> None:
        return None
