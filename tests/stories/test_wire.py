from datetime import UTC, datetime, timedelta

import pytest

from babelwire.stories.terms import story_terms
from babelwire.stories.vectors import DocumentFrequencies
from babelwire.stories.wire import StoryArticle, StoryClusterer, same_story_score, story_similarity
from tests.stories.lookalike import background, reports
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


def test_copies_are_found_by_the_original_text_not_the_translation() -> None:
    clusterer = StoryClusterer()
    original = ("Puerto de Valencia", AGENCY)
    first = clusterer.place(StoryArticle("a", "Valencia port", "One engine's English.", T0, original))
    again = clusterer.place(StoryArticle("b", "Port of Valencia", "Another engine's words.", T0, original))
    assert again.copy_of == "a" and again.story_id == first.story_id


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


def test_memory_holds_the_windows_articles_not_the_whole_wire() -> None:
    clusterer = StoryClusterer()
    for day in range(40):
        for n, text in enumerate((QUAKE, ELECTION)):
            clusterer.place(
                StoryArticle(f"{day}-{n}", f"Day {day}", f"{text} Day {day}.", T0 + timedelta(days=day))
            )
    horizon = max(clusterer.stories.window, clusterer.duplicates.window).days
    assert len(clusterer.story_of) <= 2 * (horizon + 1) < 80
    assert clusterer.terms_of.keys() <= clusterer.story_of.keys() and "39-1" in clusterer.story_of
    assert "0-0" not in clusterer.story_of  # placed 39 days ago: only the store remembers it


def test_same_story_score_is_one_for_one_text_and_ranks_as_the_cosine() -> None:
    frequencies = DocumentFrequencies()
    for text in [*BACKGROUND, QUAKE, QUAKE_AGAIN]:
        frequencies.add(story_terms("", text))
    assert same_story_score(QUAKE, QUAKE, frequencies) == pytest.approx(1.0)
    same, different = (same_story_score(QUAKE, other, frequencies) for other in (QUAKE_AGAIN, ELECTION))
    assert 0.0 <= different < same < 1.0
    assert same > story_similarity(QUAKE, QUAKE_AGAIN, frequencies)  # spread up from near 0


def test_an_article_a_person_moved_stays_in_its_story_when_it_splits() -> None:
    clusterer = StoryClusterer()
    for article in background():
        clusterer.place(article)
    articles = reports()
    placed = {article.key: clusterer.place(article) for article in articles[:4]}
    story = placed["chile-0"].story_id
    clusterer.replay_move("chile-1", story, T0, by_person=True)  # the admin's move, as replayed
    rest = [clusterer.place(article) for article in articles[4:]]
    split = next(p.split for p in rest if p.split is not None)
    assert split.story_id == story and "chile-1" not in dict(split.moved)
    assert clusterer.story_of["chile-1"] == story and clusterer.pinned == {"chile-1"}
