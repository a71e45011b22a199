"""Every seed defect that a source/target pair can show is stopped; the correct translation passes."""

from __future__ import annotations

import pytest

from babelwire.review.editor import Decision, review
from babelwire.review.findings import ReviewContext, SegmentPair
from tests.review.seed_pairs import SEED_CASES, SeedCase


def verdict(case: SeedCase, target: str):  # type: ignore[no-untyped-def]
    pair = SegmentPair(0, case.source, target, case.source, target)
    return review(ReviewContext(case.source_lang, case.target_lang, (pair,)))


@pytest.mark.parametrize("case", SEED_CASES, ids=[c.defect for c in SEED_CASES])
def test_damaged_translation_is_stopped(case: SeedCase) -> None:
    result = verdict(case, case.damaged)
    assert result.decision != Decision.PUBLISH, result.findings
    assert result.reasons


@pytest.mark.parametrize("case", SEED_CASES, ids=[c.defect for c in SEED_CASES])
def test_correct_translation_passes(case: SeedCase) -> None:
    result = verdict(case, case.correct)
    assert result.decision == Decision.PUBLISH, result.reasons
    assert result.score > verdict(case, case.damaged).score
