"""The verdict policy and the score, with checks of our own making."""

from __future__ import annotations

from babelwire.domain import BlockKind, SentencePair, TranslatedBlock, Translation
from babelwire.review.editor import Decision, context_for, decide, review, run_checks
from babelwire.review.findings import Finding, ReviewContext, SegmentPair, Severity
from babelwire.review.policy import ReviewPolicy


def finding(severity: Severity, segment: int = 0, check: str = "numbers") -> Finding:
    return Finding(segment, check, severity, f"a {severity} problem")


def test_decisions_follow_the_policy() -> None:
    policy = ReviewPolicy()
    assert decide([], 3, policy).decision == Decision.PUBLISH
    assert decide([finding(Severity.WARNING)], 3, policy).decision == Decision.PUBLISH
    assert decide([finding(Severity.ERROR)], 3, policy).decision == Decision.HOLD
    assert decide([finding(Severity.CRITICAL)], 3, policy).decision == Decision.REJECT
    assert decide([finding(Severity.WARNING, i) for i in range(5)], 9, policy).decision == Decision.HOLD
    lenient = ReviewPolicy(hold_at=Severity.CRITICAL, reject_at=None)
    assert decide([finding(Severity.ERROR)], 3, lenient).decision == Decision.PUBLISH
    assert decide([finding(Severity.CRITICAL)], 3, lenient).decision == Decision.HOLD


def test_score_falls_with_severity_and_spread() -> None:
    policy = ReviewPolicy()
    scores = [decide(found, 4, policy).score for found in (
        [], [finding(Severity.INFO)], [finding(Severity.WARNING)], [finding(Severity.ERROR)],
        [finding(Severity.ERROR, 0), finding(Severity.ERROR, 1)], [finding(Severity.CRITICAL, -1)],
    )]  # fmt: skip
    assert scores[0] == 1.0
    assert scores == sorted(scores, reverse=True)
    assert 0.0 <= scores[-1] < 0.2


def test_reasons_name_check_severity_and_sentence() -> None:
    verdict = decide(
        [finding(Severity.WARNING, 2, "quotes"), finding(Severity.CRITICAL, 1)], 3, ReviewPolicy()
    )
    assert verdict.reasons[0] == "numbers (critical, sentence 1): a critical problem"
    assert verdict.reasons[1].startswith("quotes (warning, sentence 2)")


def test_disabled_checks_overrides_and_broken_checks() -> None:
    def always_error(context: ReviewContext) -> list[Finding]:
        return [Finding(0, "always", Severity.ERROR, "x")]

    def broken(context: ReviewContext) -> list[Finding]:
        raise RuntimeError("bug in a check")

    context = ReviewContext("es", "en", (SegmentPair(0, "Hola.", "Hello."),))
    checks = {"always": always_error, "broken": broken}
    assert [f.severity for f in run_checks(context, ReviewPolicy(), checks)] == [Severity.ERROR]
    assert run_checks(context, ReviewPolicy(disabled_checks=["always"]), checks) == []
    softened = run_checks(context, ReviewPolicy(severity={"always": Severity.INFO}), checks)
    assert [f.severity for f in softened] == [Severity.INFO]


def test_context_pairs_title_then_sentences() -> None:
    sentences = (SentencePair("Uno.", "One."), SentencePair("<em>Dos</em>.", "<em>Two</em>."))
    block = TranslatedBlock(BlockKind.PARAGRAPH, "One. <em>Two</em>.", "Uno. <em>Dos</em>.", sentences)
    translation = Translation(
        document_key="k", source_lang="es", target_lang="en", engine="apertium", model_version="v",
        title="The port", blocks=(block,),
    )  # fmt: skip
    context = context_for("El puerto", translation)
    assert [(p.index, p.source, p.target) for p in context.pairs] == [
        (0, "El puerto", "The port"), (1, "Uno.", "One."), (2, "Dos.", "Two."),
    ]  # fmt: skip
    assert context.pairs[2].target_html == "<em>Two</em>."


def test_disabled_review_publishes_everything() -> None:
    context = ReviewContext("en", "es", (SegmentPair(0, "It costs 175,000 euros.", "Cuesta."),))
    assert review(context, ReviewPolicy(enabled=False)).decision == Decision.PUBLISH
    assert review(context, ReviewPolicy()).decision != Decision.PUBLISH
