"""The editor repairs a flagged sentence before it withholds it, and withholds before it holds."""

from __future__ import annotations

from babelwire.domain import BlockKind, SentencePair, TranslatedBlock, Translation
from babelwire.review.editor import Decision
from babelwire.review.policy import ReviewPolicy
from babelwire.review.repair import review_and_repair

SOURCES = [
    "El consejo aprobó el presupuesto del puerto.",
    "La obra costará 175.000 euros y empezará el 10 de abril.",
    "La alcaldesa presentó el plan a los vecinos.",
    "Los vecinos pidieron más información sobre las obras.",
    "El pleno votará el proyecto la próxima semana.",
]
GOOD = [
    "The council approved the port budget.",
    "The work will cost 175,000 euros and will start on 10 April.",
    "The mayor presented the plan to the residents.",
    "The residents asked for more information about the works.",
    "The plenary will vote on the project next week.",
]
DAMAGED = "The work will cost euros and will start on 0 April."


def translation(targets: list[str], title: str = "The port budget") -> Translation:
    pairs = tuple(SentencePair(s, t) for s, t in zip(SOURCES, targets, strict=True))
    block = TranslatedBlock(BlockKind.PARAGRAPH, " ".join(targets), " ".join(SOURCES), pairs)
    return Translation("doc", "es", "en", "apertium", "test 1", title, (block,))


def offering(*answers: tuple[str, str]):  # type: ignore[no-untyped-def]
    asked: list[str] = []

    def retranslate(source_html: str) -> list[tuple[str, str]]:
        asked.append(source_html)
        return list(answers)

    return retranslate, asked


def test_a_good_retranslation_replaces_the_flagged_sentence() -> None:
    damaged = translation([GOOD[0], DAMAGED, *GOOD[2:]])
    retranslate, asked = offering(("apertium es->ca then apertium ca->en", GOOD[1]))
    reviewed = review_and_repair("El presupuesto del puerto", damaged, ReviewPolicy(), retranslate)
    assert reviewed.verdict.decision == Decision.PUBLISH
    assert asked == [SOURCES[1]]
    assert reviewed.translation.blocks[0].sentences[1].target_html == GOOD[1]
    assert (
        GOOD[1] in reviewed.translation.blocks[0].html and DAMAGED not in reviewed.translation.blocks[0].html
    )
    [repair] = reviewed.translation.repairs
    assert (repair.segment, repair.kept, repair.first_html) == (
        2,
        "apertium es->ca then apertium ca->en",
        DAMAGED,
    )
    assert repair.first_findings and repair.attempts[0].findings == ()


def test_a_sentence_no_try_fixes_is_shown_in_the_original_and_marked() -> None:
    damaged = translation([GOOD[0], DAMAGED, *GOOD[2:]])
    retranslate, _ = offering(("unprotected", "The work will cost euros and will start on 1 April."))
    reviewed = review_and_repair("El presupuesto del puerto", damaged, ReviewPolicy(), retranslate)
    assert reviewed.verdict.decision == Decision.PUBLISH
    withheld = reviewed.translation.blocks[0].sentences[1]
    assert withheld.target_html == SOURCES[1] and "numbers" in withheld.withheld
    assert reviewed.translation.withheld_sentences == 1
    [repair] = reviewed.translation.repairs
    assert repair.kept == "original" and len(repair.attempts) == 1 and repair.attempts[0].findings
    # the findings stay on record for the bilingual view
    assert any(f.segment == 2 for f in reviewed.verdict.findings)


def test_the_hold_policy_holds_what_repair_could_not_fix() -> None:
    damaged = translation([GOOD[0], DAMAGED, *GOOD[2:]])
    retranslate, _ = offering()
    policy = ReviewPolicy(withheld_sentences="hold")
    reviewed = review_and_repair("El presupuesto del puerto", damaged, policy, retranslate)
    assert reviewed.verdict.decision != Decision.PUBLISH
    assert reviewed.translation.withheld_sentences == 0


def test_too_many_flagged_sentences_hold_the_article() -> None:
    damaged = translation([DAMAGED, DAMAGED, *GOOD[2:]])
    reviewed = review_and_repair("El presupuesto del puerto", damaged, ReviewPolicy(max_withheld=0.25), None)
    assert reviewed.verdict.decision != Decision.PUBLISH
    assert reviewed.translation.withheld_sentences == 0


def test_a_flagged_title_holds_the_article_when_no_try_fixes_it() -> None:
    damaged = translation(GOOD, title="The 0 budget")
    retranslate, asked = offering(("pivot", "The 1 budget"))
    reviewed = review_and_repair("El presupuesto de 2026", damaged, ReviewPolicy(), retranslate)
    assert asked == ["El presupuesto de 2026"]
    assert reviewed.verdict.decision != Decision.PUBLISH
    assert reviewed.translation.repairs[0].segment == 0 and reviewed.translation.repairs[0].kept == "first"


def test_a_clean_translation_is_not_touched() -> None:
    clean = translation(GOOD)
    retranslate, asked = offering(("pivot", "anything"))
    reviewed = review_and_repair("El presupuesto del puerto", clean, ReviewPolicy(), retranslate)
    assert reviewed.verdict.decision == Decision.PUBLISH and reviewed.translation == clean and asked == []
