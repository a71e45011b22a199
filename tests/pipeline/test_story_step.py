"""The stories step on both backends: copies, story members, replay across processes, the lock."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from babelwire.config import Settings
from babelwire.domain import (
    Block,
    BlockKind,
    Document,
    FeedItem,
    SentencePair,
    Source,
    TranslatedBlock,
    Translation,
)
from babelwire.pipeline import story_step
from babelwire.pipeline.steps import item_state
from babelwire.store import queries
from babelwire.store.db import Store
from babelwire.store.models import ItemRow, ItemStatus, StoryEventRow, StoryRow
from babelwire.store.story_moves import Moved, lock_stories, move_item
from tests.stories import lookalike

T0 = datetime(2026, 11, 20, 8, tzinfo=UTC)

QUAKE = (
    "A magnitude 7.1 earthquake struck off the coast of Valparaiso in Chile on Tuesday, the national "
    "seismology centre said. Buildings swayed in Santiago and the navy issued a tsunami warning for the "
    "central coast. Interior minister Carolina Toha said two people had died and 40 were injured.",
    "Rescue teams from Valparaiso searched collapsed houses in the hills above the port through the night. "
    "The seismology centre recorded more than 30 aftershocks, the strongest of magnitude 5.4.",
)
QUAKE_AGAIN = (
    "Chile counted the damage on Wednesday after the magnitude 7.1 earthquake near Valparaiso killed two "
    "people. Minister Carolina Toha visited the port, where the navy lifted its tsunami warning.",
    "Schools in Valparaiso stay closed while engineers inspect them; 30 aftershocks shook the coast.",
)
FINAL = (
    "Bayern Munich beat Borussia Dortmund 3-1 in the German cup final in Berlin on Saturday. Harry Kane "
    "scored twice in the second half and Jamal Musiala added a third for coach Vincent Kompany.",
    "Dortmund had led through Karim Adeyemi after twelve minutes at the Olympiastadion before 74,000 fans.",
)


Original = tuple[str, str, tuple[str, ...]]  # language, title, paragraphs of a source document


def add_translated(
    store: Store,
    n: int,
    title: str,
    paragraphs: tuple[str, ...],
    minutes: int = 0,
    original: Original | None = None,
) -> int:
    """An item, extracted and translated into English, as the stage finds it: an English one's
    'translation' is the original; `original` makes it a translation of that document."""
    language, source_title, source_paragraphs = original or ("en", title, paragraphs)
    document = Document(
        url=f"https://news.example/{n}",
        title=source_title,
        blocks=tuple(Block(BlockKind.PARAGRAPH, p, p) for p in source_paragraphs),
        language=language,
        published=T0 + timedelta(minutes=minutes),
    )
    translation = Translation(
        document_key=document.key, source_lang=language, target_lang="en", engine="original",
        model_version="-", title=title,
        blocks=tuple(TranslatedBlock(BlockKind.PARAGRAPH, p, p, (SentencePair(p, p),)) for p in paragraphs),
    )  # fmt: skip
    with store.session() as session, session.begin():
        source = queries.upsert_source(
            session, Source(name=f"Paper {n % 2}", url=f"https://news{n % 2}.example/rss")
        )
        feed_item = FeedItem(url=document.url, guid=str(n), title=title, published=document.published)
        (item,) = queries.add_items(session, source, (feed_item,))
        queries.save_document(session, document)
        queries.save_translation(session, translation)
        item.document_key, item.page_key, item.status = document.key, None, ItemStatus.TRANSLATED
        return item.id


def settings() -> Settings:
    return Settings(target_languages=["en"])


def story_of(store: Store, item_id: int) -> tuple[str, int | None, int | None]:
    with store.session() as session:
        item = session.get_one(ItemRow, item_id)
        return item.status, item.story_id, item.copy_of_id


def test_same_event_joins_other_event_starts_copy_settles_under_original(store: Store) -> None:
    quake = add_translated(store, 1, "Strong earthquake hits Chile near Valparaiso", QUAKE)
    again = add_translated(store, 2, "Chile counts the damage after Valparaiso earthquake", QUAKE_AGAIN, 60)
    final = add_translated(store, 3, "Bayern beat Dortmund in the cup final", FINAL, 90)
    copy = add_translated(store, 4, "Earthquake hits Chile (agency)", QUAKE, 120)
    stories = story_step.WireStories()
    statuses = [story_step.place_item(store, settings(), stories, i) for i in (quake, again, final, copy)]

    assert statuses == [ItemStatus.PLACED, ItemStatus.PLACED, ItemStatus.PLACED, ItemStatus.DUPLICATE]
    (_, quake_story, _), (_, again_story, _) = story_of(store, quake), story_of(store, again)
    assert quake_story == again_story
    assert story_of(store, final)[1] != quake_story
    assert story_of(store, copy) == (ItemStatus.DUPLICATE, quake_story, quake)
    with store.session() as session:
        kinds = session.execute(select(StoryEventRow.item_id, StoryEventRow.kind).order_by(StoryEventRow.seq))
        assert list(kinds) == [(quake, "placed"), (again, "placed"), (final, "placed"), (copy, "copy")]
        assert session.scalar(select(func.count()).select_from(StoryRow)) == 2


def test_an_article_dated_years_ahead_expires_no_story(store: Store) -> None:
    now = int((datetime.now(UTC) - T0).total_seconds() // 60)  # minutes from T0 to now
    quake = add_translated(store, 1, "Strong earthquake hits Chile near Valparaiso", QUAKE, now)
    future = add_translated(
        store, 2, "Bayern beat Dortmund in the cup final", FINAL, now + 60 * 24 * 365 * 70
    )
    again = add_translated(
        store, 3, "Chile counts the damage after Valparaiso earthquake", QUAKE_AGAIN, now + 60
    )
    stories = story_step.WireStories()
    for item_id in (quake, future, again):
        story_step.place_item(store, settings(), stories, item_id)
    assert story_of(store, again)[1] == story_of(store, quake)[1] != story_of(store, future)[1]
    assert stories.clusterer.clock is not None
    assert stories.clusterer.clock <= datetime.now(UTC) + story_step.CLOCK_SKEW


def test_placing_again_changes_nothing(store: Store) -> None:
    item_id = add_translated(store, 1, "Strong earthquake hits Chile near Valparaiso", QUAKE)
    first, second = story_step.WireStories(), story_step.WireStories()
    assert story_step.place_item(store, settings(), first, item_id) == ItemStatus.PLACED
    assert story_step.place_item(store, settings(), second, item_id) == ItemStatus.PLACED  # a redelivery
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(StoryEventRow)) == 1


def test_a_second_process_decides_from_what_the_first_logged(store: Store) -> None:
    """Two processes taking turns give the stories one process gives; a restarted one goes on."""
    quake = add_translated(store, 1, "Strong earthquake hits Chile near Valparaiso", QUAKE)
    final = add_translated(store, 2, "Bayern beat Dortmund in the cup final", FINAL, 30)
    again = add_translated(store, 3, "Chile counts the damage after Valparaiso earthquake", QUAKE_AGAIN, 60)
    copy = add_translated(store, 4, "Bayern beat Dortmund in the cup final (agency)", FINAL, 90)
    a, b = story_step.WireStories(), story_step.WireStories()
    story_step.place_item(store, settings(), a, quake)
    story_step.place_item(store, settings(), b, final)  # b has to learn quake's story from the log
    story_step.place_item(store, settings(), a, again)  # a has to learn final's story
    restarted = story_step.WireStories()
    assert story_step.place_item(store, settings(), restarted, copy) == ItemStatus.DUPLICATE
    assert story_of(store, again)[1] == story_of(store, quake)[1]
    assert story_of(store, final)[1] != story_of(store, quake)[1]
    assert story_of(store, copy) == (ItemStatus.DUPLICATE, story_of(store, final)[1], final)
    assert b.clusterer.story_of == {"1": story_of(store, quake)[1], "2": story_of(store, final)[1]}


def test_a_move_by_a_person_is_replayed(store: Store) -> None:
    quake = add_translated(store, 1, "Strong earthquake hits Chile near Valparaiso", QUAKE)
    final = add_translated(store, 2, "Bayern beat Dortmund in the cup final", FINAL, 30)
    first = story_step.WireStories()
    story_step.place_item(store, settings(), first, quake)
    story_step.place_item(store, settings(), first, final)
    target = story_of(store, quake)[1]
    with store.session() as session, session.begin():
        session.get_one(ItemRow, final).story_id = target
        session.add(
            StoryEventRow(item_id=final, kind="moved", story_id=target, published_at=T0, actor="admin")
        )
    again = add_translated(store, 3, "Chile counts the damage after Valparaiso earthquake", QUAKE_AGAIN, 60)
    story_step.place_item(store, settings(), first, again)
    assert first.clusterer.story_of[str(final)] == target


def test_concurrent_processes_make_one_story_of_one_event(store: Store) -> None:
    """Six copies of one report: without the stories lock and the replay, each process would find no
    copy in what it has seen and start a story of its own."""
    items = [add_translated(store, n, f"Earthquake in Chile ({n})", QUAKE, n) for n in range(1, 7)]
    processes = [story_step.WireStories(), story_step.WireStories()]
    errors: list[BaseException] = []

    def place(process: story_step.WireStories, mine: list[int]) -> None:
        try:
            for item_id in mine:
                story_step.place_item(store, settings(), process, item_id)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=place, args=(processes[k], items[k::2])) for k in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with store.session() as session:
        assert set(session.scalars(select(ItemRow.story_id))) == {1}
        assert session.scalar(select(func.count()).select_from(StoryRow)) == 1
        assert session.scalar(select(func.count()).select_from(StoryEventRow)) == 6
        statuses = list(session.scalars(select(ItemRow.status)))
    assert sorted(statuses) == [ItemStatus.DUPLICATE] * 5 + [ItemStatus.PLACED]


def test_a_translation_is_compared_by_its_words_and_its_originals_names(store: Store) -> None:
    spanish = (
        "es",
        "Terremoto en Chile",
        ("Un terremoto de magnitud 7,1 sacudió Valparaíso; la ministra Carolina Tohá habló de 12 muertos.",),
    )
    garbled = ("An earthquake of magnitude 7,1 shook Paradise Valley; minister Caroline Toh spoke of two.",)
    item_id = add_translated(store, 1, "Earthquake in Chile", garbled, original=spanish)
    terms = story_step.story_input(store, settings(), item_state(store, item_id)).terms
    assert terms["earthqu"] > 0 and "terremo" not in terms  # the words of the translation
    assert terms["@tohá"] > 0 and terms["@valparaíso"] > 0 and terms["#12"] > 0  # the original's names
    assert "@caroline" not in terms and "@paradise" not in terms


def test_a_story_that_splits_moves_its_articles_in_the_store_and_every_process_replays_it(
    store: Store,
) -> None:
    """Two look-alike earthquakes join one story, then part (stories/splits.py): the leaving articles
    and their copies move to a new story in the store, logged as the stage's moves, and a process
    that replays the log holds the index the deciding one holds."""
    articles = [*lookalike.background(), *lookalike.reports()]
    ids = {}
    for minute, article in enumerate(articles):
        ids[article.key] = add_translated(
            store, minute + 1, article.title, tuple(article.text.split("\n")), minute
        )
    copy = add_translated(
        store, 99, "Earthquake: Valparaiso (agency)", tuple(articles[12].text.split("\n")), 13
    )
    deciding = story_step.WireStories()
    order = list(ids.values())
    order.insert(14, copy)  # chile-1's copy, before the split
    for item_id in order:
        story_step.place_item(store, settings(), deciding, item_id)
    merged = story_of(store, ids["chile-0"])[1]
    chile = {story_of(store, ids[f"chile-{day}"])[1] for day in range(1, 7)}
    turkey = {story_of(store, ids[f"turkey-{day}"])[1] for day in range(1, 7)}
    assert len(chile) == len(turkey) == 1 and chile != turkey and merged in chile | turkey
    assert story_of(store, copy) == (ItemStatus.DUPLICATE, *chile, ids["chile-1"])
    with store.session() as session:
        moves = session.execute(
            select(StoryEventRow.item_id, StoryEventRow.actor).where(StoryEventRow.kind == "moved")
        )
        movers = {item_id: actor for item_id, actor in moves}
        assert session.scalar(select(func.count()).select_from(StoryRow)) == len(lookalike.BACKGROUND) + 2
    assert set(movers.values()) == {f"the stories stage: story {merged} split"}
    leaving = chile if merged in turkey else turkey
    assert {story_of(store, item_id)[1] for item_id in movers} == leaving
    assert (copy in movers) == (leaving == chile)  # a copy moves with its original
    replaying = story_step.WireStories()
    with store.session() as session, session.begin():
        story_step.catch_up(session, settings(), replaying)
    mine, theirs = deciding.clusterer, replaying.clusterer
    assert theirs.story_of == mine.story_of
    assert theirs.stories.stories.keys() == mine.stories.stories.keys()
    for story_id, story in mine.stories.stories.items():
        other = theirs.stories.stories[story_id]
        assert other.members.keys() == story.members.keys() and other.last_seen == story.last_seen
        assert other.total.keys() == story.total.keys()
        assert all(abs(other.total[term] - weight) < 1e-9 for term, weight in story.total.items())


def test_a_persons_new_story_waits_for_the_stage_and_takes_the_next_id(store: Store) -> None:
    """A person's move to a new story takes the stories lock, as the stage does: while the stage's
    transaction makes story 3, the move waits, then makes story 4 (without the lock it would
    take 3 as well and fail on PostgreSQL when the stage commits)."""
    quake = add_translated(store, 1, "Strong earthquake hits Chile near Valparaiso", QUAKE)
    final = add_translated(store, 2, "Bayern beat Dortmund in the cup final", FINAL, 30)
    process = story_step.WireStories()
    for item_id in (quake, final):
        story_step.place_item(store, settings(), process, item_id)
    holding, release = threading.Event(), threading.Event()
    moved: list[Moved] = []

    def stage() -> None:
        with store.session() as session, session.begin():
            lock_stories(session)
            session.add(StoryRow(id=3, created_at=T0, last_seen_at=T0))
            session.flush()
            holding.set()
            release.wait(10)

    def person() -> None:
        with store.session() as session, session.begin():
            moved.append(move_item(session, final, None, actor="admin"))

    deciding = threading.Thread(target=stage)
    deciding.start()
    assert holding.wait(10)
    moving = threading.Thread(target=person)
    moving.start()
    moving.join(0.5)
    waited = moving.is_alive()
    release.set()
    deciding.join(10)
    moving.join(10)
    assert waited and [(m.story_id, m.created) for m in moved] == [(4, True)]
    assert story_of(store, final)[1] == 4
