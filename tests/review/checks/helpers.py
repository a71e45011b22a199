"""Shared by the check tests: building review contexts, and the FLORES false-alarm measurement.

FLORES (../shared/data/flores-dev) holds human translations, so every finding of ERROR or above
on it is a false alarm. It is read in place and never copied into the repository.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from babelwire.review.findings import BackTranslate, Check, Finding, ReviewContext, SegmentPair, Severity

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
FLORES = SHARED / "data" / "flores-dev"
FLORES_FILES = {"en": "flores.eng", "es": "flores.spa", "ca": "flores.cat"}
# The directions every check is measured on.
FLORES_DIRECTIONS = [("es", "en"), ("ca", "en"), ("en", "es")]
ARTICLE = 10  # FLORES lines are grouped into pseudo-articles of this many sentences


def context(
    source_lang: str,
    target_lang: str,
    *pairs: tuple[str, str],
    back_translate: BackTranslate | None = None,
) -> ReviewContext:
    """A review context from (source, target) sentence pairs, indexed in order."""
    return ReviewContext(
        source_lang,
        target_lang,
        tuple(SegmentPair(i, source, target) for i, (source, target) in enumerate(pairs)),
        back_translate,
    )


def one(source_lang: str, target_lang: str, source: str, target: str) -> ReviewContext:
    return context(source_lang, target_lang, (source, target))


def at_least(findings: Sequence[Finding], severity: Severity) -> list[Finding]:
    """The findings of `severity` or worse."""
    return [f for f in findings if f.severity.rank >= severity.rank]


def serious(findings: Sequence[Finding]) -> list[Finding]:
    """What would count against a correct translation: WARNING or worse."""
    return at_least(findings, Severity.WARNING)


def flores(lang: str) -> list[str]:
    path = FLORES / FLORES_FILES[lang]
    if not path.is_file():
        pytest.skip(f"FLORES data not available at {FLORES}")
    return path.read_text(encoding="utf-8").splitlines()


def false_alarm_rate(
    check: Check,
    source_lang: str,
    target_lang: str,
    lines: range = range(500),
    back_translate: BackTranslate | None = None,
) -> float:
    """Share of FLORES pairs (human translations) with a finding of ERROR or worse."""
    sources, targets = flores(source_lang), flores(target_lang)
    flagged = 0
    indices = list(lines)
    for start in range(0, len(indices), ARTICLE):
        chunk = indices[start : start + ARTICLE]
        ctx = ReviewContext(
            source_lang,
            target_lang,
            tuple(SegmentPair(i, sources[i], targets[i]) for i in chunk),
            back_translate,
        )
        flagged += len({f.segment for f in at_least(check(ctx), Severity.ERROR)})
    return flagged / len(indices)
