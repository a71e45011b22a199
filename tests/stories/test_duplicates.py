from datetime import UTC, datetime, timedelta

from babelwire.stories.duplicates import DuplicateIndex

T0 = datetime(2026, 3, 1, tzinfo=UTC)
AGENCY = " ".join(
    f"Sentence {i} of the agency report says the port of Valencia reopened after the storm damaged cranes."
    for i in range(30)
)


def test_a_syndicated_copy_with_small_edits_is_found() -> None:
    index = DuplicateIndex()
    assert index.add("agency", AGENCY, T0) is None
    edited = AGENCY.replace("Sentence 3 ", "Line three ") + " Reporting by our staff."
    assert index.add("newspaper", edited, T0 + timedelta(hours=2)) == "agency"


def test_a_different_article_is_not_a_copy_and_readding_a_key_is_not_its_own_copy() -> None:
    index = DuplicateIndex()
    index.add("agency", AGENCY, T0)
    other = AGENCY.replace("Valencia", "Bilbao").replace("storm", "strike").replace("cranes", "ships")
    assert index.add("other", other, T0) is None
    assert index.add("agency", AGENCY, T0) is None  # an article is never its own copy


def test_copies_are_looked_for_within_the_window_only() -> None:
    index = DuplicateIndex(window=timedelta(days=7))
    index.add("agency", AGENCY, T0)
    assert index.add("late", AGENCY, T0 + timedelta(days=8)) is None
    assert "agency" not in index.signatures
