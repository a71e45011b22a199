"""What a run did, and how the runner tells a person about it while it works."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from babelwire.store.counts import LanguageCounts, review_state, summary_line


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
    published: int = 0  # items shown in at least one language
    held: int = 0  # items stopped in every language by the automated editor (held or rejected)
    excluded: int = 0  # items an editorial filter rule stopped before translation (pipeline/screening.py)
    duplicates: int = 0  # copies of an earlier article, shown under it ("also published by")
    failures: list[Failure] = field(default_factory=list)
    # Per target language: an item published in English may be held in Catalan.
    languages: dict[str, LanguageCounts] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def count_reviews(self, targets: list[str], review_statuses: list[str]) -> None:
        """Count one settled item in each target language by its translation's review status."""
        for target, status in zip(targets, review_statuses, strict=True):
            self.languages[target] = self.languages.get(target, LanguageCounts()).add(review_state(status))

    def languages_line(self, targets: list[str]) -> str:
        """`en: 17 published, 0 held, 0 rejected; ca: …`, every target, zeros included."""
        return summary_line({target: self.languages.get(target, LanguageCounts()) for target in targets})


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
