from datetime import UTC, datetime, timedelta

from babelwire.stories.terms import story_terms
from babelwire.stories.vectors import DocumentFrequencies
from babelwire.stories.wire import StoryArticle, StoryClusterer, story_similarity
from tests.stories.test_clusters import BACKGROUND, ELECTION, QUAKE, QUAKE_AGAIN
from tests.stories.test_duplicates import AGENCY

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def test_a_copy_joins_its_originals_story_and_names_it() -> None:
    clusterer = StoryClusterer()
    first = clusterer.place(StoryArticle("a", "Valencia port reopens", AGENCY, T0))
    clusterer.place(StoryArticle("b", "Elections", ELECTION, T0))
    copy = clusterer.place(
        StoryArticle("c", "Valencia port reopens", AGENCY + " (AFP)", T0 + timedelta(hours=1))
    )
    assert copy.copy_of == "a" and copy.story_id == first.story_id


def test_articles_without_a_date_are_placed_at_the_latest_date_seen() -> None:
    clusterer = StoryClusterer()
    clusterer.place(StoryArticle("a", "Quake", QUAKE, T0))
    undated = clusterer.place(StoryArticle("b", "Quake", QUAKE_AGAIN))
    assert undated.story_id == clusterer.story_of["a"] and clusterer.clock == T0


def test_similarity_ranks_the_same_event_above_another() -> None:
    frequencies = DocumentFrequencies()
    for text in [*BACKGROUND, QUAKE, QUAKE_AGAIN]:
        frequencies.add(story_terms("", text))
    same = story_similarity(QUAKE, QUAKE_AGAIN, frequencies)
    different = story_similarity(QUAKE, ELECTION, frequencies)
    assert 0.0 <= different < same <= 1.0
