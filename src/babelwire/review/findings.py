"""What the automated editor looks at and what it reports.

A check is a plain function `check_<name>(context: ReviewContext) -> list[Finding]`, one
per module in review/checks/. It sees every sentence pair of a translation (plain text
and HTML of both sides, aligned one to one by the translation core) and reports each
problem on the sentence it concerns, with a message a person understands.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    INFO = "info"  # worth knowing, never holds an article by itself
    WARNING = "warning"  # probably a flaw; holds only when the policy says so
    ERROR = "error"  # a careful editor would stop this
    CRITICAL = "critical"  # wrong meaning, lost numbers: must not be published

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {severity: rank for rank, severity in enumerate(Severity)}  # not a list scan per comparison


@dataclass(frozen=True)
class Finding:
    segment: int  # index of the sentence pair; -1 for the whole translation
    check: str
    severity: Severity
    message: str

    def to_json(self) -> dict[str, object]:
        return {
            "segment": self.segment,
            "check": self.check,
            "severity": str(self.severity),
            "message": self.message,
        }


@dataclass(frozen=True)
class SegmentPair:
    """One source sentence and its translation: `*_html` with inline markup, `source`/`target` as text."""

    index: int
    source: str
    target: str
    source_html: str = ""
    target_html: str = ""


BackTranslate = Callable[[Sequence[str]], list[str]]


@dataclass(frozen=True)
class ReviewContext:
    source_lang: str
    target_lang: str
    pairs: tuple[SegmentPair, ...]
    # Translates target sentences back into the source language, when the engine has the
    # reverse pair; None when it does not (the round-trip check then says nothing).
    back_translate: BackTranslate | None = None


Check = Callable[[ReviewContext], list[Finding]]
