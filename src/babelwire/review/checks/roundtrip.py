"""Round trip: translate the translation back and see whether the source comes out again.

The one check that compares meaning rather than surface features, when the engine also has
the reverse pair. Back-translations are never identical to the source, and how close they
come depends on the engine and the text, so a sentence is judged against its own article:
chrF (character n-gram F-score, sacrebleu) far below the article's median marks a sentence
the engine translated into something else (a hallucination, the wrong sentence, garbage).

Thresholds, measured with Apertium round trips of FLORES human translations (es->en->es,
ca->en->ca, en->es->en, articles of 10 sentences): WARNING below chrF 25 or 60 % of the
article median (~2-3 % of correct sentences; ~90 % of wrong-sentence translations); ERROR
below chrF 20 and half the median, or below 10 (<= 0.4 % of correct; ~50 % of wrong ones).
"""

from __future__ import annotations

import statistics
from functools import cache

from sacrebleu.metrics.chrf import CHRF

from babelwire.review.checks._words import has_text, lang_code
from babelwire.review.findings import Finding, ReviewContext, SegmentPair, Severity

CHECK = "roundtrip"
MIN_SOURCE_CHARS = 20  # chrF of shorter sentences is noise
MIN_FOR_MEDIAN = 5  # fewer judged sentences than this: compare with a typical median instead
TYPICAL_MEDIAN = 45.0  # Apertium round trips of FLORES: medians 43-52
WARNING_FLOOR, WARNING_SHARE = 25.0, 0.6
ERROR_FLOOR, ERROR_SHARE = 20.0, 0.5
HOPELESS = 10.0


@cache
def _chrf() -> CHRF:
    return CHRF()


def check_roundtrip(context: ReviewContext) -> list[Finding]:
    """Sentences whose back-translation is far from their source (relative to the article)."""
    if context.back_translate is None:
        return []
    judged = [p for p in context.pairs if len(p.source.strip()) >= MIN_SOURCE_CHARS and has_text(p.target)]
    if not judged:
        return []
    try:
        back = context.back_translate([p.target for p in judged])
    except Exception as exc:  # any engine failure: the other checks still speak
        return [_skipped(f"back-translation failed ({type(exc).__name__}: {exc})")]
    if not isinstance(back, list) or len(back) != len(judged):
        got = len(back) if isinstance(back, list) else type(back).__name__
        return [_skipped(f"back-translation returned {got} sentences for {len(judged)}")]
    scores = [_chrf().sentence_score(str(b), [p.source]).score for b, p in zip(back, judged, strict=True)]
    median = statistics.median(scores) if len(scores) >= MIN_FOR_MEDIAN else TYPICAL_MEDIAN
    src = lang_code(context.source_lang)
    findings = []
    for pair, text, score in zip(judged, back, scores, strict=True):
        finding = _judge(pair, str(text), score, median, src)
        if finding is not None:
            findings.append(finding)
    return findings


def _skipped(why: str) -> Finding:
    return Finding(-1, CHECK, Severity.INFO, f"The round-trip check could not run: {why}.")


def _judge(pair: SegmentPair, back: str, score: float, median: float, src: str) -> Finding | None:
    shown = back.strip()[:120]
    if score < HOPELESS or (score < ERROR_FLOOR and score < ERROR_SHARE * median):
        return Finding(
            pair.index,
            CHECK,
            Severity.ERROR,
            f"Translated back into {src or 'the source language'}, this sentence has almost nothing in "
            f"common with its source (chrF {score:.0f}; the article's median is {median:.0f}): it may "
            f"translate a different sentence or be garbled. Back-translation: {shown!r}.",
        )
    if score < WARNING_FLOOR or score < WARNING_SHARE * median:
        return Finding(
            pair.index,
            CHECK,
            Severity.WARNING,
            f"Translated back, this sentence differs much more from its source than the rest of the "
            f"article does (chrF {score:.0f} against a median of {median:.0f}); check its meaning. "
            f"Back-translation: {shown!r}.",
        )
    return None
