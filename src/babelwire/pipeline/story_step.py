"""The stories step against the store: find the copy an article is, else give it its story.

It runs after translation (the story is decided in the common language, `settings.story_language`:
an article's translation into it, or the article itself) and before the editor: a copy settles
as `duplicate` under its original and costs no review.

Every decision is one transaction holding the store's stories lock (PostgreSQL: an advisory
transaction lock; SQLite: every writing transaction holds the write lock), so the stage decides
one article at a time across all processes. Each process keeps its StoryClusterer in memory and,
under the lock, first replays the `story_events` other processes (or a person moving an
article) logged since it last looked: every process decides from the same state, the cost per
article stays flat, and story ids never change. A process that starts reads the last
`stories.replay_days` of the log. When the story an article joins splits (stories/splits.py),
the leaving articles move with `store/story_moves.move_item`, the admin's own move, logged as
the stage's, and the other processes replay those moves like a person's.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from babelwire.config import Settings
from babelwire.pipeline.steps import ItemState, StepError, advance, item_state, read
from babelwire.store import queries
from babelwire.store.db import Store
from babelwire.store.models import DocumentRow, ItemRow, ItemStatus, StoryEventRow, StoryRow
from babelwire.store.story_moves import MoveError, lock_stories, move_item, moved_by_person, split_actor
from babelwire.stories.duplicates import fingerprint, signature_bytes, signature_from_bytes
from babelwire.stories.terms import Terms, story_terms
from babelwire.stories.wire import Placement, Split, StoryClusterer
from babelwire.translate.inline import to_text

log = logging.getLogger("babelwire.pipeline.stories")

PLACED, COPY, MOVED = "placed", "copy", "moved"
# An article dated later than this ahead of now is placed at now + this: a feed that dates one years
# ahead would otherwise move the stories past every window and expire the whole index.
CLOCK_SKEW = timedelta(days=1)


@dataclass
class WireStories:
    """One process's clusterer and the last `story_events.seq` it has applied."""

    clusterer: StoryClusterer = field(default_factory=StoryClusterer)
    seen: int | None = None  # None: not loaded from the store yet
    guard: threading.Lock = field(default_factory=threading.Lock)

    def forget(self) -> None:
        """Start again from the store (after a failed transaction left memory ahead of it)."""
        self.clusterer = StoryClusterer()
        self.seen = None


@dataclass(frozen=True)
class StoryInput:
    """What the decision needs, made before the lock is taken (the CPU part)."""

    item_id: int
    url: str
    published: datetime
    signature: bytes
    terms: Terms


def story_input(store: Store, settings: Settings, state: ItemState) -> StoryInput:
    """The article's fingerprint (its original text) and terms (in the common language)."""
    document_key = state.document_key
    if document_key is None:
        raise StepError("not_extracted", "the document is not extracted yet; the extract step must run first")
    language = settings.story_language

    def load(session: Session) -> tuple[str, str, str, str, datetime, bool]:
        item = session.get_one(ItemRow, state.id)
        document = queries.document_from_row(session.get_one(DocumentRow, document_key))
        row = queries.find_translation(session, document_key, language)
        if row is None:
            raise StepError(
                "not_translated", f"no {language} translation yet; the translate step must run first"
            )
        translation = queries.translation_from_row(row)
        common = "\n".join(to_text(block.html) for block in translation.blocks)
        when = item.published_at or document.published or item.created_at
        translated = translation.source_lang != translation.target_lang
        return document.title, document.body_text, translation.title, common, when, translated

    title, body, common_title, common_text, when, translated = read(store, load)
    dated = when if when.tzinfo else when.replace(tzinfo=UTC)
    return StoryInput(
        item_id=state.id,
        url=state.url,
        published=min(dated, datetime.now(UTC) + CLOCK_SKEW),
        signature=signature_bytes(fingerprint(f"{title}\n{body}")),
        terms=story_terms(common_title, common_text, (title, body) if translated else None),
    )


def place_item(store: Store, settings: Settings, stories: WireStories, item_id: int) -> str:
    """Place the item (copy or story member) unless it is placed; its status afterwards."""
    state = item_state(store, item_id)
    if state.status in (ItemStatus.PLACED, *ItemStatus.FINAL):
        return state.status  # placed already (a redelivered task)
    article = story_input(store, settings, state)
    with stories.guard:
        try:
            with store.session() as session, session.begin():
                status = _decide(session, settings, stories, article)
        except BaseException:
            stories.forget()  # memory may hold a decision the store rolled back
            raise
    return status


def _decide(session: Session, settings: Settings, stories: WireStories, article: StoryInput) -> str:
    lock_stories(session)
    item = session.get_one(ItemRow, article.item_id)
    if item.status in (ItemStatus.PLACED, *ItemStatus.FINAL):
        return item.status  # a concurrent copy of this step placed it first
    if item.story_id is not None:  # placed, then failed further on: retried from translation
        advance(item, ItemStatus.PLACED)
        return item.status
    catch_up(session, settings, stories)
    clusterer = stories.clusterer
    last_story = session.scalar(select(func.max(StoryRow.id))) or 0
    clusterer.stories.next_id = max(clusterer.stories.next_id, last_story + 1)
    key, published = str(item.id), clusterer.when(article.published)
    signature = signature_from_bytes(article.signature)
    original = clusterer.find_copy(key, signature, published)
    placement = _as_copy(session, clusterer, key, original, published) if original is not None else None
    if placement is None:
        placement = clusterer.assign(key, article.terms, published)
    _save(session, item, placement, article, published)
    stories.seen = max(stories.seen or 0, session.scalar(select(func.max(StoryEventRow.seq))) or 0)
    return item.status


