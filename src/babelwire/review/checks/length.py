"""Omissions and additions, seen as a translation much shorter or longer than its source.

MT drops clauses ("acknowledged that United States to deter an invasion is quite limited")
and hallucinates extra ones; both change a sentence's length beyond what translation
between the two languages explains. How much is "beyond" is measured, not guessed: per
language pair, on aligned human translations (`babelwire.review.calibrate`, data in
`length_bands.json`), with a band that is wider for short sentences, where ratios are noisy.
A ratio outside the band is a WARNING (1 in 50 human translations lands there too); well
outside it (30 % wider) an ERROR. Small omissions (a few words of a long sentence) are
within normal variation and cannot be seen by length; the round-trip check covers those.

Structural cases need no ratio: a sentence whose translation is empty was dropped (ERROR),
unless its neighbour's translation holds both sentences (merged: WARNING, nothing is lost
but the bilingual view is misaligned).
"""

from __future__ import annotations

import json
import math
from functools import cache

from babelwire.review.calibrate import BANDS_FILE, EXPANSION, MIN_SOURCE_CHARS, Band, generic_spread
from babelwire.review.checks._words import has_text, lang_code
from babelwire.review.findings import Finding, ReviewContext, SegmentPair, Severity

CHECK = "length"
# An ERROR needs the ratio this far outside the centre, relative to the calibrated band.
ERROR_WIDENING = 1.3


@cache
def _bands() -> tuple[dict[str, Band], Band, dict[str, float]]:
    """The calibrated bands, the generic spread and the expansion factors (built-ins if unreadable)."""
    try:
        data = json.loads(BANDS_FILE.read_text(encoding="utf-8"))
        pairs = {pair: Band(**fields) for pair, fields in data["pairs"].items()}
        return pairs, Band(**data["generic"]), {**EXPANSION, **data["expansion"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}, generic_spread({}), dict(EXPANSION)


def band_for(source_lang: str, target_lang: str) -> Band:
    """The calibrated band of the pair, else the generic spread centred on the expansion factors.

    Generic centre: ln(f[target] / f[source]) with f the characters per character of English
    (1.0 for a language we know nothing about, as for a pair within one language).
    """
    src, tgt = lang_code(source_lang), lang_code(target_lang)
    pairs, generic, expansion = _bands()
    if f"{src}-{tgt}" in pairs:
        return pairs[f"{src}-{tgt}"]
    mu = 0.0 if src == tgt else math.log(expansion.get(tgt, 1.0) / expansion.get(src, 1.0))
    return Band(mu, generic.var_const, generic.var_per_char, generic.z_low, generic.z_high)


def check_length(context: ReviewContext) -> list[Finding]:
    """Sentences dropped, merged into a neighbour, or far shorter/longer than their source."""
    band = band_for(context.source_lang, context.target_lang)
    pairs = context.pairs
    merged_into: dict[int, int] = {}  # position of an empty target -> position of the neighbour holding it
    for i, pair in enumerate(pairs):
        if has_text(pair.source) and not has_text(pair.target):
            neighbour = _merged_neighbour(pairs, i, band)
            if neighbour is not None:
                merged_into[i] = neighbour
    findings = [
        _structural(pair, pairs[merged_into[i]].index if i in merged_into else None)
        for i, pair in enumerate(pairs)
    ]
    holders = set(merged_into.values())
    for i, pair in enumerate(pairs):
        if i not in holders and has_text(pair.source) and has_text(pair.target):
            findings.append(_ratio(pair, band, context.source_lang, context.target_lang))
    return [finding for finding in findings if finding is not None]


def _structural(pair: SegmentPair, neighbour: int | None) -> Finding | None:
    """Empty translation of a real sentence, or text where the source has none."""
    source, target = has_text(pair.source), has_text(pair.target)
    if source and not target:
        if neighbour is not None:
            return Finding(
                pair.index,
                CHECK,
                Severity.WARNING,
                f"The translation of this sentence is empty, but the translation of sentence {neighbour} "
                "seems to hold it too: the two were merged, so the side-by-side view is misaligned.",
            )
        return Finding(
            pair.index,
            CHECK,
            Severity.ERROR,
            "The sentence was dropped: the source has text but its translation is empty.",
        )
    if target and not source:
        return Finding(
            pair.index,
            CHECK,
            Severity.ERROR,
            f"The translation has text where the source has none ({pair.target.strip()[:60]!r}): "
            "something was added.",
        )
    return None


def _merged_neighbour(pairs: tuple[SegmentPair, ...], i: int, band: Band) -> int | None:
    """The position of a neighbour whose translation fits both its own source and pair i's better.

    Only a neighbour whose target is longer than its own source alone allows is a candidate.
    """
    source = len(pairs[i].source.strip())
    for j in (i - 1, i + 1):
        if not 0 <= j < len(pairs) or not has_text(pairs[j].target):
            continue
        own, target = len(pairs[j].source.strip()), len(pairs[j].target.strip())
        combined = own + 1 + source
        alone = _z(band, max(own, 1), target)
        together = _z(band, combined, target)
        low, high = band.bounds(combined, ERROR_WIDENING)
        if alone > band.z_high and abs(together) < abs(alone) and low <= target / combined <= high:
            return j
    return None


def _z(band: Band, source_chars: int, target_chars: int) -> float:
    """How many standard deviations the pair's log ratio lies from the pair's centre."""
    return (math.log(max(target_chars, 1) / source_chars) - band.mu) / band.sigma(source_chars)


def _ratio(pair: SegmentPair, band: Band, source_lang: str, target_lang: str) -> Finding | None:
    """Target/source character ratio against the pair's band at this sentence's length.

    Sources shorter than MIN_SOURCE_CHARS are judged only for additions, as if they had that
    length: "Sí." -> "Yes." says nothing, "AP." -> three sentences does.
    """
    source, target = len(pair.source.strip()), len(pair.target.strip())
    short = source < MIN_SOURCE_CHARS
    judged = max(source, MIN_SOURCE_CHARS)
    ratio = target / judged
    low, high = band.bounds(judged)
    if low <= ratio <= high or (short and ratio < low):
        return None
    error_low, error_high = band.bounds(judged, ERROR_WIDENING)
    severe = ratio < error_low or ratio > error_high
    expected = f"at most {round(high * judged)}" if short else f"{round(low * source)}–{round(high * source)}"
    pair_name = f"{lang_code(source_lang)}→{lang_code(target_lang)}"
    if ratio < low:
        what = "much shorter than its source: part of the sentence may have been left out"
    else:
        what = "much longer than its source: something may have been added or repeated"
    return Finding(
        pair.index,
        CHECK,
        Severity.ERROR if severe else Severity.WARNING,
        f"The translation is {what} ({target} characters for {source}; "
        f"a {pair_name} translation of this length usually has {expected}).",
    )
