from datetime import UTC, datetime

from babelwire.stories.clusters import StoryIndex
from babelwire.stories.splits import SPLIT_BELOW, SPLIT_PART, SPLIT_SIZE, divide, split_off
from babelwire.stories.vectors import Vector
from babelwire.stories.wire import StoryArticle, StoryClusterer, final_stories
from tests.stories.lookalike import background, reports

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def one_story(vectors: dict[str, Vector]) -> StoryIndex:
    """Every vector in story 1 (a threshold of 0 joins anything), as the index keeps them."""
    index = StoryIndex(threshold=0.0)
    for key, vector in vectors.items():
        index.record(1, key, vector, T0)
    return index


def unit(*terms: str) -> Vector:
    return {term: 1 / len(terms) ** 0.5 for term in terms}


def two_events(size: int, *, shared: int = 1) -> dict[str, Vector]:
    """`size` articles of each of two events that share `shared` terms of the kind of event."""
    kind = [f"quake{n}" for n in range(shared)]
    return {
        f"{event}{n}": unit(*kind, f"@{event}", f"@{event}-town{n % 3}", f"{event}-word{n}")
        for n in range(size)
        for event in ("chile", "turkey")
    }


def test_two_events_divide_into_their_groups_with_a_low_similarity() -> None:
    index = one_story(two_events(6))
    division = divide(index.stories[1].members)
    assert division is not None and division.similarity < SPLIT_BELOW
    groups = {frozenset(division.kept), frozenset(division.leaving)}
    assert groups == {frozenset(f"chile{n}" for n in range(6)), frozenset(f"turkey{n}" for n in range(6))}


def test_the_larger_group_keeps_the_story() -> None:
    vectors = two_events(6)
    for n in range(6, 9):
        vectors[f"chile{n}"] = unit("quake0", "@chile", f"@chile-town{n % 3}")
    division = split_off(one_story(vectors).stories[1].members)
    assert division is not None and all(key.startswith("turkey") for key in division.leaving)
    assert len(division.kept) == 9 and "chile0" in division.kept


def test_one_event_stays_whole() -> None:
    same = {f"a{n}": unit("quake0", "@chile", "@valparaiso", f"word{n % 2}") for n in range(12)}
    assert split_off(one_story(same).stories[1].members) is None


def test_a_small_story_or_a_small_group_does_not_split() -> None:
    small = two_events(SPLIT_SIZE // 2 - 1)
    assert len(small) < SPLIT_SIZE and split_off(one_story(small).stories[1].members) is None
    vectors = {key: v for key, v in two_events(8).items() if key.startswith("chile")}
    vectors |= {f"turkey{n}": unit("@turkey", f"turkey-word{n}") for n in range(SPLIT_PART - 1)}
    assert split_off(one_story(vectors).stories[1].members) is None


def test_articles_a_person_put_in_the_story_never_leave_it() -> None:
    members = one_story(two_events(6)).stories[1].members
    pinned = frozenset({"turkey0", "turkey1"})
    division = split_off(members, pinned)
    assert division is not None and pinned <= set(division.kept) and not pinned & set(division.leaving)
    assert split_off(members, frozenset({"turkey0", "turkey1", "turkey2"})) is None  # 3 left: too few


def test_look_alike_events_that_joined_one_story_part_once_their_reports_tell_them_apart() -> None:
    clusterer = StoryClusterer()
    for article in background():
        clusterer.place(article)
    placements = [clusterer.place(article) for article in reports()]
    first, second = placements[0], placements[1]
    assert (first.key, second.key) == ("chile-0", "turkey-0") and second.story_id == first.story_id  # joined
    splits = [p.split for p in placements if p.split is not None]
    assert len(splits) == 1 and splits[0].story_id == first.story_id and splits[0].similarity < SPLIT_BELOW
    stories = final_stories(placements)
    chile = {stories[f"chile-{day}"] for day in range(1, 7)}
    turkey = {stories[f"turkey-{day}"] for day in range(1, 7)}
    assert len(chile) == len(turkey) == 1 and chile != turkey
    assert first.story_id in chile | turkey  # the story readers followed goes on with one event
    assert splits[0].new_story_id in chile | turkey


def test_a_copy_follows_its_original_out_of_a_story_that_splits() -> None:
    clusterer = StoryClusterer()
    for article in background():
        clusterer.place(article)
    articles = reports()
    placements = []
    for article in articles:
        placements.append(clusterer.place(article))
        if article.key == "chile-1":  # the same text under another URL, before the split
            placements.append(clusterer.place(StoryArticle("chile-1-copy", article.title, article.text)))
    copy = next(p for p in placements if p.key == "chile-1-copy")
    assert copy.copy_of == "chile-1"
    stories = final_stories(placements)
    assert stories["chile-1-copy"] == stories["chile-1"] == clusterer.story_of["chile-1-copy"]
    assert stories["chile-1"] != copy.story_id  # it moved: the copy went with it