def _as_copy(
    session: Session, clusterer: StoryClusterer, key: str, original: str, published: datetime
) -> Placement | None:
    """A copy's placement: its original's story, read from the store if it left this process's window."""
    placement = clusterer.join_copy(key, original, published)
    if placement is not None:
        return placement
    row = session.execute(
        select(ItemRow.story_id, ItemRow.copy_of_id).where(ItemRow.id == int(original))
    ).one()
    if row.story_id is None:
        return None  # the original has no story (placed before stories existed): this one starts one
    first = str(row.copy_of_id) if row.copy_of_id is not None else original  # a copy's copy: the first's
    clusterer.replay_copy(key, first, row.story_id, published)
    return Placement(key, row.story_id, first, 1.0)


def _save(
    session: Session, item: ItemRow, placement: Placement, article: StoryInput, published: datetime
) -> None:
    story = session.get(StoryRow, placement.story_id)
    new = story is None
    if story is None:
        story = StoryRow(id=placement.story_id, created_at=datetime.now(UTC), last_seen_at=published)
        session.add(story)
        session.flush()  # the story row before the item that refers to it
    else:
        story.last_seen_at = max(story.last_seen_at, published)
    copy_of = int(placement.copy_of) if placement.copy_of is not None else None
    item.story_id, item.copy_of_id, item.story_score = placement.story_id, copy_of, placement.score
    session.add(
        StoryEventRow(
            item_id=item.id,
            kind=COPY if copy_of is not None else PLACED,
            story_id=placement.story_id,
            copy_of_id=copy_of,
            score=placement.score,
            published_at=published,
            terms_json=json.dumps(article.terms, separators=(",", ":")),
            signature=article.signature,
        )
    )
    if copy_of is not None:
        item.status, item.queued_at = ItemStatus.DUPLICATE, None
        log.info("item %s %s: a copy of item %s, story %s", item.id, article.url, copy_of, placement.story_id)
    else:
        advance(item, ItemStatus.PLACED)
        verb = "starts" if new else "joins"
        log.info("item %s %s: %s story %s (similarity %.2f)", item.id, article.url, verb, placement.story_id,
                 placement.score)  # fmt: skip
    session.flush()
    if placement.split is not None:
        _save_split(session, placement.split)


def _save_split(session: Session, split: Split) -> None:
    """The articles that left a story that split, moved to the new story with their copies: a
    `moved` event each, which the other processes replay (as the clusterer here moved them)."""
    moment = datetime.now(UTC)
    last_seen = max(when for _, when in split.moved)
    session.add(StoryRow(id=split.new_story_id, created_at=moment, last_seen_at=last_seen))
    session.flush()
    actor = split_actor(split.story_id)
    for key, when in split.moved:
        try:
            move_item(session, int(key), split.new_story_id, actor=actor, now=moment, published=when)
        except MoveError as error:  # deleted (its source removed) since it was placed: nothing to move
            log.warning("story %s splits: item %s stays: %s", split.story_id, key, error)
    log.info("story %s splits: items %s leave for story %s (the two groups' similarity %.2f)", split.story_id,
             ", ".join(key for key, _ in split.moved), split.new_story_id, split.similarity)  # fmt: skip


def catch_up(session: Session, settings: Settings, stories: WireStories) -> None:
    """Apply the log's events this process has not seen (on start: the last `replay_days`)."""
    query = select(StoryEventRow).order_by(StoryEventRow.seq)
    if stories.seen is None:
        horizon = datetime.now(UTC) - timedelta(days=settings.stories.replay_days)
        query = query.where(StoryEventRow.created_at >= horizon)
        stories.seen = 0
    else:
        query = query.where(StoryEventRow.seq > stories.seen)
    replay(stories.clusterer, session.scalars(query))
    stories.seen = max(stories.seen, session.scalar(select(func.max(StoryEventRow.seq))) or 0)


def replay(clusterer: StoryClusterer, events: Iterable[StoryEventRow]) -> None:
    """Apply logged decisions in their order, as the process that made them did."""
    for event in events:
        key, published = str(event.item_id), event.published_at
        if event.kind == MOVED and event.story_id is not None:
            clusterer.replay_move(key, event.story_id, published, by_person=moved_by_person(event.actor))
            continue
        if event.signature is not None:
            clusterer.replay_signature(key, signature_from_bytes(event.signature), published)
        if event.kind == COPY and event.story_id is not None:
            original = str(event.copy_of_id) if event.copy_of_id is not None else None
            clusterer.replay_copy(key, original, event.story_id, published)
        elif event.kind == PLACED and event.story_id is not None:
            clusterer.replay_placement(key, json.loads(event.terms_json), event.story_id, published)
