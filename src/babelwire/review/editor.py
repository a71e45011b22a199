"""The automated editor: run the checks on a translation and decide publish, hold or reject."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from babelwire.domain import Translation
from babelwire.review.checks import CHECKS
from babelwire.review.findings import BackTranslate, Check, Finding, ReviewContext, SegmentPair, Severity
from babelwire.review.policy import ReviewPolicy
from babelwire.translate.inline import to_text

log = logging.getLogger("babelwire.review")

# How much one finding of each severity lowers a sentence's score (combined as independent risks).
PENALTY = {Severity.INFO: 0.02, Severity.WARNING: 0.15, Severity.ERROR: 0.5, Severity.CRITICAL: 0.9}


class Decision(StrEnum):
    PUBLISH = "publish"
    HOLD = "hold"
    REJECT = "reject"


@dataclass(frozen=True)
class Verdict:
    decision: Decision
    score: float  # 0..1, higher is better
    findings: tuple[Finding, ...]

    @property
    def reasons(self) -> list[str]:
        """The findings that decided, most severe first, as one line each."""
        ranked = sorted(self.findings, key=lambda f: -f.severity.rank)
        return [f"{f.check} ({f.severity}, sentence {f.segment}): {f.message}" for f in ranked
                if f.severity.rank >= Severity.WARNING.rank]  # fmt: skip

    def findings_json(self) -> str:
        return json.dumps([f.to_json() for f in self.findings], ensure_ascii=False)


def context_for(
    source_title: str, translation: Translation, back_translate: BackTranslate | None = None
) -> ReviewContext:
    """Sentence pairs of a translation: the title first, then every sentence of every block."""
    pairs = [SegmentPair(0, source_title, translation.title, source_title, translation.title)]
    for block in translation.blocks:
        for pair in block.sentences:
            index = len(pairs)
            pairs.append(SegmentPair(index, to_text(pair.source_html), to_text(pair.target_html),
                                     pair.source_html, pair.target_html))  # fmt: skip
    return ReviewContext(translation.source_lang, translation.target_lang, tuple(pairs), back_translate)


def run_checks(
    context: ReviewContext, policy: ReviewPolicy, checks: Mapping[str, Check] = CHECKS
) -> list[Finding]:
    findings: list[Finding] = []
    for name, check in checks.items():
        if name in policy.disabled_checks or (name == "roundtrip" and not policy.round_trip):
            continue
        try:
            found = check(context)
        except Exception:  # a broken check must not stop the wire; it is logged and skipped
            log.exception("review check %s failed", name)
            continue
        override = policy.severity.get(name)
        findings.extend(Finding(f.segment, f.check, override, f.message) if override else f for f in found)
    return findings


def decide(findings: Sequence[Finding], segments: int, policy: ReviewPolicy) -> Verdict:
    score = _score(findings, segments)
    worst = max((f.severity.rank for f in findings), default=-1)
    warnings = sum(1 for f in findings if f.severity == Severity.WARNING)
    if policy.reject_at is not None and worst >= policy.reject_at.rank:
        decision = Decision.REJECT
    elif worst >= policy.hold_at.rank or warnings > policy.max_warnings:
        decision = Decision.HOLD
    else:
        decision = Decision.PUBLISH
    return Verdict(decision, score, tuple(findings))


def review(context: ReviewContext, policy: ReviewPolicy | None = None) -> Verdict:
    policy = policy or ReviewPolicy()
    if not policy.enabled:
        return Verdict(Decision.PUBLISH, 1.0, ())
    return decide(run_checks(context, policy), len(context.pairs), policy)


def _score(findings: Sequence[Finding], segments: int) -> float:
    keep: dict[int, float] = {}
    for finding in findings:
        keep[finding.segment] = keep.get(finding.segment, 1.0) * (1 - PENALTY[finding.severity])
    whole = keep.pop(-1, 1.0)
    per_segment = [keep.get(i, 1.0) for i in range(max(segments, 1))]
    return round(whole * sum(per_segment) / len(per_segment), 4)
