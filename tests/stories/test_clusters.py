from datetime import UTC, datetime, timedelta

from babelwire.stories.clusters import StoryIndex
from babelwire.stories.terms import story_terms
from babelwire.stories.vectors import DocumentFrequencies, weigh

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
QUAKE = "An earthquake of magnitude 7.1 struck northern Chile near Antofagasta, killing 12 people."
QUAKE_AGAIN = "Rescuers in Antofagasta search rubble after the magnitude 7.1 Chile earthquake killed 12."
OTHER_QUAKE = "A magnitude 5.2 earthquake shook Izmir in Turkey; no deaths were reported by officials."
ELECTION = "Voters in Portugal elected a new parliament as the Socialists of Lisbon lost their majority."
BACKGROUND = [
    ELECTION,
    OTHER_QUAKE,
    "Markets in Tokyo fell as the yen rose.",
    "Paris hosts a summit on climate.",
]


def vectors(texts: list[str]) -> list[dict[str, float]]:
    frequencies = DocumentFrequencies()
    counted = [story_terms("", t) for t in BACKGROUND + texts]
    for terms in counted:
        frequencies.add(terms)
    return [weigh(terms, frequencies) for terms in counted[len(BACKGROUND) :]]


def test_the_same_event_joins_one_story_and_a_look_alike_event_starts_another() -> None:
    index = StoryIndex()
    quake, again, other, election = vectors([QUAKE, QUAKE_AGAIN, OTHER_QUAKE, ELECTION])
    first = index.assign("quake", quake, T0)
    assert first.new and first.story_id == 1
    joined = index.assign("again", again, T0 + timedelta(hours=1))
    assert (joined.story_id, joined.new) == (1, False) and joined.score >= index.threshold
    assert index.assign("other", other, T0 + timedelta(hours=2)).story_id == 2
    assert index.assign("election", election, T0 + timedelta(hours=3)).story_id == 3
    assert index.stories[1].size == 2 and list(index.stories[1].members) == ["quake", "again"]


def test_story_ids_are_stable_as_articles_arrive() -> None:
    index = StoryIndex()
    quake, again, other = vectors([QUAKE, QUAKE_AGAIN, OTHER_QUAKE])
    ids = [index.assign(f"a{n}", v, T0).story_id for n, v in enumerate((quake, other, again, quake))]
    assert ids == [1, 2, 1, 1]


def test_a_story_past_the_window_is_not_joined_and_leaves_the_index() -> None:
    index = StoryIndex(window=timedelta(days=3))
    quake, again = vectors([QUAKE, QUAKE_AGAIN])
    index.assign("quake", quake, T0)
    late = index.assign("again", again, T0 + timedelta(days=4))
    assert late.new and late.story_id == 2
    assert set(index.stories) == {2}
    assert all(1 not in ids for ids in index.postings.values())


def test_an_article_that_shares_no_term_starts_a_story_without_scoring_any() -> None:
    index = StoryIndex()
    index.assign("chile", {"@chile": 1.0}, T0)
    assignment = index.assign("lisbon", {"@lisbon": 1.0}, T0)
    assert assignment.new and assignment.score == 0.0
