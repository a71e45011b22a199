"""The editor repairs before it withholds.

A sentence the checks flag (a finding at the policy's hold level) is first translated again:
each other route the router knows (the next engine, the pivot), the same route with nothing
protected, the sentence split at a clause. Each try is checked on its own; the one with the
fewest hold-level findings (then warnings) is kept if it beats the first translation. Then
the whole translation is reviewed again, and what is still flagged decides, per policy:
`withheld_sentences = "original"` shows those sentences in the original language, marked
with what the editor found, unless they are the title, too many, or the finding is about
the whole translation; `"hold"` holds the article. Every try is recorded on the translation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from html import escape

from babelwire.domain import Repair, RepairAttempt, SentencePair, TranslatedBlock, Translation
from babelwire.review.editor import Verdict, context_for, decide, run_checks
from babelwire.review.findings import BackTranslate, Finding, ReviewContext, SegmentPair, Severity
from babelwire.review.policy import ReviewPolicy
from babelwire.translate.inline import to_text

# source sentence (inline HTML) -> other translations of it, each with how it was made
Retranslate = Callable[[str], list[tuple[str, str]]]


@dataclass(frozen=True)
class Reviewed:
    """The verdict, and the translation as it will be published (repaired, sentences withheld)."""

    verdict: Verdict
    translation: Translation


def review_and_repair(
    source_title: str,
    translation: Translation,
    policy: ReviewPolicy,
    retranslate: Retranslate | None = None,
    back_translate: BackTranslate | None = None,
) -> Reviewed:
    context = context_for(source_title, translation, back_translate)
    findings = run_checks(context, policy)
    verdict = decide(findings, len(context.pairs), policy)
    if verdict.decision == "publish":
        return Reviewed(verdict, translation)
    repairs: dict[int, Repair] = {}
    if policy.repair and retranslate is not None:
        for segment in _flagged(findings, policy):
            repairs[segment] = _repair(context, segment, findings, policy, retranslate)
        kept = {s: _kept_html(r) for s, r in repairs.items() if r.kept != "first"}
        if kept:
            translation = _with_sentences(translation, kept, {})
            context = context_for(source_title, translation, back_translate)
            findings = run_checks(context, policy)
            verdict = decide(findings, len(context.pairs), policy)
    if verdict.decision != "publish" and policy.withheld_sentences == "original":
        withheld = _withholdable(findings, len(context.pairs), policy)
        if withheld:
            translation = _with_sentences(translation, {}, withheld)
            for segment, reason in withheld.items():
                pair = context.pairs[segment]
                earlier = repairs.get(segment)
                repairs[segment] = replace(earlier, kept="original") if earlier else Repair(
                    segment, pair.source_html, pair.target_html, (reason,), (), "original"
                )  # fmt: skip
            shown = decide([f for f in findings if f.segment not in withheld], len(context.pairs), policy)
            verdict = Verdict(shown.decision, verdict.score, tuple(findings))
    translation = replace(translation, repairs=tuple(repairs[s] for s in sorted(repairs)))
    return Reviewed(verdict, translation)


def _flagged(findings: Sequence[Finding], policy: ReviewPolicy) -> list[int]:
    return sorted({f.segment for f in findings if f.segment >= 0 and _holds(f, policy)})


def _holds(finding: Finding, policy: ReviewPolicy) -> bool:
    return finding.severity.rank >= policy.hold_at.rank


def _lines(findings: Sequence[Finding]) -> tuple[str, ...]:
    return tuple(f"{f.check} ({f.severity}): {f.message}" for f in findings
                 if f.severity.rank >= Severity.WARNING.rank)  # fmt: skip


def _repair(
    context: ReviewContext,
    segment: int,
    findings: Sequence[Finding],
    policy: ReviewPolicy,
    retranslate: Retranslate,
) -> Repair:
    pair = context.pairs[segment]
    best_cost = _cost(_alone(context, pair, pair.target_html, policy), policy)
    kept, attempts, seen = "first", [], {pair.target_html}
    source_html = pair.source_html if segment else escape(pair.source, quote=False)
    for how, html in retranslate(source_html):
        if html in seen or not to_text(html).strip():
            continue
        seen.add(html)
        found = _alone(context, pair, html, policy)
        attempts.append(RepairAttempt(how, html, _lines(found)))
        cost = _cost(found, policy)
        if cost < best_cost:
            best_cost, kept = cost, how
        if cost == (0, 0):
            break
    first = _lines([f for f in findings if f.segment == segment])
    return Repair(segment, pair.source_html, pair.target_html, first, tuple(attempts), kept)


def _alone(
    context: ReviewContext, pair: SegmentPair, target_html: str, policy: ReviewPolicy
) -> list[Finding]:
    """The checks on one sentence pair by itself: how a try is compared with the first translation."""
    text = " ".join(to_text(target_html).split()) if pair.index else to_text(target_html)
    single = SegmentPair(pair.index, pair.source, text, pair.source_html, target_html)
    return run_checks(ReviewContext(context.source_lang, context.target_lang, (single,)), policy)


def _cost(findings: Sequence[Finding], policy: ReviewPolicy) -> tuple[int, int]:
    holding = sum(1 for f in findings if _holds(f, policy))
    return holding, sum(1 for f in findings if f.severity == Severity.WARNING)


def _kept_html(repair: Repair) -> str:
    return next(a.target_html for a in repair.attempts if a.how == repair.kept)


def _withholdable(findings: Sequence[Finding], segments: int, policy: ReviewPolicy) -> dict[int, str]:
    """Sentences to show in the original, with why; empty when the article must be held instead."""
    flagged = _flagged(findings, policy)
    whole = [f for f in findings if f.segment < 0 and _holds(f, policy)]
    if not flagged or 0 in flagged or whole or len(flagged) > policy.max_withheld * max(segments - 1, 1):
        return {}
    return {
        s: "; ".join(_lines([f for f in findings if f.segment == s and _holds(f, policy)])) for s in flagged
    }


def _with_sentences(
    translation: Translation, targets: dict[int, str], withheld: dict[int, str]
) -> Translation:
    """The translation with sentences replaced (segment -> new target HTML) or withheld (-> reason)."""
    title = " ".join(to_text(targets[0]).split()) if 0 in targets else translation.title
    blocks, segment = [], 0
    for block in translation.blocks:
        pairs = []
        for pair in block.sentences:
            segment += 1
            if segment in withheld:
                pairs.append(SentencePair(pair.source_html, pair.source_html, withheld[segment]))
            elif segment in targets:
                pairs.append(SentencePair(pair.source_html, targets[segment]))
            else:
                pairs.append(pair)
        blocks.append(_reassembled(block, tuple(pairs)))
    return replace(translation, title=title, blocks=tuple(blocks))


def _reassembled(block: TranslatedBlock, pairs: tuple[SentencePair, ...]) -> TranslatedBlock:
    """The block's HTML with each changed sentence swapped in place (the gaps between them kept)."""
    if pairs == block.sentences:
        return block
    html, cursor, parts = block.html, 0, list[str]()
    for old, new in zip(block.sentences, pairs, strict=True):
        found = html.find(old.target_html, cursor) if old.target_html else -1
        if found < 0:  # cannot place it: rebuild from the sentences alone
            return replace(block, html=" ".join(p.target_html for p in pairs), sentences=pairs)
        parts.extend((html[cursor:found], new.target_html))
        cursor = found + len(old.target_html)
    parts.append(html[cursor:])
    return replace(block, html="".join(parts), sentences=pairs)
